package io.dstream.mssql.ingester.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The build's post-integration-test step: stops the emulator process its pre-integration-test step started
 * ({@code EmulatorMain --pid-file FILE}) with SIGTERM, by the process id in that file, and waits for it to end.
 * Usage: {@code StopEmulatorProcess <pid file>}.
 */
public final class StopEmulatorProcess {

    private static final long GRACE_SECONDS = 10;

    private StopEmulatorProcess() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: StopEmulatorProcess <pid file written by the emulator's --pid-file>");
            System.exit(2);
        }
        Path pidFile = Path.of(args[0]);
        if (!Files.exists(pidFile)) {
            System.out.println("[e2e] no " + pidFile + ": the emulator process is not running (never started, or stopped)");
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            System.out.println("[e2e] emulator process " + pid + " already ended");
            Files.deleteIfExists(pidFile);
            return;
        }
        // the emulator deletes the file when it ends; a file left by one that was killed may name a reused id
        Instant written = Files.getLastModifiedTime(pidFile).toInstant();
        Instant started = process.get().info().startInstant().orElse(Instant.MAX);
        if (started.isAfter(written)) {
            System.out.println("[e2e] process " + pid + " started after " + pidFile + " was written: not the emulator, "
                    + "left alone");
            Files.deleteIfExists(pidFile);
            return;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            System.out.println("[e2e] emulator process " + pid + " stopped");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.get().destroyForcibly();
            System.out.println("[e2e] emulator process " + pid + " did not stop within " + GRACE_SECONDS + " s: killed");
        }
        Files.deleteIfExists(pidFile);
    }
}
