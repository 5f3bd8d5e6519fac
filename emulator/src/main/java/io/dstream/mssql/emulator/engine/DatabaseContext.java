package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What the engine offers an extension (CDC) for one emulated database. Each SQL Server database
 * is its own H2 database.
 */
public interface DatabaseContext {

    /** The database name as clients spell it. */
    String name();

    /** A new H2 connection to this database, for the extension's own work (e.g. a capture thread). */
    Connection newConnection() throws SQLException;

    /** The stable SQL Server-style object id of a table (as {@code OBJECT_ID()} returns), or null if absent. */
    Integer objectId(String schema, String table);

    /** {@code [schema, name]} of the object with this id (as {@code OBJECT_NAME()} finds it), or null. */
    String[] objectName(int objectId);

    /**
     * True when the database lives in the emulator's data directory and survives a restart: an
     * extension then finds its tables again at {@code install} and must rebuild what it kept in memory.
     */
    boolean persistent();

    /**
     * The columns of a table with their declared SQL Server types (as CREATE TABLE spelled them,
     * e.g. {@code money}, {@code datetimeoffset(3)}, {@code tinyint}, which H2 stores differently),
     * in column order; empty if the table does not exist.
     */
    List<Column> declaredColumns(String schema, String table);

    /**
     * Records the declared SQL Server types of a table the extension created directly in H2 (e.g.
     * a change table), so that results read from it are typed as SQL Server types them.
     */
    void declareTable(String schema, String table, List<Column> columns);

    /**
     * Declares the result columns of a table-valued function the extension created (e.g.
     * {@code cdc.fn_cdc_get_all_changes_<ci>}), so that its results are typed as SQL Server types them.
     */
    void declareFunctionResult(String schema, String function, List<Column> columns);

    /** Forgets a table or function declared above (when the extension drops it). */
    void forget(String schema, String name);

    /** Makes a procedure callable in this database, by its qualified name (e.g. {@code sys.sp_cdc_enable_db}). */
    void registerProcedure(String qualifiedName, Procedure procedure);

    /** Called after every commit and rollback of any session of this database. */
    void addTransactionListener(TransactionListener listener);

    /** Answers the CDC flags of the catalog views ({@code sys.databases}, {@code sys.tables}). */
    void setCdcFlags(CdcFlags flags);

    /** The CDC flags the catalog views show. */
    interface CdcFlags {
        boolean databaseEnabled();

        boolean tableTracked(String schema, String table);

        /** Whether a capture instance of the table captures that column (SQL Server marks it replicated). */
        boolean columnCaptured(String schema, String table, String column);
    }

    /**
     * Commit and rollback notifications. A session is identified by its H2 session id, which is
     * what {@code SELECT SESSION_ID()} returns on the session's connection and also on the
     * connection H2 hands to a trigger fired by that session. {@code afterCommit} runs on the
     * session's thread right after H2 committed, so listeners see commits in commit order.
     * Every commit goes through it: explicit COMMIT, the driver's commit batches, and the
     * implicit commit after each statement in autocommit mode.
     */
    interface TransactionListener {
        void afterCommit(int h2SessionId);

        void afterRollback(int h2SessionId);
    }
}
