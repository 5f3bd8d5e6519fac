/**
 * The emulator's TDS 7.4 wire protocol (MS-TDS), in front of an engine
 * {@link io.dstream.mssql.emulator.engine.Session}.
 *
 * <p>Data flow: {@link io.dstream.mssql.emulator.tds.TdsServer} accepts; a {@code TdsConnection}
 * does PRELOGIN/LOGIN7 and then reads messages ({@code MessageReader}) on a reader thread, so an
 * ATTENTION is seen while a request runs; requests become engine calls (SQL_BATCH →
 * {@code execute}; RPC → {@code RpcExecutor}; TRANSACTION_MANAGER →
 * {@code TransactionManagerRequest}); the engine's {@code ResultSink} callbacks become tokens
 * ({@code TokenSink}, {@code Tokens}, {@code ValueEncoder}) cut into packets of the negotiated
 * size ({@code ResponseWriter}). RPC parameter values are read by {@code TypeInfo} and
 * {@code ValueDecoder}.
 *
 * <p>Encryption ({@code TlsChannel}, {@code ServerCertificate}): a client asking for it in
 * PRELOGIN gets ENCRYPT_ON, the TLS 1.2 handshake in PRELOGIN packets, and the rest of the session
 * in TLS; any other client gets ENCRYPT_NOT_SUP and no TLS at all.
 *
 * <p>Known differences from SQL Server: no login-only encryption (SQL Server encrypts LOGIN7 alone
 * for {@code encrypt=false} clients), no TDS 8 ({@code encrypt=strict}: closed with a log line
 * saying why), no MARS, no server cursors (sp_cursor* fail with error 2812), no bulk load, no
 * SSPI; federated authentication (Microsoft Entra) only when turned on, with the token's claims
 * checked but not its signature ({@code EntraToken}), else a LOGIN7 with FEDAUTH is refused with
 * 18456; FEATUREEXTACK only for FEDAUTH, no ENVCHANGE transaction descriptors for transactions begun in T-SQL (only for
 * TRANSACTION_MANAGER requests), no DONE_INXACT, one collation (SQL_Latin1_General_CP1_CI_AS, so
 * varchar is windows-1252), NBCROW never sent, the RESETCONNECTION packet flag ignored.
 */
package io.dstream.mssql.emulator.tds;
