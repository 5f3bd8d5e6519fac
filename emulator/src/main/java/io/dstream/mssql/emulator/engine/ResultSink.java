package io.dstream.mssql.emulator.engine;

import java.util.List;

/**
 * Where the engine writes what a request produced, in order. The TDS layer implements it by
 * writing tokens (COLMETADATA, ROW, DONE/DONEINPROC, ERROR, INFO, RETURNVALUE, RETURNSTATUS,
 * ENVCHANGE) to the client.
 *
 * <p>Per statement of a batch the engine calls either {@code columns}, {@code row}*, then
 * {@code done(rowsReturned)}; or {@code done(rowsAffected)} for DML; or {@code done(-1)} for a
 * statement without a count. An error is reported with {@code error}, followed by {@code done}
 * of the statement that failed (the TDS layer marks it DONE_ERROR).
 */
public interface ResultSink {

    /** Starts a result set. */
    void columns(List<Column> columns);

    /** One row of the current result set; values match the columns' types (see {@link SqlType}). */
    void row(Object[] values);

    /** Ends a statement. {@code rowCount} is the rows returned or affected, or -1 when there is no count. */
    void done(long rowCount);

    /** An error raised by the current statement. */
    void error(SqlError error);

    /** An informational message (severity ≤ 10), e.g. PRINT output or 5701/5703 on USE. */
    void info(int number, String message);

    /** A procedure's OUTPUT parameter, sent after the procedure finished. */
    void returnValue(Parameter parameter);

    /** A procedure's return status (EXEC/RPC). */
    void returnStatus(int status);

    /** The session's current database changed ({@code USE}). */
    void databaseChanged(String oldDatabase, String newDatabase);
}
