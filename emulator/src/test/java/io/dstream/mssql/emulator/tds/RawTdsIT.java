package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden transcripts of the token streams the server sends, driven by a byte-level client: the
 * requests mssql-jdbc never sends (several RPCs in one request, RPC by name, cursors,
 * TRANSACTION_MANAGER) and the exact DONE flags.
 */
class RawTdsIT {

    private static final SqlType NVARCHAR = SqlType.sized(Kind.NVARCHAR, 4000);
    private static final SqlType INT = SqlType.of(Kind.INT);

    private static H2PassthroughEngine engine;
    private static TdsServer server;

    @BeforeAll
    static void start() throws IOException {
        engine = new H2PassthroughEngine();
        server = new TdsServer(engine, "127.0.0.1", 0);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawTdsClient loggedIn() throws IOException {
        RawTdsClient c = new RawTdsClient(server.port());
        c.preLogin(PreLogin.ENCRYPT_OFF);
        c.login(H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD, "rawdb", 0);
        return c;
    }

    @Test
    void loginResponse() throws IOException {
        try (RawTdsClient c = new RawTdsClient(server.port())) {
            assertThat(c.preLogin(PreLogin.ENCRYPT_OFF)).isEqualTo(PreLogin.ENCRYPT_NOT_SUP);
            assertThat(c.login(H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD, "rawdb", 0)).containsExactly(
                    "ENVCHANGE(1,rawdb,master)",
                    "ENVCHANGE(7,new=0904d00034,old=)",
                    "ENVCHANGE(2,us_english,)",
                    "INFO(5701,0)", "  Changed database context to 'rawdb'.",
                    "INFO(5703,0)", "  Changed language setting to us_english.",
                    "LOGINACK(0x74000004,Microsoft SQL Server,16.0)",
                    "ENVCHANGE(4,4096,4096)",
                    "DONE(FINAL)");
        }
    }

    @Test
    void failedLoginEndsWithErrorAndAClosedConnection() throws IOException {
        try (RawTdsClient c = new RawTdsClient(server.port())) {
            c.preLogin(PreLogin.ENCRYPT_OFF);
            assertThat(c.login("sa", "nope", "rawdb", 4096)).containsExactly(
                    "ERROR(18456,14)", "  Login failed for user 'sa'.", "DONE(ERROR)");
            assertThat(c.readResponse()).isNull();
        }
    }

    @Test
    void aClientRequiringEncryptionGetsEncryptOnAndABrokenTlsHandshakeIsClosedWithAReason() throws IOException {
        try (RequestLog log = new RequestLog(); RawTdsClient c = new RawTdsClient(server.port())) {
            assertThat(c.preLogin(PreLogin.ENCRYPT_REQ)).isEqualTo(PreLogin.ENCRYPT_ON);
            // no TLS record at all: an HTTP request where the ClientHello should be
            c.send(Tds.PKT_PRELOGIN, "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(c.readResponse()).isNull();
            assertThat(log.all()).anyMatch(l -> l.startsWith("WARN") && l.contains("TLS handshake failed"));
        }
    }

    @Test
    void aClientStartingWithTlsIsClosedAtOnceInsteadOfWaitingForMoreBytes() throws IOException {
        try (RequestLog log = new RequestLog(); java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            // the start of a TLS ClientHello record: content type 0x16, version 3.1, a length longer than what follows
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(log.all()).anyMatch(l -> l.startsWith("WARN") && l.contains("encrypt=strict"));
        }
    }

    @Test
    void sqlBatchWithSeveralStatementsSetsDoneMoreOnAllButTheLast() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            assertThat(c.sqlBatch("CREATE TABLE raw_b (id INT PRIMARY KEY); INSERT INTO raw_b VALUES (1), (2); "
                    + "SELECT id FROM raw_b ORDER BY id")).containsExactly(
                    "DONE(MORE,cmd=0xc6)",
                    "DONE(MORE|COUNT,cmd=0xc5,2)",
                    "COLMETADATA[id:int]",
                    "ROW[1]",
                    "ROW[2]",
                    "DONE(COUNT,cmd=0xc1,2)");
        }
    }

    @Test
    void errorsEndTheStatementWithDoneError() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.sqlBatch("CREATE TABLE raw_e (id INT PRIMARY KEY)");
            List<String> t = c.sqlBatch("INSERT INTO raw_e VALUES (1); INSERT INTO raw_e VALUES (1)");
            assertThat(t).startsWith("DONE(MORE|COUNT,cmd=0xc5,1)", "ERROR(2627,16)");
            assertThat(t.get(t.size() - 1)).isEqualTo("DONE(ERROR)");
        }
    }

    @Test
    void severalRpcsInOneRequestByIdAndByName() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder()
                    .call(RpcCall.SP_EXECUTESQL).param("", NVARCHAR, "SELECT @P0 AS a").param("", NVARCHAR, "@P0 int")
                    .param("", INT, 7)
                    .call("sys.sp_executesql").param("@stmt", NVARCHAR, "SELECT @x AS b").param("@params", NVARCHAR, "@x nvarchar(10)")
                    .param("@x", SqlType.sized(Kind.NVARCHAR, 10), "hi")
                    .build());
            assertThat(c.readResponse()).containsExactly(
                    "COLMETADATA[a:int]", "ROW[7]", "DONEINPROC(MORE|COUNT,cmd=0xc1,1)",
                    "RETURNSTATUS(0)", "DONEPROC(MORE,cmd=0xe0)",
                    "COLMETADATA[b:nvarchar(10)]", "ROW[hi]", "DONEINPROC(MORE|COUNT,cmd=0xc1,1)",
                    "RETURNSTATUS(0)", "DONEPROC(FINAL,cmd=0xe0)");
        }
    }

    @Test
    void prepareExecuteUnprepare() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(RpcCall.SP_PREPARE).output("", INT, null)
                    .param("", NVARCHAR, "@P0 int").param("", NVARCHAR, "SELECT @P0 + 1 AS n").param("", INT, 1).build());
            List<String> prepared = c.readResponse();
            assertThat(prepared).hasSize(3).startsWith("RETURNSTATUS(0)").endsWith("DONEPROC(FINAL,cmd=0xe0)");
            String handle = prepared.get(1).replaceAll("RETURNVALUE\\(0,,(\\d+)\\)", "$1");
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(RpcCall.SP_EXECUTE).param("", INT, Integer.parseInt(handle))
                    .param("", INT, 41).build());
            assertThat(c.readResponse()).containsExactly("COLMETADATA[n:int]", "ROW[42]", "DONEINPROC(MORE|COUNT,cmd=0xc1,1)",
                    "RETURNSTATUS(0)", "DONEPROC(FINAL,cmd=0xe0)");
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(RpcCall.SP_UNPREPARE).param("", INT, Integer.parseInt(handle)).build());
            assertThat(c.readResponse()).containsExactly("RETURNSTATUS(0)", "DONEPROC(FINAL,cmd=0xe0)");
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(RpcCall.SP_EXECUTE).param("", INT, Integer.parseInt(handle))
                    .param("", INT, 41).build());
            assertThat(c.readResponse()).containsExactly("ERROR(8179,16)",
                    "  Could not find prepared statement with handle " + handle + ".",
                    "DONEINPROC(MORE|ERROR)", "RETURNSTATUS(0)", "DONEPROC(ERROR,cmd=0xe0)");
        }
    }

    @Test
    void prepexecReturnsTheHandleAfterTheReturnStatus() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(RpcCall.SP_PREPEXEC).output("", INT, null)
                    .param("", NVARCHAR, "@P0 int").param("", NVARCHAR, "SELECT @P0 AS v").param("", INT, 5).build());
            List<String> t = c.readResponse();
            assertThat(t).hasSize(6);
            assertThat(t.subList(0, 4)).containsExactly("COLMETADATA[v:int]", "ROW[5]", "DONEINPROC(MORE|COUNT,cmd=0xc1,1)",
                    "RETURNSTATUS(0)");
            assertThat(t.get(4)).matches("RETURNVALUE\\(0,,\\d+\\)");
            assertThat(t.get(5)).isEqualTo("DONEPROC(FINAL,cmd=0xe0)");
        }
    }

    @Test
    void rpcByProcedureNameReturnsStatusThenOutputsInParameterOrder() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call("dbo.add_numbers")
                    .param("@a", INT, 1).param("@b", INT, 2).output("@sum", INT, null)
                    .output("@label", SqlType.sized(Kind.NVARCHAR, 50), null).build());
            assertThat(c.readResponse()).containsExactly(
                    "COLMETADATA[a_plus_b:int]", "ROW[3]", "DONEINPROC(MORE|COUNT,cmd=0xc1,1)",
                    "RETURNSTATUS(7)", "RETURNVALUE(2,@sum,3)", "RETURNVALUE(3,@label,sum=3)", "DONEPROC(FINAL,cmd=0xe0)");
        }
    }

    @Test
    void anEngineFailureInsideAProcedureStillEndsItWithDoneproc() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call("dbo.broken").call("dbo.add_numbers")
                    .param("@a", INT, 1).param("@b", INT, 1).output("@sum", INT, null)
                    .output("@label", SqlType.sized(Kind.NVARCHAR, 50), null).build());
            List<String> t = c.readResponse();
            assertThat(t.subList(0, 5)).containsExactly("ERROR(50000,16,dbo.broken)",
                    "  The emulator failed while running dbo.broken: java.lang.IllegalStateException: dbo.broken always fails",
                    "DONEINPROC(MORE|ERROR)", "RETURNSTATUS(0)", "DONEPROC(MORE|ERROR,cmd=0xe0)");
            assertThat(t).contains("ROW[2]").endsWith("DONEPROC(FINAL,cmd=0xe0)");
        }
    }

    @Test
    void serverCursorProceduresAreAnErrorNotAHang() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_RPC, new RpcRequestBuilder().call(2).output("", INT, null).param("", NVARCHAR, "SELECT 1").build());
            List<String> t = c.readResponse();
            assertThat(t).first().isEqualTo("ERROR(2812,16,sp_cursoropen)");
            assertThat(t.get(1)).contains("sp_cursoropen");
            assertThat(t).endsWith("DONEPROC(ERROR,cmd=0xe0)");
            assertThat(c.sqlBatch("SELECT 1 AS one")).contains("ROW[1]");
        }
    }

    @Test
    void transactionManagerRequestsCarryTransactionDescriptors() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.sqlBatch("CREATE TABLE raw_tx (id INT)");
            c.send(Tds.PKT_TRANSACTION_MANAGER, RawTdsClient.withAllHeaders(new byte[] {5, 0, 0, 0}));
            assertThat(c.readResponse()).containsExactly("DONE(MORE)", "ENVCHANGE(8,new=0100000000000000,old=)", "DONE(FINAL)");
            c.sqlBatch("INSERT INTO raw_tx VALUES (1)");
            c.send(Tds.PKT_TRANSACTION_MANAGER, RawTdsClient.withAllHeaders(new byte[] {8, 0, 0, 0}));
            assertThat(c.readResponse()).containsExactly("DONE(MORE)", "ENVCHANGE(10,new=,old=0100000000000000)", "DONE(FINAL)");
            c.send(Tds.PKT_TRANSACTION_MANAGER, RawTdsClient.withAllHeaders(new byte[] {5, 0, 0, 0}));
            assertThat(c.readResponse()).contains("ENVCHANGE(8,new=0200000000000000,old=)");
            c.sqlBatch("INSERT INTO raw_tx VALUES (2)");
            c.send(Tds.PKT_TRANSACTION_MANAGER, RawTdsClient.withAllHeaders(new byte[] {7, 0, 0, 0}));
            assertThat(c.readResponse()).contains("ENVCHANGE(9,new=,old=0200000000000000)");
            assertThat(c.sqlBatch("SELECT id FROM raw_tx")).containsExactly("COLMETADATA[id:int]", "ROW[2]",
                    "DONE(COUNT,cmd=0xc1,1)");
        }
    }

    @Test
    void attentionWhileIdleIsAcknowledged() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_ATTENTION, new byte[0]);
            assertThat(c.readResponse()).containsExactly("DONE(ATTN)");
            assertThat(c.sqlBatch("SELECT 2 AS two")).contains("ROW[2]");
        }
    }

    @Test
    void attentionDuringAQueryEndsItWithDoneErrorThenAcknowledgesSeparately() throws Exception {
        try (RawTdsClient c = loggedIn()) {
            c.send(Tds.PKT_SQL_BATCH, RawTdsClient.withAllHeaders(
                    "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
            int cancels = engine.cancels.get();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> engine.executedSql.stream().anyMatch(s -> s.contains("SYSTEM_RANGE(1, 1000000) a")));
            c.send(Tds.PKT_ATTENTION, new byte[0]);
            List<String> interrupted = c.readResponse();
            assertThat(interrupted).last().isEqualTo("DONE(ERROR)");
            assertThat(interrupted).noneMatch(t -> t.startsWith("ROW"));
            assertThat(c.readResponse()).containsExactly("DONE(ATTN)");
            assertThat(engine.cancels.get()).isGreaterThan(cancels);
            assertThat(c.sqlBatch("SELECT 3 AS three")).contains("ROW[3]");
        }
    }

    @Test
    void anAttentionThatReachesTheEngineBeforeTheStatementStartsStillCancelsIt() throws Exception {
        H2PassthroughEngine gated = new H2PassthroughEngine();
        try (TdsServer s = new TdsServer(gated, "127.0.0.1", 0)) {
            s.start();
            try (RawTdsClient c = new RawTdsClient(s.port())) {
                c.preLogin(PreLogin.ENCRYPT_OFF);
                c.login(H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD, "rawdb", 0);
                c.send(Tds.PKT_SQL_BATCH, RawTdsClient.withAllHeaders(
                        "SELECT /*gate*/ COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> gated.executedSql.stream().anyMatch(q -> q.contains("/*gate*/")));
                c.send(Tds.PKT_ATTENTION, new byte[0]);
                // the first cancel finds no statement running; only a repeated cancel stops the query
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> gated.cancels.get() >= 1);
                gated.gate.countDown();
                assertThat(c.readResponse()).last().isEqualTo("DONE(ERROR)");
                assertThat(c.readResponse()).containsExactly("DONE(ATTN)");
                assertThat(c.sqlBatch("SELECT 5 AS five")).contains("ROW[5]");
            }
        }
    }

    @Test
    void aMalformedRpcIsError8016AndTheConnectionStaysUsable() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            byte[] rpc = new RpcRequestBuilder().call(RpcCall.SP_EXECUTESQL).param("", NVARCHAR, "SELECT 1").build();
            c.send(Tds.PKT_RPC, java.util.Arrays.copyOf(rpc, rpc.length - 3)); // cut inside the value
            List<String> t = c.readResponse();
            assertThat(t).first().isEqualTo("ERROR(8016,16)");
            assertThat(t).last().isEqualTo("DONE(ERROR)");
            assertThat(c.sqlBatch("SELECT 6 AS six")).contains("ROW[6]");
        }
    }

    @Test
    void unsupportedRequestTypesGetAnError() throws IOException {
        try (RawTdsClient c = loggedIn()) {
            c.send(0x07, new byte[] {1, 2, 3}); // BULK_LOAD
            assertThat(c.readResponse()).first().isEqualTo("ERROR(8009,16)");
            assertThat(c.sqlBatch("SELECT 4 AS four")).contains("ROW[4]");
        }
    }

    @Test
    void requestedPacketSizeIsConfirmedAndUsed() throws IOException {
        try (RawTdsClient c = new RawTdsClient(server.port())) {
            c.preLogin(PreLogin.ENCRYPT_OFF);
            assertThat(c.login(H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD, "rawdb", 512))
                    .contains("ENVCHANGE(4,512,512)");
            String big = "x".repeat(3000);
            assertThat(c.sqlBatch("SELECT N'" + big + "' AS s")).contains("ROW[" + big + "]");
        }
    }
}
