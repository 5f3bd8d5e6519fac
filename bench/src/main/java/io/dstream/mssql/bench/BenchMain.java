package io.dstream.mssql.bench;

import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.report.JsonReport;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.ResultTable;
import io.dstream.mssql.bench.scenario.BenchRun;
import io.dstream.mssql.bench.scenario.CaptureScenario;
import io.dstream.mssql.bench.scenario.DrainScenario;
import io.dstream.mssql.bench.scenario.IdleScenario;
import io.dstream.mssql.bench.scenario.LatencyScenario;
import io.dstream.mssql.bench.scenario.PeerScenario;
import io.dstream.mssql.bench.scenario.ScaleScenario;
import io.dstream.mssql.bench.scenario.SnapshotScenario;
import io.dstream.mssql.bench.scenario.StartupScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench}: runs the provider and the emulator as separate processes through seven
 * scenarios and prints one table row per figure, each held against its target.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks the provider against the emulator (each in its own JVM) and prints the results.")
public final class BenchMain implements Callable<Integer> {

    private static final List<String> ALL = List.of("drain", "idle", "latency", "startup", "capture", "scale", "peer", "snapshot");

    @Option(names = "--quick", description = "every scenario at a reduced size (about 4 minutes); the drain after a 50000-change warm-up, scale on 200 tables")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    Path json;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "which scenarios to run: drain (with cpu, marginal cpu, footprint), idle, latency, startup, "
                    + "capture, scale (with scale idle), peer (Debezium and the provider on one backlog), "
                    + "snapshot (with snapshot latency); default all")
    List<String> scenarios = ALL;

    @Option(names = "--changes", paramLabel = "N",
            description = "measured backlog of the drain (default 1000000; quick 50000, after a 50000-change warm-up)")
    Integer changes;

    @Option(names = "--scale-tables", paramLabel = "N", description = "CDC tables in the scale scenario (default 1000, quick 200)")
    Integer scaleTables;

    @Option(names = "--capture-latency-ms", paramLabel = "MS", defaultValue = "50",
            description = "the emulator's capture latency in the latency scenario (default ${DEFAULT-VALUE})")
    long captureLatencyMs;

    @Option(names = "--provider-jar", paramLabel = "JAR", description = "default: provider/target/dstream-ingester-mssql-*-all.jar under --root")
    Path providerJar;

    @Option(names = "--plugin", paramLabel = "FILE",
            description = "the packaged plugin the startup scenario also times; default: provider/target/dist/plugin.linux_amd64 under --root")
    Path packagedPlugin;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "the repository root (default: current directory)")
    Path root;

    @Option(names = "--profile", description = "record a Java Flight Recorder file of every emulator and provider JVM in the work dir")
    boolean profile;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where process logs go (default: bench/target/bench-run under --root)")
    Path workDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Set<String> chosen = new LinkedHashSet<>(scenarios);
        chosen.removeAll(ALL);
        if (!chosen.isEmpty()) {
            System.err.println("unknown scenario(s) " + chosen + "; choose from " + ALL);
            return 2;
        }
        BenchSettings settings = quick ? BenchSettings.quick(Duration.ofMillis(captureLatencyMs))
                : BenchSettings.full(Duration.ofMillis(captureLatencyMs));
        if (changes != null) {
            settings = settings.withDrainChanges(changes);
        }
        if (scaleTables != null) {
            settings = settings.withScaleTables(scaleTables);
        }
        Path jar = providerJar != null ? providerJar : findProviderJar(root);
        Path work = workDir != null ? workDir : root.resolve("bench/target/bench-run");
        Files.createDirectories(work);
        Path plugin = packagedPlugin != null ? packagedPlugin : root.resolve("provider/target/dist/plugin.linux_amd64");
        BenchRun run = new BenchRun(settings, jar, plugin, work, emulatorJvmOptions(), profile);

        Map<String, Object> machine = Machine.describe();
        String loadBefore = Machine.loadAverage();
        BenchRun.log("%s mode on %s, load average %s; process logs in %s", settings.mode(), Machine.summary(machine),
                loadBefore, work);
        // A stale provider jar is the easiest way to measure the wrong code: say which one runs.
        String providerBuilt = Files.getLastModifiedTime(jar).toInstant().toString();
        BenchRun.log("provider %s, built %s", jar, providerBuilt);
        Instant started = Instant.now();
        List<Outcome> outcomes = runScenarios(run);
        Duration took = Duration.between(started, Instant.now());
        machine.put("load_average_before", loadBefore);
        machine.put("load_average_after", Machine.loadAverage());

        System.out.print(ResultTable.format(outcomes));
        System.out.printf("(%s mode, %d s, %s, load average %s before / %s after)%n", settings.mode(), took.toSeconds(),
                Machine.summary(machine), machine.get("load_average_before"), machine.get("load_average_after"));
        if (json != null) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("mode", settings.mode());
            meta.put("started", started.toString());
            meta.put("duration_seconds", took.toSeconds());
            meta.put("machine", machine);
            meta.put("provider_jar", jar.getFileName().toString());
            meta.put("provider_jar_built", providerBuilt);
            JsonReport.write(json, meta, outcomes);
        }
        return outcomes.stream().anyMatch(o -> o.verdict() == io.dstream.mssql.bench.report.Verdict.ERROR) ? 1 : 0;
    }

    private List<Outcome> runScenarios(BenchRun run) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        if (scenarios.contains("drain")) {
            guard(outcomes, DrainScenario.ROWS, () -> new DrainScenario(run).run());
        }
        if (scenarios.contains("idle")) {
            guard(outcomes, List.of("idle"), () -> List.of(new IdleScenario(run).run()));
        }
        if (scenarios.contains("startup")) {
            guard(outcomes, StartupScenario.ROWS, () -> new StartupScenario(run).run());
        }
        if (scenarios.contains("latency")) {
            guard(outcomes, List.of("latency"), () -> List.of(new LatencyScenario(run).run()));
        }
        if (scenarios.contains("capture")) {
            guard(outcomes, List.of("capture"), () -> List.of(new CaptureScenario(run).run()));
        }
        if (scenarios.contains("snapshot")) {
            guard(outcomes, SnapshotScenario.ROWS, () -> new SnapshotScenario(run).run());
        }
        if (scenarios.contains("scale")) {
            guard(outcomes, ScaleScenario.ROWS, () -> new ScaleScenario(run).run());
        }
        if (scenarios.contains("peer")) {
            guard(outcomes, List.of("peer"), () -> List.of(new PeerScenario(run).run()));
        }
        return outcomes;
    }

    /** Runs a scenario; a failure becomes an error row instead of ending the whole run. */
    private static void guard(List<Outcome> outcomes, List<String> names, Callable<List<Outcome>> scenario) {
        try {
            outcomes.addAll(scenario.call());
        } catch (Exception e) {
            BenchRun.log("%s failed: %s", names.get(0), e);
            for (String name : names) {
                outcomes.add(Outcome.error(name, "-", String.valueOf(e.getMessage())));
            }
        }
    }

    /** A million captured changes live in the emulator's H2 heap; EMULATOR_JAVA_OPTS overrides. */
    private static List<String> emulatorJvmOptions() {
        String opts = System.getenv("EMULATOR_JAVA_OPTS");
        if (opts == null || opts.isBlank()) {
            return List.of("-Xmx6g");
        }
        return Arrays.asList(opts.trim().split("\\s+"));
    }

    static Path findProviderJar(Path root) throws IOException {
        Path target = root.resolve("provider/target");
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                var jar = files.filter(p -> p.getFileName().toString().matches("dstream-ingester-mssql-.*-all\\.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new BenchException("no provider jar in " + target
                + "; build it with: mvn -B -q -pl provider -am package -DskipTests");
    }
}
