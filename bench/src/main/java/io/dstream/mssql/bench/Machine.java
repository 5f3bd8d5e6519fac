package io.dstream.mssql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: they mean little without the core count, memory and Java. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memory", gib(firstValue(Path.of("/proc/meminfo"), "MemTotal")));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return m;
    }

    /** The 1-minute load average: on a shared machine it says how much the figures were disturbed. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String summary(Map<String, Object> m) {
        return m.get("cpus") + " CPUs (" + m.get("cpu_model") + "), " + m.get("memory") + ", " + m.get("java");
    }

    /** {@code 24684084 kB} → {@code 23.5 GiB}. */
    static String gib(String meminfo) {
        String[] parts = meminfo.split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
            return meminfo;
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(parts[0]) / 1024.0 / 1024.0);
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return "unknown";
    }
}
