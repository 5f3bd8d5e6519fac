package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What every scenario shares: the settings, the jars, where logs go, and how to start the processes. */
public final class BenchRun {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final BenchSettings settings;
    private final Path providerJar;
    private final Path packagedPlugin;
    private final Path workDir;
    private final List<String> emulatorJvmOptions;
    private final boolean profile;
    private final AtomicInteger launches = new AtomicInteger();

    /**
     * With {@code profile}, every emulator and provider JVM records a Flight Recorder file in the work dir.
     * {@code packagedPlugin} is the packaged linux_amd64 plugin that the startup scenario also times.
     */
    public BenchRun(BenchSettings settings, Path providerJar, Path packagedPlugin, Path workDir,
                    List<String> emulatorJvmOptions, boolean profile) {
        this.settings = settings;
        this.providerJar = providerJar;
        this.packagedPlugin = packagedPlugin;
        this.workDir = workDir;
        this.emulatorJvmOptions = List.copyOf(emulatorJvmOptions);
        this.profile = profile;
    }

    public BenchSettings settings() {
        return settings;
    }

    public Path workDir() {
        return workDir;
    }

    /** Progress goes to stderr so that stdout carries only the results table. */
    public static void log(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }

    EmulatorProcess startEmulator(String scenario, Duration captureLatency) {
        return EmulatorProcess.start(withProfile(emulatorJvmOptions, scenario + "-emulator"), captureLatency,
                workDir.resolve(scenario + "-emulator.log"));
    }

    private List<String> withProfile(List<String> jvmOptions, String name) {
        if (!profile) {
            return jvmOptions;
        }
        // JFR announces itself on stdout unless its startup log is raised to errors only; the provider's
        // stdout must carry JSON lines only.
        List<String> options = new java.util.ArrayList<>(jvmOptions);
        options.add("-Xlog:jfr+startup=error");
        options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + workDir.resolve(name + ".jfr"));
        return options;
    }

    static Connection connect(EmulatorProcess emulator) throws SQLException {
        return DriverManager.getConnection(emulator.jdbcUrl());
    }

    /** The packaged linux_amd64 plugin ({@code provider/target/dist/plugin.linux_amd64}) if there is one. */
    java.util.Optional<Path> packagedPlugin() {
        return java.util.Optional.ofNullable(packagedPlugin).filter(java.nio.file.Files::isExecutable);
    }

    /** Starts the packaged plugin as DStream does: the file, no arguments, the config line on stdin. */
    ProviderProcess startPackaged(String scenario, String stdinLine, LineHandler handler) {
        String name = scenario + "-plugin-" + launches.incrementAndGet();
        Path plugin = packagedPlugin().orElseThrow(() -> new BenchException("no packaged plugin at " + packagedPlugin));
        return ProviderProcess.startCommand(List.of(plugin.toString()), stdinLine, workDir.resolve(name + ".log"), handler);
    }

    ProviderProcess startProvider(String scenario, List<String> jvmOptions, String stdinLine, LineHandler handler) {
        String name = scenario + "-provider-" + launches.incrementAndGet();
        return ProviderProcess.start(providerJar, withProfile(jvmOptions, name), stdinLine, workDir.resolve(name + ".log"), handler);
    }

    /** Runs the provider's {@code init} command, which creates the checkpoint table, and checks it exits 0. */
    void initCheckpoints(String scenario, EmulatorProcess emulator, String table) throws InterruptedException {
        String line = ProviderConfig.line("init", emulator.connectionString(), List.of(table),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        ProviderProcess init = startProvider(scenario + "-init", List.of(), line, LineHandler.IGNORE);
        init.awaitReady(READY_TIMEOUT);
        int exit = init.awaitExit(READY_TIMEOUT);
        if (exit != 0) {
            throw new BenchException("the provider's init exited " + exit + "; see " + init.stderrLog());
        }
    }
}
