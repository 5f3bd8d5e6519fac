package io.dstream.mssql.ingester.e2e;

import io.dstream.mssql.emulator.Emulator;

import java.time.Duration;
import java.util.Optional;

/**
 * The SQL Server the end-to-end tests talk to: the embedded emulator (the default, one per test class), or an
 * external server named by the environment variable {@value #URL_VARIABLE} (a real SQL Server, or an emulator
 * started as a separate process), or with {@code -De2e.testcontainers=true} a SQL Server container.
 */
interface TestServer extends AutoCloseable {

    /** A JDBC URL {@code jdbc:sqlserver://host:port;databaseName=...;user=...;password=...;encrypt=...}. */
    String URL_VARIABLE = "MSSQL_TEST_URL";
    String TESTCONTAINERS_PROPERTY = "e2e.testcontainers";

    /** True when this JVM runs the tests against the embedded emulator. */
    static boolean embeddedTarget() {
        return System.getenv(URL_VARIABLE) == null && !Boolean.getBoolean(TESTCONTAINERS_PROPERTY);
    }

    /**
     * How long to wait for something that needs the capture job: as given against the embedded emulator (which
     * captures within milliseconds), at least 60 s against an external server, whose capture job (SQL Server
     * Agent) scans the log every few seconds. Every such wait of the suite goes through here.
     */
    static Duration patience(Duration embedded) {
        if (embeddedTarget()) {
            return embedded;
        }
        Duration scaled = embedded.multipliedBy(3);
        return scaled.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : scaled;
    }

    /** The server of this test class: a new embedded emulator, or the JVM's one external server. */
    static TestServer forTestClass(String embeddedPassword) {
        if (System.getenv(URL_VARIABLE) != null) {
            return ExternalServer.shared(System.getenv(URL_VARIABLE));
        }
        if (Boolean.getBoolean(TESTCONTAINERS_PROPERTY)) {
            return ExternalServer.shared(containerUrl());
        }
        return EmbeddedServer.start(embeddedPassword);
    }

    /**
     * The JDBC URL of the SQL Server container of {@code SqlServerContainer}, which only the {@code testcontainers}
     * profile compiles (it needs the Testcontainers jars): loaded by name.
     */
    private static String containerUrl() {
        try {
            return (String) Class.forName(TestServer.class.getPackageName() + ".SqlServerContainer")
                    .getMethod("jdbcUrl").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("-D" + TESTCONTAINERS_PROPERTY + "=true needs the Testcontainers profile: "
                    + "mvn -B verify -pl provider -am -P testcontainers", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the SQL Server container: " + e.getCause(), e);
        }
    }

    boolean isEmbedded();

    /** The emulator, when embedded: for what only it can do (pause capture, purge, inject faults, count requests). */
    Optional<Emulator> emulator();

    /** For the test's own client ({@link Db}). */
    String jdbcUrl();

    /** What the provider is given as {@code db_connection_string}. */
    String connectionString();

    String host();

    int port();

    String database();

    /** A client for the test, with whatever bookkeeping this server needs to clean up after the tests. */
    Db db();

    /** Waits until every change committed so far is in the change tables (the capture job ran). */
    void awaitCaptured();

    /** Called after each test class: drops what the class created (external), or stops the emulator (embedded). */
    @Override
    void close();
}
