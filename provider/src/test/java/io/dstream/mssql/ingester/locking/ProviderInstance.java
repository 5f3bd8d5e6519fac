package io.dstream.mssql.ingester.locking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * One provider process as DStream runs it ({@code java -jar dstream-ingester-mssql-*-all.jar}, the
 * command and config as one stdin line), with every stdout and stderr line kept together with the
 * moment it arrived, so that a test can tell which instance wrote which table when. Copies of both
 * streams go to {@code target/failover-logs/}.
 */
final class ProviderInstance implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A line and when this test read it ({@link System#nanoTime()}). */
    record Line(long nanos, String text) {
    }

    /** One envelope line of one table written by this instance. */
    record Write(String instance, long nanos, List<Integer> ids, String firstLsn, String lastLsn) {
    }

    private final String name;
    private final Process process;
    private final List<Line> stdout = new CopyOnWriteArrayList<>();
    private final List<Line> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private ProviderInstance(String name, Process process) {
        this.name = name;
        this.process = process;
        Path logs = Path.of("target", "failover-logs");
        readers.add(pump(process.getInputStream(), stdout, logs.resolve(name + ".stdout")));
        readers.add(pump(process.getErrorStream(), stderr, logs.resolve(name + ".stderr")));
    }

    static ProviderInstance run(String name, ObjectNode config) {
        return start(name, "run", config);
    }

    /** Any command ({@code run}, {@code status}, ...). */
    static ProviderInstance start(String name, String command, ObjectNode config) {
        ObjectNode first = JSON.createObjectNode();
        first.put("command", command);
        first.set("config", config);
        try {
            Files.createDirectories(Path.of("target", "failover-logs"));
            // C1 only: these short runs start faster and leave the two cores to the others they compete with
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-jar", jar().toString()).start();
            ProviderInstance instance = new ProviderInstance(name, process);
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((JSON.writeValueAsString(first) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the provider jar", e);
        }
    }

    /** The shaded jar built by {@code package} (failsafe runs from the provider module directory). */
    static Path jar() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path target : List.of(cwd.resolve("target"), cwd.resolve("provider/target"))) {
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    var found = files.filter(p -> p.getFileName().toString().matches("dstream-ingester-mssql-.*-all\\.jar")).findFirst();
                    if (found.isPresent()) {
                        return found.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("dstream-ingester-mssql-*-all.jar not found under " + cwd + ": run mvn package first");
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** The stdout lines so far that parse as JSON. */
    List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (Line line : stdout) {
            JsonNode node = parse(line.text());
            if (node != null) {
                lines.add(node);
            }
        }
        return lines;
    }

    ProviderInstance awaitReady() {
        await("the ready line", () -> !stdout.isEmpty() || !process.isAlive(), Duration.ofSeconds(30));
        if (stdout.isEmpty() || !stdout.get(0).text().equals("{\"status\":\"ready\"}")) {
            throw new AssertionError(name + " did not start: " + (stdout.isEmpty() ? "(no stdout)" : stdout.get(0).text())
                    + "\n" + stderrTail());
        }
        return this;
    }

    /** The envelope lines this instance wrote for {@code table}, in order. */
    List<Write> writes(String table) {
        List<Write> writes = new ArrayList<>();
        for (Line line : stdout) {
            JsonNode node = parse(line.text());
            if (node == null || !table.equals(node.path("table_name").asText()) || !node.path("changes").isArray()) {
                continue;
            }
            List<Integer> ids = new ArrayList<>();
            node.path("changes").forEach(change -> ids.add(change.path("data").path("id").asInt()));
            JsonNode changes = node.path("changes");
            writes.add(new Write(name, line.nanos(), ids, changes.get(0).path("lsn").asText(),
                    changes.get(changes.size() - 1).path("lsn").asText()));
        }
        return writes;
    }

    /** When a stderr line matching {@code what} arrived after {@code afterNanos}, or -1. */
    long stderrAt(Predicate<String> what, long afterNanos) {
        return stderr.stream().filter(l -> l.nanos() > afterNanos && what.test(l.text())).mapToLong(Line::nanos)
                .findFirst().orElse(-1);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM through the process handle: {@link Process#destroy()} would also close our ends of
     * its stdout and stderr at once, losing every line it writes while it stops.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    void kill9() {
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    void sigstop() {
        signal("STOP");
    }

    void sigcont() {
        signal("CONT");
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + stderrTail());
            }
            for (Thread reader : readers) {
                reader.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    String stderrTail() {
        List<Line> copy = List.copyOf(stderr);
        StringBuilder out = new StringBuilder("last stderr lines of " + name + ":\n");
        copy.subList(Math.max(0, copy.size() - 30), copy.size()).forEach(l -> out.append(l.text()).append('\n'));
        return out.toString();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition, Duration timeout) {
        Awaitility.await(name + ": " + what).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static Thread pump(InputStream in, List<Line> sink, Path copy) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 PrintWriter file = new PrintWriter(Files.newBufferedWriter(copy, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.add(new Line(System.nanoTime(), line));
                    file.println(line);
                    file.flush();
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }, "read-" + copy.getFileName());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            signal("CONT");
            process.toHandle().destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
