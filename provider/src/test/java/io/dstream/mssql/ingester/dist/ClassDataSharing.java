package io.dstream.mssql.ingester.dist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import io.dstream.mssql.ingester.e2e.Db;
import io.dstream.mssql.ingester.e2e.Json;
import io.dstream.mssql.ingester.e2e.ProviderProcess;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The class-data-sharing archive of the linux_amd64 plugin (AppCDS, JEP 310): the JDK and provider classes a run
 * loads, parsed and laid out once at package time so that each start maps them instead of loading them from the
 * jar. Built in two steps, as Java 17 allows for a runtime without a default archive: training runs of the
 * packaged provider ({@code -XX:DumpLoadedClassList}): against the emulator (startup, a table's insert, update and
 * delete streamed, SIGTERM), and with an Azure Blob lock store it cannot reach; then {@code -Xshare:dump} of the
 * classes they loaded.
 *
 * <p>Java 17 accepts the archive only when the jar is named at run time by the same path as at dump time and has
 * the same size and modification time. The dump therefore runs in the plugin's folder with the relative path
 * {@link #JAR}, and the launcher changes into its folder and names the jar the same way.
 */
final class ClassDataSharing {

    /** Paths relative to the plugin folder; {@code src/dist/plugin-bundled-runtime.sh} names the same ones. */
    static final String JAR = "lib/dstream-ingester-mssql.jar";
    static final String RUNTIME = "lib/jre-linux_amd64";
    static final String ARCHIVE = RUNTIME + "/provider.jsa";

    private static final String TABLE = "dbo.cds_training";
    private static final Duration STEP = Duration.ofSeconds(60);

    private ClassDataSharing() {
    }

    /** Trains and dumps {@link #ARCHIVE} in {@code plugin}, a folder holding {@link #JAR} and {@link #RUNTIME}. */
    static void build(Path plugin, Path work) throws IOException, InterruptedException {
        Path streaming = work.resolve("streaming.classlist");
        Path leases = work.resolve("leases.classlist");
        try (Emulator emulator = Emulator.builder().database("training").captureLatency(Duration.ofMillis(20)).start()) {
            train(plugin, emulator, streaming);
            trainLeases(plugin, emulator, leases);
        }
        Path classList = work.resolve("provider.classlist");
        merge(List.of(streaming, leases), classList);
        dump(plugin, classList, work.resolve("cds-dump.log"));
    }

    private static void train(Path plugin, Emulator emulator, Path classList) {
        Db db = new Db(emulator.jdbcUrl());
        db.exec("EXEC sys.sp_cdc_enable_db");
        db.createTracked("dbo", "cds_training", "id INT PRIMARY KEY, name NVARCHAR(50), price DECIMAL(12,2), "
                + "at DATETIME2, flag BIT, code UNIQUEIDENTIFIER, data VARBINARY(16)");
        db.exec("INSERT INTO dbo.cds_training VALUES (1, N'first', 12.50, '2026-01-02T03:04:05.1234567', 1, "
                        + "'6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x0102)",
                "UPDATE dbo.cds_training SET name = N'changed', price = 13.75 WHERE id = 1",
                "DELETE FROM dbo.cds_training WHERE id = 1");
        ObjectNode config = Json.object();
        config.put("db_connection_string", emulator.connectionString());
        config.putArray("tables").add(TABLE);
        config.put("poll_interval", "100ms");
        config.put("max_poll_interval", "200ms");
        config.putObject("lock_config").put("type", "none");
        ProcessBuilder java = new ProcessBuilder(RUNTIME + "/bin/java", "-XX:DumpLoadedClassList=" + classList, "-jar", JAR)
                .directory(plugin.toFile());
        try (ProviderProcess provider = ProviderProcess.startCommand(java, Json.envelope("run", config), "cds-training")) {
            provider.awaitReady(STEP);
            provider.awaitLine(line -> line.contains("\"change_type\":\"delete\""), STEP);
            provider.sigterm();
            int exit = provider.awaitExit(STEP);
            if (exit != 0) {
                throw new IllegalStateException("the CDS training run exited " + exit + ", not 0; stderr:\n"
                        + String.join("\n", provider.stderr()));
            }
        }
    }

    /**
     * The Azure SDK and its netty transport are a large part of a start with {@code lock_config} {@code azure_blob}.
     * No Azure Storage (nor Azurite) is at hand at package time, so this run points the lock store at a closed port
     * on loopback: the provider builds its clients, fails to reach the container, and exits 2 with the error
     * handshake, having loaded most of what a start with a reachable store loads.
     */
    private static void trainLeases(Path plugin, Emulator emulator, Path classList) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ObjectNode config = Json.object();
        config.put("db_connection_string", emulator.connectionString());
        config.putArray("tables").add(TABLE);
        ObjectNode lock = config.putObject("lock_config");
        lock.put("type", "azure_blob");
        // Azurite's public development account (documented by Microsoft); the endpoint is the closed port
        lock.put("connection_string", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1;");
        lock.put("container_name", "cds-training");
        ProcessBuilder java = new ProcessBuilder(RUNTIME + "/bin/java", "-XX:DumpLoadedClassList=" + classList, "-jar", JAR)
                .directory(plugin.toFile());
        try (ProviderProcess provider = ProviderProcess.startCommand(java, Json.envelope("run", config), "cds-training-leases")) {
            String first = provider.firstLine(STEP);
            int exit = provider.awaitExit(STEP);
            if (!first.startsWith("{\"status\":\"error\"") || exit != 2) {
                throw new IllegalStateException("the CDS lease training run should fail to reach its lock store (exit 2), "
                        + "but exited " + exit + " after " + first + "; stderr:\n" + String.join("\n", provider.stderr()));
            }
        }
    }

    /** One class list with every line of these, each once, in first-seen order. */
    private static void merge(List<Path> lists, Path merged) throws IOException {
        Set<String> lines = new LinkedHashSet<>();
        for (Path list : lists) {
            lines.addAll(Files.readAllLines(list));
        }
        Files.write(merged, lines);
    }

    private static void dump(Path plugin, Path classList, Path log) throws IOException, InterruptedException {
        Process dump = new ProcessBuilder(RUNTIME + "/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + ARCHIVE, "-cp", JAR)
                .directory(plugin.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!dump.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            throw new IllegalStateException("the CDS dump did not end within " + STEP + "; see " + log);
        }
        if (dump.exitValue() != 0 || !Files.isRegularFile(plugin.resolve(ARCHIVE))) {
            throw new IllegalStateException("the CDS dump failed (exit " + dump.exitValue() + "): "
                    + String.join("\n", tail(Files.readAllLines(log), 20)));
        }
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
