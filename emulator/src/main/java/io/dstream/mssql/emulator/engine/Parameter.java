package io.dstream.mssql.emulator.engine;

/**
 * A typed value passed to a statement or a procedure: an RPC parameter ({@code @P0 int = 5}), a
 * declared variable, or an output parameter returned to the client.
 *
 * @param name   the name with its leading {@code @}, or {@code ""} for a positional RPC value
 * @param type   the declared type
 * @param value  the value (Java types as listed in {@link SqlType}); {@code null} is SQL NULL
 * @param output whether the caller asked for the value back (RPC status flag fByRefValue)
 */
public record Parameter(String name, SqlType type, Object value, boolean output) {
}
