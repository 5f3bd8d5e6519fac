package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as SQL Server does it for TDS 7.x clients: mssql-jdbc with {@code encrypt=true} (its default)
 * gets the whole session encrypted after a handshake framed in PRELOGIN packets, with the
 * emulator's certificate trusted blindly or through a trust store; {@code encrypt=false} gets none.
 */
class TlsJdbcIT {

    private static final String CHANGES = "SELECT id, name FROM cdc.fn_cdc_get_all_changes_dbo_items("
            + "sys.fn_cdc_get_min_lsn(N'dbo_items'), sys.fn_cdc_get_max_lsn(), N'all') ORDER BY __$start_lsn, __$seqval";
    /** Far more than one 4 KiB TDS packet, and than one 16 KiB TLS record. */
    private static final int LARGE_ROWS = 2_000;

    private static final String LOGIN = "tls_test_login";
    private static final String MARKER = "SELECT N'a marker only the server may read'";
    private static final int TDS_HEADER = 8;
    private static final byte PRELOGIN = 0x12;
    private static final byte LOGIN7 = 0x10;
    private static final byte SQL_BATCH = 0x01;
    /** TLS record content types (RFC 5246 6.2.1). */
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_APPLICATION_DATA = 0x17;

    private static Emulator emulator;

    @BeforeAll
    static void start() throws SQLException {
        emulator = Emulator.builder().captureLatency(Duration.ofMillis(20)).start();
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.items (id INT PRIMARY KEY, name NVARCHAR(200) NOT NULL)");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items', @role_name = NULL");
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static Connection connect(String tls) throws SQLException {
        return connect(emulator.port(), tls);
    }

    private static Connection connect(int port, String tls) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlserver://" + emulator.host() + ":" + port + ";databaseName="
                + emulator.database() + ";user=" + LOGIN + ";password=emulator;" + tls);
    }

    /** The connection properties of encrypt=true with a new trust store in {@code dir} that holds {@code certificate}. */
    private static String trusting(X509Certificate certificate, Path dir) throws IOException, GeneralSecurityException {
        Path trustStore = Files.createTempFile(dir, "trust", ".p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("emulator", certificate);
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
        return "encrypt=true;trustStore=" + trustStore + ";trustStorePassword=changeit;trustStoreType=PKCS12";
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
        }
    }

    /** The types of the client's TDS packets up to the first byte that does not start one (a TLS record, once encrypted). */
    private static List<Integer> leadingPacketTypes(byte[] sent) {
        List<Integer> types = new ArrayList<>();
        int i = 0;
        while (i + TDS_HEADER <= sent.length && (sent[i] == PRELOGIN || sent[i] == LOGIN7 || sent[i] == SQL_BATCH)) {
            types.add((int) sent[i]);
            i += ((sent[i + 2] & 0xFF) << 8) | (sent[i + 3] & 0xFF);
        }
        if (i < sent.length) {
            types.add(sent[i] & 0xFF);
        }
        return types;
    }

    @Test
    void encryptTrueWithTrustServerCertificateRunsQueriesLargeResultsAndCdcReads() throws Exception {
        try (Connection c = connect("encrypt=true;trustServerCertificate=true")) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dbo.items (id, name) VALUES (?, ?)")) {
                for (int id = 1; id <= LARGE_ROWS; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "item " + id + " " + "x".repeat(100));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            List<Integer> ids = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM dbo.items ORDER BY id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                    assertThat(rs.getString(2)).startsWith("item " + rs.getInt(1) + " ").hasSize(
                            ("item " + rs.getInt(1) + " ").length() + 100);
                }
            }
            assertThat(ids).hasSize(LARGE_ROWS).first().isEqualTo(1);
            assertThat(ids).last().isEqualTo(LARGE_ROWS);

            assertThat(emulator.awaitCaptured(Duration.ofSeconds(10))).isTrue();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CHANGES)) {
                int changes = 0;
                while (rs.next()) {
                    changes++;
                }
                assertThat(changes).isEqualTo(LARGE_ROWS);
            }
        }
    }

    @Test
    void encryptTrueTrustsTheCertificateThroughATrustStore(@TempDir Path dir) throws Exception {
        String trust = trusting(emulator.certificate(), dir);

        // 127.0.0.1 is in the certificate's subject alternative names, so no hostNameInCertificate is needed
        try (Connection c = connect(trust)) {
            query(c, MARKER);
        }
        try (Connection c = connect(trust + ";hostNameInCertificate=localhost")) {
            query(c, MARKER);
        }
        assertThatThrownBy(() -> connect(trust + ";hostNameInCertificate=sql.example.com"))
                .isInstanceOf(SQLException.class).hasMessageContaining("sql.example.com");
    }

    @Test
    void aPkcs12KeyStoreOfTheUsersServesTlsInsteadOfTheSelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("own.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "own", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=emulator.test", "-ext", "SAN=dns:emulator.test", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", "own-secret", "-keypass", "own-secret")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor()).as("keytool exit code").isZero();

        try (Emulator own = Emulator.builder().tlsKeyStore(keyStore, "own-secret".toCharArray()).start()) {
            assertThat(own.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=emulator.test");
            String url = "jdbc:sqlserver://" + own.host() + ":" + own.port() + ";user=sa;password=emulator;"
                    + trusting(own.certificate(), dir) + ";hostNameInCertificate=emulator.test";
            try (Connection c = DriverManager.getConnection(url)) {
                query(c, MARKER);
            }
        }
        assertThatThrownBy(() -> Emulator.builder().tlsKeyStore(keyStore, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(keyStore.toString());
    }

    @Test
    void encryptTrueWithoutTrustingTheCertificateFails() {
        assertThatThrownBy(() -> connect("encrypt=true"))
                .isInstanceOf(SQLException.class).hasMessageContaining("PKIX");
    }

    @Test
    void encryptTrueFramesTheHandshakeInPreloginPacketsThenSendsEverythingInsideTls() throws Exception {
        try (RecordingProxy wire = new RecordingProxy(emulator.host(), emulator.port());
             Connection c = connect(wire.port(), "encrypt=true;trustServerCertificate=true")) {
            query(c, MARKER);

            byte[] sent = wire.clientBytes();
            List<Integer> types = leadingPacketTypes(sent);
            // PRELOGIN, then the TLS handshake in PRELOGIN packets, then TLS records: no TDS packet in the clear
            assertThat(types).first().isEqualTo((int) PRELOGIN);
            assertThat(types.subList(1, types.size() - 1)).isNotEmpty().allMatch(t -> t == PRELOGIN);
            assertThat(types).last().isEqualTo(TLS_APPLICATION_DATA);
            int secondPacket = ((sent[2] & 0xFF) << 8) | (sent[3] & 0xFF);
            assertThat(sent[secondPacket + TDS_HEADER] & 0xFF).as("ClientHello record").isEqualTo(TLS_HANDSHAKE);
            assertThat(wire.clientSentInTheClear(MARKER)).isFalse();
            assertThat(wire.clientSentInTheClear(LOGIN)).isFalse();
        }
    }

    @Test
    void encryptFalseStaysInTheClear() throws Exception {
        try (RecordingProxy wire = new RecordingProxy(emulator.host(), emulator.port());
             Connection c = connect(wire.port(), "encrypt=false")) {
            query(c, MARKER);

            assertThat(leadingPacketTypes(wire.clientBytes())).startsWith((int) PRELOGIN, (int) LOGIN7);
            assertThat(wire.clientSentInTheClear(LOGIN)).isTrue();
            assertThat(wire.clientSentInTheClear(MARKER)).isTrue();
        }
    }

    @Test
    void encryptStrictIsRefused() {
        // TDS 8 starts with TLS before PRELOGIN; the emulator closes the connection (and logs why)
        assertThatThrownBy(() -> connect("encrypt=strict;trustServerCertificate=true"))
                .isInstanceOf(SQLException.class).hasMessageContaining("could not establish a secure connection");
    }

    @Test
    void anEntraAccessTokenIsRefusedAsLoginFailed() {
        SQLServerDataSource source = new SQLServerDataSource();
        source.setURL("jdbc:sqlserver://" + emulator.host() + ":" + emulator.port() + ";databaseName="
                + emulator.database() + ";encrypt=true;trustServerCertificate=true");
        source.setAccessToken("eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2RhdGFiYXNlLndpbmRvd3MubmV0LyJ9.c2ln");
        assertThatThrownBy(source::getConnection).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(18456);
            assertThat(e.getMessage()).contains("federated authentication (Microsoft Entra ID) is not supported");
        });
    }

    @Test
    void aQueryTimeoutInsideTlsCancelsAndTheSessionGoesOn() throws SQLException {
        try (Connection c = connect("encrypt=true;trustServerCertificate=true"); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            // the ATTENTION arrives on the reader thread while the request thread waits, both through TLS
            assertThatThrownBy(() -> s.execute("WAITFOR DELAY '00:00:10'")).isInstanceOf(SQLTimeoutException.class);
            query(c, MARKER);
        }
    }

    @Test
    void concurrentTlsConnectionsEachRunTheirOwnSession() throws Exception {
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                Callable<Integer> client = () -> {
                    try (Connection c = connect("encrypt=true;trustServerCertificate=true");
                         Statement s = c.createStatement()) {
                        int sum = 0;
                        for (int round = 0; round < 20; round++) {
                            try (ResultSet rs = s.executeQuery("SELECT " + n + " * 1000 + " + round)) {
                                rs.next();
                                sum += rs.getInt(1);
                            }
                        }
                        return sum;
                    }
                };
                results.add(pool.submit(client));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(results.get(i).get()).isEqualTo(i * 1000 * 20 + 190);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
