package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The arguments of one procedure call, and the session's H2 connection to run it in (inside the
 * caller's transaction).
 *
 * @param connection the calling session's H2 connection, in its current transaction
 * @param database   the calling session's current database
 * @param arguments  the arguments in the order given
 * @param sink       where result sets go
 */
public record ProcedureCall(Connection connection, String database, List<Argument> arguments, ResultSink sink) {

    /**
     * One argument: {@code name} is the parameter name without {@code @}, or null for a positional
     * argument; {@code value} uses the Java types of {@link SqlType}; {@code isDefault} marks
     * {@code @x = DEFAULT}.
     */
    public record Argument(String name, Object value, boolean isDefault) {
    }

    /**
     * The value of a parameter given by name, or by position when the caller passed it
     * positionally. {@code position} is the 0-based position in the procedure's documented signature.
     */
    public Optional<Object> value(String name, int position) {
        for (Argument a : arguments) {
            if (a.name() != null && a.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return a.isDefault() ? Optional.empty() : Optional.ofNullable(a.value());
            }
        }
        if (position < arguments.size() && arguments.get(position).name() == null) {
            Argument a = arguments.get(position);
            return a.isDefault() ? Optional.empty() : Optional.ofNullable(a.value());
        }
        return Optional.empty();
    }
}
