package io.dstream.mssql.ingester.e2e;

import io.dstream.mssql.emulator.Emulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A SQL Server the tests do not start: named by a JDBC URL ({@value TestServer#URL_VARIABLE}), shared by every test
 * class of the JVM. It is prepared once: CDC enabled on the database if it is not yet, the harness's tables
 * ({@link OwnedObjects#TABLE}, {@link #MARKER}) created. The tests' tables are dropped before each class (the
 * leftovers of a run that died) and after it; the server keeps nothing else of a run.
 */
final class ExternalServer implements TestServer {

    /** CDC-enabled: a row written here and seen in its change table means the capture job read past it. */
    static final String MARKER = "dbo.e2e_capture_marker";
    private static final String MARKER_CAPTURE_INSTANCE = "dbo_e2e_capture_marker";
    private static final String MARKER_EXISTS = "SELECT COUNT(*) FROM sys.tables t JOIN sys.schemas s "
            + "ON s.schema_id = t.schema_id WHERE s.name = N'dbo' AND t.name = N'e2e_capture_marker'";
    private static final String MARKER_CREATE = "CREATE TABLE " + MARKER + " (token NVARCHAR(36) NOT NULL PRIMARY KEY)";
    private static final String MARKER_TRACKED = "SELECT COUNT(*) FROM cdc.change_tables WHERE capture_instance = ?";
    private static final String MARKER_INSERT = "INSERT INTO " + MARKER + " (token) VALUES (?)";
    private static final String MARKER_CAPTURED = "SELECT COUNT(*) FROM cdc." + MARKER_CAPTURE_INSTANCE
            + "_CT WHERE token = ?";
    private static final String MARKER_CLEAR = "DELETE FROM " + MARKER;
    private static final String CDC_ENABLED = "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()";
    private static final String ENABLE_CDC = "EXEC sys.sp_cdc_enable_db";

    /** The first connection may wait for a server that is still starting (the build's emulator process). */
    private static final Duration REACHABLE = Duration.ofSeconds(30);
    private static final Duration MARKER_POLL = Duration.ofMillis(200);

    private static ExternalServer shared;

    private final JdbcUrl url;
    /** The harness's own client: what it creates is not the tests' to drop. */
    private final Db harness;
    /** The tests' client. */
    private final Db db;

    private ExternalServer(JdbcUrl url) {
        this.url = url;
        awaitReachable(url);
        this.harness = new Db(url.text());
        enableCdcOnDatabase();
        prepareMarker();
        this.db = new Db(url.text(), new OwnedObjects(harness));
    }

    /** The JVM's server for this URL, prepared on first use; the leftovers of earlier test classes dropped. */
    static synchronized ExternalServer shared(String jdbcUrl) {
        if (shared == null) {
            shared = new ExternalServer(JdbcUrl.parse(jdbcUrl));
        }
        shared.db.dropOwned();
        return shared;
    }

    @Override
    public boolean isEmbedded() {
        return false;
    }

    @Override
    public Optional<Emulator> emulator() {
        return Optional.empty();
    }

    @Override
    public String jdbcUrl() {
        return url.text();
    }

    /** The provider reads JDBC URLs as they are. */
    @Override
    public String connectionString() {
        return url.text();
    }

    @Override
    public String host() {
        return url.host();
    }

    @Override
    public int port() {
        return url.port();
    }

    @Override
    public String database() {
        return url.database();
    }

    @Override
    public Db db() {
        return db;
    }

    /**
     * SQL Server's capture job reads the log in commit order: once a marker row committed now is in its change
     * table, so is every change committed before it.
     */
    @Override
    public void awaitCaptured() {
        String token = UUID.randomUUID().toString();
        harness.update(MARKER_INSERT, token);
        Duration patience = TestServer.patience(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + patience.toNanos();
        while (((Number) harness.value(MARKER_CAPTURED, token)).intValue() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the capture job did not capture a row of " + MARKER + " within "
                        + patience.toSeconds() + " s: SQL Server Agent must be running the capture job of database "
                        + database() + " (on Linux and in containers: MSSQL_AGENT_ENABLED=true)");
            }
            sleep(MARKER_POLL);
        }
    }

    /** Drops the tables the test class created; the server stays up for the next class. */
    @Override
    public void close() {
        db.dropOwned();
    }

    private void enableCdcOnDatabase() {
        if (isTrue(harness.value(CDC_ENABLED))) {
            return;
        }
        try {
            harness.exec(ENABLE_CDC);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("CDC is not enabled on database " + database() + " and this login may "
                    + "not enable it (sys.sp_cdc_enable_db needs sysadmin): have an administrator run "
                    + "'USE [" + database() + "]; EXEC sys.sp_cdc_enable_db', or use a sysadmin login. The server said: "
                    + e.getMessage(), e);
        }
    }

    private void prepareMarker() {
        if (((Number) harness.value(MARKER_EXISTS)).intValue() == 0) {
            harness.exec(MARKER_CREATE);
        }
        if (((Number) harness.value(MARKER_TRACKED, MARKER_CAPTURE_INSTANCE)).intValue() == 0) {
            harness.enableCdc("dbo", "e2e_capture_marker");
        }
        harness.exec(MARKER_CLEAR);
    }

    private static boolean isTrue(Object bit) {
        return bit instanceof Boolean b ? b : bit instanceof Number n && n.intValue() != 0;
    }

    private static void awaitReachable(JdbcUrl url) {
        long deadline = System.nanoTime() + REACHABLE.toNanos();
        while (true) {
            try (Connection ignored = DriverManager.getConnection(url.text())) {
                return;
            } catch (SQLException e) {
                boolean connecting = e.getSQLState() != null && e.getSQLState().startsWith("08");
                if (!connecting || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot connect to the server of " + URL_VARIABLE + " ("
                            + url.host() + ":" + url.port() + ", database " + url.database() + "): " + e.getMessage(), e);
                }
                sleep(MARKER_POLL);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The parts of {@code jdbc:sqlserver://host[\instance][:port][;key=value]...} the tests need. */
    record JdbcUrl(String text, String host, int port, String database) {

        private static final String PREFIX = "jdbc:sqlserver://";

        static JdbcUrl parse(String text) {
            String url = text.trim();
            if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                throw new IllegalArgumentException(URL_VARIABLE + " must be a JDBC URL "
                        + "jdbc:sqlserver://host:port;databaseName=...;user=...;password=...;encrypt=...; it starts with '"
                        + url.substring(0, Math.min(url.length(), PREFIX.length())) + "'");
            }
            String rest = url.substring(PREFIX.length());
            int semicolon = rest.indexOf(';');
            String address = semicolon < 0 ? rest : rest.substring(0, semicolon);
            Map<String, String> properties = properties(semicolon < 0 ? "" : rest.substring(semicolon + 1));
            String hostPart = address;
            int port = 1433;
            int colon = address.lastIndexOf(':');
            if (colon >= 0) {
                hostPart = address.substring(0, colon);
                port = Integer.parseInt(address.substring(colon + 1));
            } else if (properties.containsKey("portnumber")) {
                port = Integer.parseInt(properties.get("portnumber"));
            }
            String host = hostPart.contains("\\") ? hostPart.substring(0, hostPart.indexOf('\\')) : hostPart;
            if (host.isEmpty()) {
                host = properties.getOrDefault("servername", "localhost");
            }
            String database = properties.getOrDefault("databasename", properties.get("database"));
            if (database == null || database.isBlank()) {
                throw new IllegalArgumentException(URL_VARIABLE + " names no database: add ;databaseName=<a database "
                        + "the tests may create and drop tables in>");
            }
            return new JdbcUrl(url, host, port, database);
        }

        /** {@code key=value;...}, keys lower-cased; a value in braces may hold {@code ;} ({@code }}} for {@code }}). */
        private static Map<String, String> properties(String text) {
            Map<String, String> properties = new LinkedHashMap<>();
            int i = 0;
            while (i < text.length()) {
                int equals = text.indexOf('=', i);
                if (equals < 0) {
                    break;
                }
                String key = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
                StringBuilder value = new StringBuilder();
                int j = equals + 1;
                if (j < text.length() && text.charAt(j) == '{') {
                    j++;
                    while (j < text.length() && !(text.charAt(j) == '}' && (j + 1 >= text.length() || text.charAt(j + 1) != '}'))) {
                        value.append(text.charAt(j));
                        j += text.charAt(j) == '}' ? 2 : 1;
                    }
                    j = text.indexOf(';', j);
                } else {
                    int end = text.indexOf(';', j);
                    value.append(end < 0 ? text.substring(j) : text.substring(j, end));
                    j = end;
                }
                properties.put(key, value.toString().trim());
                i = j < 0 ? text.length() : j + 1;
            }
            return properties;
        }
    }
}
