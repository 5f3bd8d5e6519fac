package io.dstream.mssql.bench.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The bench's handle on an {@link EmulatorHost} running in its own JVM. */
public final class EmulatorProcess implements AutoCloseable {

    /** Marks the host's replies on its stdout, which a library could also write to. */
    static final String REPLY_PREFIX = "@bench ";
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final BufferedReader replies;
    private final PrintStream commands;
    private final Path stderrLog;
    private final int port;
    private final String jdbcUrl;
    private final String connectionString;

    private EmulatorProcess(Process process, Path stderrLog) throws IOException {
        this.process = process;
        this.stderrLog = stderrLog;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String[] started = reply().substring("started ".length()).split("\t", 3);
        this.port = Integer.parseInt(started[0]);
        this.jdbcUrl = started[1];
        this.connectionString = started[2];
    }

    /**
     * Starts the emulator JVM from the bench's own classpath (the shaded bench jar contains the
     * emulator). {@code jvmOptions} are its heap settings: a million captured changes live in H2's
     * memory.
     */
    public static EmulatorProcess start(List<String> jvmOptions, Duration captureLatency, Path stderrLog) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.java());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EmulatorHost.class.getName());
        command.add(Long.toString(captureLatency.toMillis()));
        try {
            Files.createDirectories(stderrLog.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()))
                    .start();
            return new EmulatorProcess(process, stderrLog);
        } catch (IOException | RuntimeException e) {
            throw new BenchException("could not start the emulator (" + String.join(" ", command) + "): " + e
                    + "; see " + stderrLog, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String connectionString() {
        return connectionString;
    }

    public long pid() {
        return process.pid();
    }

    /** Requests (SQL batches and RPCs) the emulator has served since it started. */
    public long requestCount() {
        return Long.parseLong(command("count"));
    }

    public void pauseCapture() {
        command("pause");
    }

    public void resumeCapture() {
        command("resume");
    }

    public void awaitCaptured(Duration timeout) {
        command("await " + timeout.toMillis());
    }

    private synchronized String command(String command) {
        commands.println(command);
        String reply = reply();
        if (reply.startsWith("error")) {
            throw new BenchException("the emulator refused '" + command + "': " + reply + "; see " + stderrLog);
        }
        return reply;
    }

    private String reply() {
        try {
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.startsWith(REPLY_PREFIX)) {
                    return line.substring(REPLY_PREFIX.length());
                }
            }
            throw new BenchException("the emulator exited; see " + stderrLog);
        } catch (IOException e) {
            throw new BenchException("lost the emulator's stdout: " + e.getMessage() + "; see " + stderrLog, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        if (!process.waitFor(QUIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
