/**
 * SQL Server's change data capture on H2, installed in every database by {@link
 * io.dstream.mssql.emulator.cdc.CdcFeature}.
 *
 * <h2>How a change travels</h2>
 * <ol>
 * <li>{@code sys.sp_cdc_enable_table} creates {@code cdc.<ci>_CT}, the metadata rows, the functions
 * and one H2 row trigger per tracked table ({@link io.dstream.mssql.emulator.cdc.CaptureTrigger}).</li>
 * <li>The trigger stages each row image in {@code cdc.emulator_log_records} inside the writing
 * transaction: a rollback, or a failed statement, removes it with the rest of the transaction.</li>
 * <li>Each change gets its log record's LSN (its {@code __$seqval}) when it happens, the transaction's
 * begin record with its first change, and its commit LSN on the engine's {@code afterCommit}, in
 * commit order ({@link io.dstream.mssql.emulator.cdc.LsnLog}): records of concurrent transactions
 * interleave as in SQL Server's log.</li>
 * <li>The capture process ({@link io.dstream.mssql.emulator.cdc.CaptureProcess}) reads them after the
 * capture latency, unless stopped, and writes change rows and {@code cdc.lsn_time_mapping} rows in one
 * transaction per scan of at most {@code maxtrans} transactions
 * ({@link io.dstream.mssql.emulator.cdc.ChangeTableWriter}). It reads and deletes each transaction's
 * staged rows by their exact key range, so a scan costs in proportion to the rows it captures.</li>
 * </ol>
 * Functions are H2 aliases: {@code sys.fn_cdc_*} ({@link io.dstream.mssql.emulator.cdc.SystemFunctions})
 * and one class per capture instance for {@code cdc.fn_cdc_get_all_changes_<ci>} /
 * {@code fn_cdc_get_net_changes_<ci>} ({@link io.dstream.mssql.emulator.cdc.FunctionBinder}).
 *
 * <h2>Known differences from SQL Server</h2>
 * <ul>
 * <li>No permission model: no gating-role checks, no 229, no 22902/22904; every caller is db_owner.</li>
 * <li>No idle-period rows in {@code cdc.lsn_time_mapping} ({@code tran_id = 0x00}): the maximum LSN
 * moves only when changes of tracked tables are captured. {@code fn_cdc_get_min_lsn} is never
 * transiently NULL.</li>
 * <li>DDL is seen through H2: when ALTER TABLE rebuilds a tracked table (ADD/DROP COLUMN, most type
 * changes) at once; when H2 alters a column in place (a wider varchar) at the next capture scan, whose
 * position then becomes the DDL's LSN. {@code ddl_command} is reconstructed, not the statement text.
 * Type changes of captured columns are propagated to the change table.</li>
 * <li>{@code TRUNCATE TABLE} (4711), {@code sp_rename} of a captured column (4928), {@code WRITETEXT}
 * (7138) are the engine's to refuse or report; this package does not
 * see those statements.</li>
 * <li>The capture latency is the emulator's setting, not the capture job's {@code pollinginterval};
 * of the job's settings only {@code maxtrans} (transactions per scan) applies, and scans follow each
 * other without a pause while a backlog lasts ({@code maxscans} is configuration only);
 * {@code sp_cdc_scan} captures everything committed, in scans of the job's {@code maxtrans}, whatever
 * its arguments; the cleanup job is not run on a schedule ({@code sp_cdc_cleanup_change_table} and
 * {@code CdcFeature.purgeBelow} are).</li>
 * <li>An update of the row's primary key is logged as delete + insert (SQL Server's "deferred
 * update"); every other update as an op-3/op-4 pair, even when no captured column changed (mask all
 * zero). A statement's rows are numbered by {@code __$command_id} one per row change.</li>
 * <li>The net-changes function has no extra unique index on the change table; {@code 'all with mask'}
 * behaves as if CLR were enabled.</li>
 * <li>Dropping a tracked table removes its capture instances shortly after (noticed through H2's
 * trigger removal), as SQL Server does.</li>
 * <li>{@code cdc.emulator_log_records} is the emulator's own table (the stand-in for the log) and is
 * visible in the catalog.</li>
 * </ul>
 */
package io.dstream.mssql.emulator.cdc;
