package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.JdbcTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small pool of connections to the monitored database, shared by the tables. A connection is
 * validated ({@code isValid}) before each use and dropped when a statement fails with a
 * connection-level error, so a restarted server or a failover costs one failed poll, not the process.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Seconds {@code isValid} may take; mssql-jdbc runs {@code SELECT 1}. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    /** Work done with one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final JdbcTarget target;
    private final int maxIdle;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    public Database(JdbcTarget target, int maxIdle) {
        this.target = target;
        this.maxIdle = maxIdle;
    }

    /** Runs {@code work} on a validated connection in auto-commit mode, then returns the connection to the pool. */
    public <T> T with(Work<T> work) throws SQLException {
        Connection c = borrow();
        try {
            T result = work.run(c);
            giveBack(c);
            return result;
        } catch (SQLException e) {
            if (SqlAdvice.isConnectionProblem(e)) {
                discard(c);
            } else {
                giveBack(c);
            }
            throw e;
        } catch (RuntimeException e) {
            discard(c);
            throw e;
        }
    }

    /** Opens a first connection, so that a wrong host, login or database fails at startup. */
    public void check() throws SQLException {
        with(c -> null);
    }

    private Connection borrow() throws SQLException {
        while (true) {
            Connection c;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the connection pool is closed (shutting down)", "08003");
                }
                c = idle.pollFirst();
            }
            if (c == null) {
                return open();
            }
            if (isUsable(c)) {
                return c;
            }
            LOG.info("dropping a pooled connection that failed validation");
            discard(c);
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(target.url(), target.driverProperties());
        c.setAutoCommit(true);
        return c;
    }

    private static boolean isUsable(Connection c) {
        try {
            return c.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection c) {
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(c);
                return;
            }
        }
        discard(c);
    }

    private static void discard(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a broken connection failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        Connection c;
        while (true) {
            synchronized (this) {
                c = idle.pollFirst();
            }
            if (c == null) {
                return;
            }
            discard(c);
        }
    }
}
