package io.dstream.mssql.emulator.engine;

/**
 * An error as SQL Server reports it: number, state, severity (class) and message text. Thrown by
 * the engine and its procedures; the TDS layer turns it into an ERROR token.
 */
public class SqlError extends RuntimeException {

    private final int number;
    private final int state;
    private final int severity;

    public SqlError(int number, int state, int severity, String message) {
        super(message);
        this.number = number;
        this.state = state;
        this.severity = severity;
    }

    /** A user error of severity 16 and state 1, the most common shape. */
    public static SqlError of(int number, String message) {
        return new SqlError(number, 1, 16, message);
    }

    public int number() {
        return number;
    }

    public int state() {
        return state;
    }

    public int severity() {
        return severity;
    }
}
