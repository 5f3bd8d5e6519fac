package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.workload.BenchSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * An emulator holding idle CDC tables and a checkpoint table, shared by the idle and startup
 * scenarios: neither writes a change, so neither disturbs the other.
 */
public final class CatalogEmulator implements AutoCloseable {

    private final EmulatorProcess emulator;
    private final List<String> tables;

    private CatalogEmulator(EmulatorProcess emulator, List<String> tables) {
        this.emulator = emulator;
        this.tables = tables;
    }

    public static CatalogEmulator start(BenchRun run, int tableCount) throws InterruptedException {
        EmulatorProcess emulator = run.startEmulator("idle", Duration.ZERO);
        try (Connection c = BenchRun.connect(emulator)) {
            List<String> tables = BenchSchema.createIdleTables(c, tableCount);
            run.initCheckpoints("idle", emulator, tables.get(0));
            return new CatalogEmulator(emulator, tables);
        } catch (SQLException | RuntimeException e) {
            emulator.close();
            throw new BenchException("could not create " + tableCount + " CDC tables in the emulator: " + e.getMessage(), e);
        }
    }

    public EmulatorProcess emulator() {
        return emulator;
    }

    public List<String> tables() {
        return tables;
    }

    @Override
    public void close() throws InterruptedException {
        emulator.close();
    }
}
