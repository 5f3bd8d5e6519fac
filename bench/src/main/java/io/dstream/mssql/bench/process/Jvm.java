package io.dstream.mssql.bench.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The java launcher of the running JVM, so that child JVMs run the same Java as the bench; and its jcmd. */
public final class Jvm {

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Asks the JVM {@code pid} for a full collection ({@code jcmd <pid> GC.run}), so that its GC log shows
     * the heap that is truly live at that moment. Returns false if jcmd is missing or did not answer in 30 s.
     */
    public static boolean fullGc(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
