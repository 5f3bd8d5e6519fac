package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's transaction state ({@code @@TRANCOUNT}, savepoints) over an H2 connection that is
 * never in autocommit mode. This is the one place that commits and rolls back, and each time it
 * tells the database's transaction listeners — after H2 finished, on the session's thread, so
 * they see commits in commit order (the CDC capture relies on that).
 */
final class SessionTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTransaction.class);

    private H2Database db;
    private Connection connection;
    private int h2SessionId;
    /** {@code @@TRANCOUNT}: BEGIN TRAN nests, COMMIT un-nests, ROLLBACK ends all levels. */
    private int count;
    /** Whether H2 may hold uncommitted work (anything ran since the last commit or rollback). */
    private boolean dirty;
    private final Map<String, Savepoint> savepoints = new HashMap<>();

    /** Works on this database connection from now on (at login and after USE). */
    void bind(H2Database database, Connection h2, int sessionId) {
        if (count > 0) {
            throw new IllegalStateException("cannot switch connections inside a transaction");
        }
        this.db = database;
        this.connection = h2;
        this.h2SessionId = sessionId;
    }

    int count() {
        return count;
    }

    boolean isOpen() {
        return count > 0;
    }

    /** Something ran on the connection. */
    void touched() {
        dirty = true;
    }

    /** {@code BEGIN TRAN}. */
    void begin() {
        count++;
    }

    /** The first statement under SET IMPLICIT_TRANSACTIONS ON opens a transaction. */
    void beginImplicitly() {
        if (count == 0) {
            count = 1;
        }
    }

    /** Autocommit: outside a transaction, each statement commits on its own. */
    void endStatement() {
        if (count == 0 && dirty) {
            commit();
        }
    }

    /** A failed statement: H2 undid the statement; a transaction stays open unless XACT_ABORT is on. */
    void failedStatement(boolean xactAbort) {
        if (count == 0 || xactAbort) {
            count = 0;
            rollback();
        }
    }

    /** A cancelled statement (ATTENTION): as a failure without XACT_ABORT. */
    void cancelledStatement() {
        if (count == 0) {
            rollback();
        }
    }

    /** {@code COMMIT [TRAN]}: commits when the outermost level ends. */
    void commitTran() {
        if (count == 0) {
            throw SqlError.of(3902, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.");
        }
        count--;
        if (count == 0) {
            commit();
        }
    }

    /** {@code ROLLBACK [TRAN [savepoint]]}. */
    void rollbackTran(String savepoint) {
        if (count == 0) {
            throw SqlError.of(3903, "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.");
        }
        Savepoint target = savepoint == null ? null : savepoints.get(savepoint.toLowerCase(Locale.ROOT));
        if (target != null) {
            try {
                connection.rollback(target);
            } catch (SQLException e) {
                throw Errors.translate(e, db, List.of(), "ROLLBACK");
            }
            return;
        }
        if (savepoint != null && count > 1) {
            throw new SqlError(6401, 1, 16, "Cannot roll back " + savepoint
                    + ". No transaction or savepoint of that name was found.");
        }
        count = 0;
        rollback();
    }

    /** {@code SAVE TRAN name}. */
    void save(String name) {
        if (count == 0) {
            throw SqlError.of(628, "Cannot issue SAVE TRANSACTION when there is no active transaction.");
        }
        try {
            savepoints.put(name.toLowerCase(Locale.ROOT), connection.setSavepoint(name));
            dirty = true;
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "SAVE");
        }
    }

    /** H2 committed on its own (DDL inside a transaction); the listeners must still hear of it, in order. */
    void committedByH2() {
        savepoints.clear();
        db.afterCommit(h2SessionId);
    }

    /** Commits pending autocommit work before the session switches databases. */
    void settle() {
        if (count == 0 && dirty) {
            commit();
        }
    }

    /** The session ends: an open transaction is rolled back, as when a client disconnects. */
    void close() {
        if (count > 0) {
            count = 0;
            rollback();
        }
    }

    private void commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "COMMIT");
        }
        dirty = false;
        savepoints.clear();
        db.afterCommit(h2SessionId);
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("H2 session {}: rollback failed: {}", h2SessionId, e.getMessage());
        }
        dirty = false;
        savepoints.clear();
        db.afterRollback(h2SessionId);
    }
}
