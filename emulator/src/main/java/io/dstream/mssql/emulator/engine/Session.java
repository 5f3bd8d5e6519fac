package io.dstream.mssql.emulator.engine;

import java.util.List;

/**
 * One client connection's state: current database, open transaction, variables, prepared
 * statements' text. Used by one thread at a time, except {@link #cancel()}, which the TDS layer
 * calls from its reader thread when an ATTENTION arrives.
 */
public interface Session extends AutoCloseable {

    /** The current database name. */
    String database();

    /**
     * Runs T-SQL: a SQL batch (no parameters), or the statement of {@code sp_executesql},
     * {@code sp_prepexec} or {@code sp_execute}, whose parameters are referenced by name
     * ({@code @P0}, {@code @P1}, …) in the text. Results, errors and counts go to the sink.
     */
    void execute(String sql, List<Parameter> parameters, ResultSink sink);

    /**
     * Runs a stored procedure called by RPC with its name (e.g. {@code sys.sp_cdc_enable_db}), with
     * positional and/or named parameters. OUTPUT parameters and the return status go to the sink.
     */
    void callProcedure(String name, List<Parameter> parameters, ResultSink sink);

    /** Cancels the statement in progress, if any (ATTENTION). Safe to call from another thread. */
    void cancel();

    /** Rolls back any open transaction and releases the session. */
    @Override
    void close();
}
