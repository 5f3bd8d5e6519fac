package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.workload.BenchSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An emulator holding CDC tables nobody writes to, created as they are asked for: a run watching
 * k tables finds exactly k CDC tables in the database, as a user's database with k tables would
 * have (the emulator's catalog views cost more the more tables exist).
 */
final class IdleDatabase implements AutoCloseable {

    private final BenchRun run;
    private final String scenario;
    private final EmulatorProcess emulator;
    private final List<String> tables = new ArrayList<>();
    private boolean initialized;

    private IdleDatabase(BenchRun run, String scenario, EmulatorProcess emulator) {
        this.run = run;
        this.scenario = scenario;
        this.emulator = emulator;
    }

    static IdleDatabase start(BenchRun run, String scenario) {
        return new IdleDatabase(run, scenario, run.startEmulator(scenario, Duration.ZERO));
    }

    EmulatorProcess emulator() {
        return emulator;
    }

    /** The first {@code count} idle tables, creating the missing ones (and the checkpoint table with the first). */
    List<String> tables(int count) throws SQLException, InterruptedException {
        if (tables.size() < count) {
            try (Connection c = BenchRun.connect(emulator)) {
                tables.addAll(BenchSchema.createIdleTables(c, tables.size() + 1, count));
            }
        }
        if (!initialized) {
            run.initCheckpoints(scenario, emulator, tables.get(0));
            initialized = true;
        }
        return List.copyOf(tables.subList(0, count));
    }

    @Override
    public void close() throws InterruptedException {
        emulator.close();
    }
}
