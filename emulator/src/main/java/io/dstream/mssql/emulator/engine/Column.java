package io.dstream.mssql.emulator.engine;

/** One column of a result set, as described to the client in COLMETADATA. */
public record Column(String name, SqlType type, boolean nullable) {
}
