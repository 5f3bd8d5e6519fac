package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;

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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The provider run exactly as DStream runs it: {@code java -jar dstream-ingester-mssql-*-all.jar} (or any command,
 * such as the packaged plugin: {@link #startCommand}), one line on stdin (then stdin closed — EOF is not a stop), JSON
 * lines read from stdout, logs from stderr.
 *
 * <p>A reader thread per stream keeps every line; {@link #awaitLine} waits (no sleeping) until one matches. Both
 * streams are copied to {@code target/e2e-logs/} so that a failing test can be read. Each line is also kept with the
 * moment it was read ({@link #stdoutTimed()}), and reading stdout can be paused ({@link #pauseReading()}) to play a
 * consumer that stops reading the pipe.
 */
public final class ProviderProcess implements AutoCloseable {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** A line and when this test read it ({@link System#nanoTime()}). */
    public record Timed(long nanos, String text) {
    }

    private final Process process;
    private final String name;
    /** Guarded by itself; the reader thread notifies on every line and at end of stream. */
    private final List<String> lines = new ArrayList<>();
    private volatile boolean stdoutClosed;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Timed> stdoutTimed = new CopyOnWriteArrayList<>();
    private final List<Timed> stderrTimed = new CopyOnWriteArrayList<>();
    private final Object readingGate = new Object();
    /** Guarded by {@link #readingGate}: while true the stdout reader reads nothing, the pipe fills, the provider blocks. */
    private boolean readingPaused;
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ProviderProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        Path logs = logs();
        this.stdoutReader = pump(process.getInputStream(), this::awaitReading, line -> {
            stdoutTimed.add(new Timed(System.nanoTime(), line));
            stdout.add(line);
            synchronized (lines) {
                lines.add(line);
                lines.notifyAll();
            }
        }, logs.resolve(name + ".stdout"), () -> {
            synchronized (lines) {
                stdoutClosed = true;
                lines.notifyAll();
            }
        });
        this.stderrReader = pump(process.getErrorStream(), () -> { }, line -> {
            stderrTimed.add(new Timed(System.nanoTime(), line));
            stderr.add(line);
        }, logs.resolve(name + ".stderr"), () -> { });
    }

    /** Starts the provider with {@code {"command":<command>,"config":<config>}} on stdin. */
    public static ProviderProcess start(String command, JsonNode config) {
        return startWithStdin(Json.envelope(command, config), command);
    }

    /** The same, with these variables added to the provider's environment (e.g. {@code MSSQL_CDC_LOG_FORMAT}). */
    public static ProviderProcess start(String command, JsonNode config, Map<String, String> environment) {
        return start(command, config, environment, List.of());
    }

    /** The same, with these options for the provider's JVM too (e.g. a trust store). */
    public static ProviderProcess start(String command, JsonNode config, Map<String, String> environment, List<String> jvmOptions) {
        ProcessBuilder builder = jarCommand(jvmOptions);
        builder.environment().putAll(environment);
        return startCommand(builder, Json.envelope(command, config), command);
    }

    /** Starts the provider with the bare config object on stdin (the fallback form). */
    public static ProviderProcess startBare(JsonNode config) {
        return startWithStdin(Json.write(config), "bare");
    }

    /** Starts the provider with this exact first stdin line (may be malformed on purpose). */
    public static ProviderProcess startWithStdin(String firstLine, String label) {
        return startWithStdin(firstLine, label, List.of());
    }

    /** The same, with these options for the provider's JVM (e.g. {@code -XX:TieredStopAtLevel=1} to start faster). */
    public static ProviderProcess startWithStdin(String firstLine, String label, List<String> jvmOptions) {
        return writeFirstLine(startWithSilentStdin(label, jvmOptions), firstLine);
    }

    /**
     * Runs {@code command} (with its working directory and environment) instead of the jar — for example the packaged
     * plugin as DStream runs it, a file named {@code plugin} with no arguments — with this first stdin line.
     */
    public static ProviderProcess startCommand(ProcessBuilder command, String firstLine, String label) {
        return writeFirstLine(spawn(command, label), firstLine);
    }

    private static ProviderProcess writeFirstLine(ProviderProcess provider, String firstLine) {
        try (OutputStream stdin = provider.process.getOutputStream()) {
            stdin.write((firstLine + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the provider may exit before reading stdin (e.g. a crash, or a line past its limits); its exit code tells the story
        }
        return provider;
    }

    /** Starts the provider and writes nothing: its stdin stays open, without a line, until the process ends. */
    public static ProviderProcess startWithSilentStdin(String label) {
        return startWithSilentStdin(label, List.of());
    }

    private static ProviderProcess startWithSilentStdin(String label, List<String> jvmOptions) {
        return spawn(jarCommand(jvmOptions), label);
    }

    /** {@code java <jvmOptions> -jar <the provider jar>}. */
    private static ProcessBuilder jarCommand(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        return new ProcessBuilder(command);
    }

    /** {@code target/e2e-logs}, or {@code -De2e.logs=DIR} (the failsafe execution against an external server). */
    private static Path logs() {
        return Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
    }

    private static ProviderProcess spawn(ProcessBuilder builder, String label) {
        String name = String.format("%03d-%s-%s", RUNS.incrementAndGet(), currentTestName(), label);
        try {
            Files.createDirectories(logs());
            return new ProviderProcess(builder.start(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the provider: " + String.join(" ", builder.command()), e);
        }
    }

    /**
     * The shaded jar built by {@code package}; ITs run from the provider module directory (failsafe) or the
     * repository root (an IDE).
     */
    public static Path jar() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path target : List.of(cwd.resolve("target"), cwd.resolve("provider/target"))) {
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    var found = files.filter(p -> p.getFileName().toString().matches("dstream-ingester-mssql-.*-all\\.jar"))
                            .findFirst();
                    if (found.isPresent()) {
                        return found.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("provider/target/dstream-ingester-mssql-*-all.jar not found (working directory "
                + cwd + "): run `mvn -B package -DskipTests` first, or run the ITs with `mvn verify`");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String currentTestName() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getClassName().endsWith("IT")) {
                String simple = e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1);
                return simple + "." + e.getMethodName().replaceAll("[^A-Za-z0-9_]", "");
            }
        }
        return "test";
    }

    private Thread pump(InputStream in, Runnable beforeEachLine, Consumer<String> sink, Path copy, Runnable atEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 PrintWriter file = new PrintWriter(Files.newBufferedWriter(copy, StandardCharsets.UTF_8))) {
                while (true) {
                    beforeEachLine.run();
                    String line = reader.readLine();
                    if (line == null) {
                        break;
                    }
                    sink.accept(line);
                    file.println(line);
                    file.flush();
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            } finally {
                atEnd.run();
            }
        }, "provider-" + copy.getFileName());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Blocks the stdout reader while reading is paused. */
    private void awaitReading() {
        synchronized (readingGate) {
            while (readingPaused) {
                try {
                    readingGate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops reading stdout (lines already read stay); the provider blocks once the pipe is full. */
    public void pauseReading() {
        synchronized (readingGate) {
            readingPaused = true;
        }
    }

    public void resumeReading() {
        synchronized (readingGate) {
            readingPaused = false;
            readingGate.notifyAll();
        }
    }

    // ---- stdout ----

    /** The first stdout line (the handshake), waiting for it. */
    public String firstLine(Duration timeout) {
        awaitCondition(() -> !stdout.isEmpty() || !process.isAlive(), timeout, "a first stdout line");
        if (stdout.isEmpty()) {
            joinReaders();
        }
        if (stdout.isEmpty()) {
            throw new AssertionError("the provider wrote nothing on stdout and exited with " + exitCodeOrNull()
                    + "; stderr:\n" + String.join("\n", stderr));
        }
        return stdout.get(0);
    }

    /** Waits for {@code {"status":"ready"}} as the first line, failing with the provider's own words otherwise. */
    public ProviderProcess awaitReady() {
        return awaitReady(Duration.ofSeconds(20));
    }

    /** {@link #awaitReady()} with another time limit. */
    public ProviderProcess awaitReady(Duration timeout) {
        String first = firstLine(timeout);
        if (!first.equals("{\"status\":\"ready\"}")) {
            throw new AssertionError("expected {\"status\":\"ready\"} first, got: " + first + "\nstderr:\n"
                    + String.join("\n", stderr));
        }
        return this;
    }

    /**
     * Waits until a stdout line — among all written so far, not only new ones — matches, and returns the first
     * that does. Searching from the start lets a test wait for several tables' lines in any order.
     */
    public String awaitLine(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        synchronized (lines) {
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (matching.test(lines.get(checked))) {
                        return lines.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (stdoutClosed && checked == lines.size())) {
                    throw new AssertionError("no matching stdout line within " + timeout + " (alive=" + process.isAlive()
                            + ", exit=" + exitCodeOrNull() + "); last stdout lines:\n" + tail(stdout, 5)
                            + "\nlast stderr lines:\n" + tail(stderr, 30));
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** {@link #awaitLine} for a line that parses to JSON and matches. */
    public JsonNode awaitJson(Predicate<JsonNode> matching, Duration timeout) {
        return Json.read(awaitLine(line -> matching.test(Json.read(line)), timeout));
    }

    /** Every stdout line so far, in order. */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** Every stdout line so far with when it was read, in order. */
    public List<Timed> stdoutTimed() {
        return List.copyOf(stdoutTimed);
    }

    /** Every stderr line so far with when it was read, in order. */
    public List<Timed> stderrTimed() {
        return List.copyOf(stderrTimed);
    }

    /** Every stderr line so far, in order. */
    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Waits until stderr has a line matching. */
    public String awaitStderr(Predicate<String> matching, Duration timeout) {
        awaitCondition(() -> stderr.stream().anyMatch(matching), timeout, "a matching stderr line");
        return stderr.stream().filter(matching).findFirst().orElseThrow();
    }

    // ---- lifecycle ----

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGTERM, as DStream stops a provider. Through the {@link ProcessHandle}: {@link Process#destroy()} would also
     * close our ends of the pipes, losing the lines written while stopping (and giving the provider EPIPE).
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    public void sigint() {
        signal("INT");
    }

    /** SIGKILL; then every line the provider wrote before dying is read (the pipes stay open on our side). */
    public void kill9() {
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to exit and its output to be read; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the provider did not exit within " + timeout + "; last stderr lines:\n"
                        + tail(stderr, 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        joinReaders();
        return process.exitValue();
    }

    public int exitCode() {
        return process.exitValue();
    }

    private Integer exitCodeOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    private void joinReaders() {
        try {
            stdoutReader.join(5000);
            stderrReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        try {
            org.awaitility.Awaitility.await(name + ": " + what)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " within " + timeout + " (alive=" + process.isAlive()
                    + "); last stderr lines:\n" + tail(stderr, 30), e);
        }
    }

    private static String tail(List<String> lines, int n) {
        List<String> copy = new ArrayList<>(lines);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - n), copy.size()));
    }

    @Override
    public void close() {
        resumeReading();
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        joinReaders();
    }

    @Override
    public String toString() {
        return "provider " + name + " (pid " + process.pid() + ")";
    }
}
