package io.dstream.mssql.emulator;

import io.dstream.mssql.emulator.cdc.CdcFeature;
import io.dstream.mssql.emulator.engine.H2Engine;
import io.dstream.mssql.emulator.engine.Scripts;
import io.dstream.mssql.emulator.engine.Session;
import io.dstream.mssql.emulator.tds.ServerCertificate;
import io.dstream.mssql.emulator.tds.TdsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A running SQL Server CDC emulator: a TDS 7.4 server on loopback in front of H2, with SQL
 * Server's CDC surface and test hooks. Connect with mssql-jdbc using {@link #jdbcUrl()}
 * ({@code encrypt=false}), or with {@code encrypt=true} as with SQL Server: the session then runs
 * in TLS 1.2 with a self-signed certificate for {@code localhost} and {@code 127.0.0.1}
 * ({@link #certificate()}; clients need {@code trustServerCertificate=true} or a trust store
 * holding it), or the key store given to {@link Builder#tlsKeyStore}.
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.builder().database("shop").start()) {
 *     try (Connection c = DriverManager.getConnection(emulator.jdbcUrl())) { ... }
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {

    /** Like the capture job's default scan interval order of magnitude: changes appear shortly after commit. */
    public static final Duration DEFAULT_CAPTURE_LATENCY = Duration.ofMillis(200);

    private final Builder config;
    private final CdcFeature cdc;
    private final H2Engine engine;
    private final TdsServer server;

    private Emulator(Builder config, CdcFeature cdc, H2Engine engine, TdsServer server) {
        this.config = config;
        this.cdc = cdc;
        this.engine = engine;
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to start an emulator; every setting has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String database = "testdb";
        private String user;
        private String password;
        private Duration captureLatency = DEFAULT_CAPTURE_LATENCY;
        private Path initScript;
        private Path dataDir;
        private ServerCertificate certificate = ServerCertificate.selfSigned();
        private boolean entraSignIn;

        private Builder() {
        }

        /** The address to listen on (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = requireText(host, "host");
            return this;
        }

        /** The TCP port (default 0: any free port, see {@link Emulator#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The default database, created at start (default testdb). Other names given at login are created on use. */
        public Builder database(String database) {
            this.database = requireText(database, "database");
            return this;
        }

        /** Accept only this login (default: any user and password are accepted). */
        public Builder credentials(String user, String password) {
            this.user = requireText(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long after commit the capture job moves changes into the change tables (default 200 ms). */
        public Builder captureLatency(Duration latency) {
            Objects.requireNonNull(latency, "captureLatency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("captureLatency must be >= 0, was " + latency);
            }
            this.captureLatency = latency;
            return this;
        }

        /** T-SQL with {@code GO} separators run in the default database before the server accepts connections. */
        public Builder initScript(Path script) {
            this.initScript = Objects.requireNonNull(script, "initScript");
            return this;
        }

        /**
         * Keep databases in this directory (created if missing) instead of in memory: tables, data,
         * CDC state (capture instances, change tables, {@code cdc.lsn_time_mapping}, minimum LSNs) and
         * object ids survive {@link Emulator#close()} and a new start on the same directory, and LSNs
         * keep increasing. One emulator at a time per directory. {@code tempdb} stays in memory.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir");
            return this;
        }

        /**
         * Serve TLS with the first key entry of this PKCS#12 file instead of the self-signed
         * certificate; read (and checked) now.
         *
         * @throws IllegalArgumentException when the file cannot be read, the password is wrong or it holds no key
         */
        public Builder tlsKeyStore(Path pkcs12, char[] password) {
            this.certificate = ServerCertificate.pkcs12(pkcs12, password);
            return this;
        }

        /**
         * Accept Microsoft Entra sign-in as Azure SQL does (default: refused with 18456, as by a SQL Server
         * without Microsoft Entra). A token is accepted when its claims say it is for Azure SQL ({@code aud}
         * {@code https://database.windows.net/}) and not expired; its signature is not checked. The session's
         * user is the token's object id. Clients get tokens their usual way: mssql-jdbc's
         * {@code accessToken}, an access token callback, or a managed identity endpoint
         * ({@code authentication=ActiveDirectoryManagedIdentity}).
         */
        public Builder entraSignIn(boolean accept) {
            this.entraSignIn = accept;
            return this;
        }

        /**
         * Starts the emulator. Fails with {@link IllegalStateException} when the init script fails
         * (the message names the file and line) or the port cannot be bound.
         */
        public Emulator start() {
            CdcFeature cdc = new CdcFeature(captureLatency);
            H2Engine engine;
            try {
                engine = new H2Engine(new H2Engine.Options(user, password, database, dataDir), List.of(cdc));
            } catch (RuntimeException e) {
                cdc.close();
                throw e;
            }
            TdsServer server = null;
            try {
                engine.database(database);
                if (initScript != null) {
                    runInitScript(engine);
                }
                server = new TdsServer(engine, host, port, certificate, entraSignIn);
                server.start();
                return new Emulator(this, cdc, engine, server);
            } catch (IOException e) {
                stop(server, engine, cdc);
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (RuntimeException e) {
                stop(server, engine, cdc);
                throw e;
            }
        }

        private static void stop(TdsServer server, H2Engine engine, CdcFeature cdc) {
            if (server != null) {
                server.close();
            }
            engine.close();
            cdc.close();
        }

        private void runInitScript(H2Engine engine) {
            String script;
            try {
                script = Files.readString(initScript, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read init script " + initScript + ": " + e.getMessage(), e);
            }
            try (Session session = engine.openSession(database, user, password)) {
                Scripts.run(session, script, initScript.toString());
            } catch (Scripts.ScriptError e) {
                throw new IllegalStateException("init script failed at " + e.getMessage(), e);
            }
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String database() {
        return config.database;
    }

    /** {@code jdbc:sqlserver://127.0.0.1:<port>;databaseName=<db>;encrypt=false[;user=..;password=..]}. */
    public String jdbcUrl() {
        String url = "jdbc:sqlserver://" + host() + ":" + port() + ";databaseName=" + database() + ";encrypt=false";
        return config.user == null ? url : url + ";user=" + config.user + ";password=" + config.password;
    }

    /**
     * The ADO.NET-style connection string. Without configured credentials it names user
     * {@code sa} (any login is accepted).
     */
    public String connectionString() {
        String user = config.user == null ? "sa" : config.user;
        String password = config.user == null ? "emulator" : config.password;
        return "server=" + host() + "," + port() + ";database=" + database() + ";user id=" + user + ";password="
                + password + ";encrypt=false";
    }

    /**
     * The certificate clients asking for TLS see, e.g. to put into a trust store. The self-signed
     * one is made on first use (keytool, about a second) and kept for the process.
     */
    public X509Certificate certificate() {
        return config.certificate.certificate();
    }

    /** Stops the capture job: committed changes wait until {@link #resumeCapture()}. */
    public void pauseCapture() {
        cdc.pauseCapture();
    }

    public void resumeCapture() {
        cdc.resumeCapture();
    }

    public void setCaptureLatency(Duration latency) {
        cdc.setCaptureLatency(latency);
    }

    /** True once everything committed before the call is in the change tables; false on timeout. */
    public boolean awaitCaptured(Duration timeout) {
        return cdc.awaitCaptured(timeout);
    }

    /** CDC cleanup in the default database, as {@code sp_cdc_cleanup_change_table} with this low water mark. */
    public void purgeBelow(byte[] lsn) {
        cdc.purgeBelow(database(), lsn);
    }

    /** Closes every client connection (clients see a broken connection); the server keeps accepting. */
    public void dropConnections() {
        server.dropConnections();
    }

    /** The statement after the next {@code afterStatements} statements fails with SQL Server error {@code number}. */
    public void injectError(int number, int afterStatements) {
        engine.injectError(number, afterStatements);
    }

    /** Requests (SQL batches and RPCs) received so far. */
    public long requestCount() {
        return engine.requestCount();
    }

    /** A new JDBC connection to the default database (needs mssql-jdbc on the classpath). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** The engine, for tests that need a database context directly. */
    public H2Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        server.close();
        cdc.close();
        engine.close();
    }
}
