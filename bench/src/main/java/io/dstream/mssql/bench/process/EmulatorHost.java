package io.dstream.mssql.bench.process;

import io.dstream.mssql.emulator.Emulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Hosts the emulator in its own JVM for the bench, so that the emulator, the provider and the
 * bench's workload never share a heap or a JIT, and answers the bench's commands on stdin:
 * {@code count} (requests served so far), {@code pause}, {@code resume}, {@code await <ms>}
 * (capture caught up), {@code quit}. Replies are stdout lines starting with {@code "@bench "},
 * so that anything else a library prints there cannot be mistaken for a reply.
 *
 * <p>Usage: {@code java -cp <bench jar> io.dstream.mssql.bench.process.EmulatorHost <capture latency ms>}
 */
public final class EmulatorHost {

    static final String PREFIX = EmulatorProcess.REPLY_PREFIX;
    /** The database every scenario works in. */
    public static final String DATABASE = "bench";

    private EmulatorHost() {
    }

    public static void main(String[] args) throws IOException {
        long captureLatencyMs = args.length > 0 ? Long.parseLong(args[0]) : 0;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (Emulator emulator = Emulator.builder()
                .port(0)
                .database(DATABASE)
                .captureLatency(Duration.ofMillis(captureLatencyMs))
                .start()) {
            out.println(PREFIX + "started " + emulator.port() + "\t" + emulator.jdbcUrl() + "\t" + emulator.connectionString());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !command.equals("quit")) {
                out.println(PREFIX + answer(emulator, command.trim()));
            }
        }
    }

    private static String answer(Emulator emulator, String command) {
        try {
            if (command.equals("count")) {
                return Long.toString(emulator.requestCount());
            }
            if (command.equals("pause")) {
                emulator.pauseCapture();
                return "ok";
            }
            if (command.equals("resume")) {
                emulator.resumeCapture();
                return "ok";
            }
            if (command.startsWith("await ")) {
                long millis = Long.parseLong(command.substring(6).trim());
                return emulator.awaitCaptured(Duration.ofMillis(millis)) ? "ok"
                        : "error capture did not catch up within " + millis + " ms";
            }
            return "error unknown command '" + command + "' (count, pause, resume, await <ms>, quit)";
        } catch (RuntimeException e) {
            return "error " + e;
        }
    }
}
