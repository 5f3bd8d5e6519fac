package io.dstream.mssql.bench.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The provider as a user runs it: its own JVM ({@code java <options> -jar <provider jar>}, or the packaged plugin), the
 * config as the first stdin line, JSON lines read from stdout by a dedicated thread, stderr to a
 * log file. Startup is timed from just before the process is spawned to the arrival of the
 * {@code {"status":"ready"}} line, so JVM start, config parsing, login and catalog reads all count.
 */
public final class ProviderProcess implements AutoCloseable {

    private static final String READY = "{\"status\":\"ready\"}";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path stderrLog;
    private final long startNanos;
    private final CountDownLatch firstLine = new CountDownLatch(1);
    private final Thread reader;
    private volatile long readyNanos;
    private volatile long firstLineNanos;
    private volatile String firstLineText;

    /** The provider's first stdout line ({@code null} when it exited without one) and the time from spawn to it. */
    public record FirstLine(String text, Duration after) {

        public boolean ready() {
            return READY.equals(text);
        }
    }

    private ProviderProcess(Process process, Path stderrLog, long startNanos, LineHandler handler) {
        this.process = process;
        this.stderrLog = stderrLog;
        this.startNanos = startNanos;
        this.reader = new Thread(() -> read(handler), "provider-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the provider and writes {@code stdinLine}. stdin stays open: the contract says EOF is
     * not a stop signal, and the DStream CLI keeps it open too.
     */
    public static ProviderProcess start(Path jar, List<String> jvmOptions, String stdinLine, Path stderrLog,
                                        LineHandler handler) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.java());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return startCommand(command, stdinLine, stderrLog, handler);
    }

    /**
     * Another reader that speaks the same stdout protocol (a ready line, then lines with
     * {@code "batch_size":}): {@code mainClass} from {@code classpath}, given {@code args}.
     */
    public static ProviderProcess startMain(Path classpath, String mainClass, List<String> jvmOptions, List<String> args,
                                            Path stderrLog, LineHandler handler) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.java());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath.toString());
        command.add(mainClass);
        command.addAll(args);
        return startCommand(command, "", stderrLog, handler);
    }

    /**
     * The same for any command that runs the provider, such as the packaged plugin ({@code plugin.linux_amd64},
     * no arguments), timed the same way: spawn to ready.
     */
    public static ProviderProcess startCommand(List<String> command, String stdinLine, Path stderrLog, LineHandler handler) {
        try {
            Files.createDirectories(stderrLog.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()));
            long start = System.nanoTime();
            Process process = builder.start();
            OutputStream stdin = process.getOutputStream();
            stdin.write((stdinLine + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return new ProviderProcess(process, stderrLog, start, handler);
        } catch (IOException e) {
            throw new BenchException("could not start the provider (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    private void read(LineHandler handler) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line = out.readLine();
            long now = System.nanoTime();
            firstLineText = line;
            firstLineNanos = now;
            if (READY.equals(line)) {
                readyNanos = now;
            }
            firstLine.countDown();
            while ((line = out.readLine()) != null) {
                handler.accept(line, System.nanoTime());
            }
        } catch (IOException e) {
            // The process went away; waitFor() reports how.
        } finally {
            firstLine.countDown();
        }
    }

    /** Waits for the ready line; returns the time from spawn to ready. */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        FirstLine first = awaitFirstLine(timeout).orElseThrow(() -> new BenchException(
                "the provider printed nothing within " + timeout.toSeconds() + " s; see " + stderrLog));
        if (!first.ready()) {
            throw new BenchException("the provider did not become ready; its first line was " + first.text()
                    + "; see " + stderrLog);
        }
        return first.after();
    }

    /**
     * Waits for the first stdout line, ready or not: a scenario that expects the provider may fail
     * to start reports what it said instead of giving up. Empty when it printed nothing in time.
     */
    public Optional<FirstLine> awaitFirstLine(Duration timeout) throws InterruptedException {
        if (!firstLine.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        long at = firstLineText != null ? firstLineNanos : System.nanoTime();
        return Optional.of(new FirstLine(firstLineText, Duration.ofNanos(at - startNanos)));
    }

    public long pid() {
        return process.pid();
    }

    public long readyNanos() {
        return readyNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stderrLog() {
        return stderrLog;
    }

    /** Waits for the provider to exit on its own (one-shot commands such as init); returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new BenchException("the provider did not exit within " + timeout.toSeconds() + " s; see " + stderrLog);
        }
        reader.join(STOP_GRACE.toMillis());
        return process.exitValue();
    }

    /** SIGTERM, as the DStream CLI stops it; returns the exit code (the contract says 0). */
    public int stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
        }
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return -1;
        }
        reader.join(STOP_GRACE.toMillis());
        return process.exitValue();
    }

    /** True if the provider's stderr mentions an OutOfMemoryError. */
    public boolean ranOutOfMemory() {
        try {
            return Files.exists(stderrLog) && Files.readString(stderrLog).contains("OutOfMemoryError");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
