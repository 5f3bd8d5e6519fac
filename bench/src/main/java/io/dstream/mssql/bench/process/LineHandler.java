package io.dstream.mssql.bench.process;

/** Receives each stdout line of the provider after its ready line, with its arrival time. */
@FunctionalInterface
public interface LineHandler {

    LineHandler IGNORE = (line, arrivalNanos) -> { };

    void accept(String line, long arrivalNanos);
}
