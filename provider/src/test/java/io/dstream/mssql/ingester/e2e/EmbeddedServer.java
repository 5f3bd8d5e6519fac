package io.dstream.mssql.ingester.e2e;

import io.dstream.mssql.emulator.Emulator;

import java.time.Duration;
import java.util.Optional;

/** An in-process emulator for one test class, CDC enabled on its database {@code testdb}, 20 ms capture latency. */
final class EmbeddedServer implements TestServer {

    private static final Duration CAPTURED = Duration.ofSeconds(10);

    private final Emulator emulator;
    private final Db db;

    EmbeddedServer(Emulator emulator) {
        this.emulator = emulator;
        this.db = new Db(emulator.jdbcUrl());
        db.exec("EXEC sys.sp_cdc_enable_db");
    }

    /** With credentials, so that a wrong password is refused (18456) and the password can be looked for in logs. */
    static EmbeddedServer start(String password) {
        return new EmbeddedServer(Emulator.builder().database("testdb").credentials("sa", password)
                .captureLatency(Duration.ofMillis(20)).start());
    }

    @Override
    public boolean isEmbedded() {
        return true;
    }

    @Override
    public Optional<Emulator> emulator() {
        return Optional.of(emulator);
    }

    @Override
    public String jdbcUrl() {
        return emulator.jdbcUrl();
    }

    @Override
    public String connectionString() {
        return emulator.connectionString();
    }

    @Override
    public String host() {
        return emulator.host();
    }

    @Override
    public int port() {
        return emulator.port();
    }

    @Override
    public String database() {
        return emulator.database();
    }

    @Override
    public Db db() {
        return db;
    }

    /** The emulator knows exactly: no marker row needed (PurgeIT purges below the max LSN right after). */
    @Override
    public void awaitCaptured() {
        if (!emulator.awaitCaptured(CAPTURED)) {
            throw new AssertionError("the emulator's capture did not catch up within " + CAPTURED.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
