package io.dstream.mssql.bench.process;

import java.nio.file.Path;

/** The java launcher of the running JVM, so that child JVMs run the same Java as the bench. */
final class Jvm {

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
