package io.dstream.mssql.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Memory and CPU figures of a Linux process from {@code /proc}. {@code VmHWM} is the kernel's
 * high-water mark of the resident set, so one read at the end of a run gives its peak RSS.
 */
public final class ProcStatus {

    /** What {@code getconf CLK_TCK} answers on every Linux build we know of; used when it cannot be asked. */
    static final long DEFAULT_TICKS_PER_SECOND = 100;

    /** Clock ticks per second of the utime and stime fields of {@code /proc/<pid>/stat}. */
    private static final double TICKS_PER_SECOND = clockTicksPerSecond();

    private ProcStatus() {
    }

    /** Peak resident set size in KiB, empty when the process is gone or not on Linux. */
    public static OptionalLong peakRssKb(long pid) {
        return field(pid, "VmHWM:");
    }

    /** CPU time (user + system) used so far, in seconds; NaN when unavailable. */
    public static double cpuSeconds(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** {@code getconf CLK_TCK}, asked once; {@value #DEFAULT_TICKS_PER_SECOND} when getconf is missing or says nothing useful. */
    private static double clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String answer = new String(getconf.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            return getconf.waitFor() == 0 ? parseTicks(answer) : DEFAULT_TICKS_PER_SECOND;
        } catch (IOException e) {
            return DEFAULT_TICKS_PER_SECOND;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_TICKS_PER_SECOND;
        }
    }

    static long parseTicks(String getconfOutput) {
        try {
            long ticks = Long.parseLong(getconfOutput.trim());
            return ticks > 0 ? ticks : DEFAULT_TICKS_PER_SECOND;
        } catch (NumberFormatException e) {
            return DEFAULT_TICKS_PER_SECOND;
        }
    }

    static OptionalLong field(long pid, String name) {
        try {
            return parseKb(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")), name);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The value in kB of a line such as {@code VmHWM:	  123456 kB}. */
    static OptionalLong parseKb(List<String> statusLines, String name) {
        for (String line : statusLines) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line. The command name (field 2) is in
     * parentheses and may contain spaces, so fields are counted from the last ')'.
     */
    static long cpuTicks(String statLine) {
        String[] rest = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        // rest[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }
}
