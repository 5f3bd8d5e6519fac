package io.dstream.mssql.ingester.e2e;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code -P testcontainers}: one SQL Server 2022 container for the JVM, with SQL Server Agent on (it runs the CDC
 * capture job) and a database {@value #DATABASE} for the tests, reached like any external server through its JDBC URL
 * ({@link ExternalServer}). Compiled only in that profile (it needs the Testcontainers jars) and loaded by name from
 * {@link TestServer}; it needs a Docker engine.
 */
public final class SqlServerContainer {

    static final String IMAGE = "mcr.microsoft.com/mssql/server:2022-latest";
    static final String DATABASE = "e2e";
    private static final int PORT = 1433;
    /** Meets SQL Server's password policy; the container lives as long as the test JVM. */
    private static final String SA_PASSWORD = "E2e-Container-Passw0rd";
    private static final String READY_LOG = ".*SQL Server is now ready for client connections.*";
    private static final Duration STARTUP = Duration.ofMinutes(3);
    /** After the ready line, the server may still refuse logins while it recovers its system databases. */
    private static final Duration LOGIN = Duration.ofSeconds(60);
    private static final String CREATE_DATABASE = "IF DB_ID(N'" + DATABASE + "') IS NULL CREATE DATABASE [" + DATABASE + "]";

    private static String jdbcUrl;

    private SqlServerContainer() {
    }

    /** Starts the container on first use; the URL of its test database. */
    public static synchronized String jdbcUrl() {
        if (jdbcUrl == null) {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                    .withEnv("ACCEPT_EULA", "Y")
                    .withEnv("MSSQL_SA_PASSWORD", SA_PASSWORD)
                    .withEnv("MSSQL_AGENT_ENABLED", "true")
                    .withExposedPorts(PORT)
                    .waitingFor(Wait.forLogMessage(READY_LOG, 1).withStartupTimeout(STARTUP));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "sql-server-container-stop"));
            String server = "jdbc:sqlserver://" + container.getHost() + ":" + container.getMappedPort(PORT)
                    + ";user=sa;password=" + SA_PASSWORD + ";encrypt=true;trustServerCertificate=true";
            createDatabase(server);
            jdbcUrl = server + ";databaseName=" + DATABASE;
        }
        return jdbcUrl;
    }

    private static void createDatabase(String serverUrl) {
        long deadline = System.nanoTime() + LOGIN.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
                s.execute(CREATE_DATABASE);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the SQL Server container did not accept CREATE DATABASE "
                            + DATABASE + " within " + LOGIN.toSeconds() + " s: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", interrupted);
                }
            }
        }
    }
}
