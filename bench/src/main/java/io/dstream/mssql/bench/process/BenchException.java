package io.dstream.mssql.bench.process;

/** A scenario could not be run (a process did not start, a wait ran out); the message says why. */
public final class BenchException extends RuntimeException {

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
