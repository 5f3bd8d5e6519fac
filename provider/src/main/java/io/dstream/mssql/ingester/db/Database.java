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
    /**
     * A connection used successfully this recently is handed out without a validation round trip
     * (HikariCP's "alive bypass window"): a busy poll loop would otherwise double its statements.
     */
    private static final long VALIDATION_BYPASS_NANOS = 1_000_000_000L;

    /** A pooled connection and when it was last returned after successful work. */
    private record Idle(Connection connection, long returnedAt) {
    }

    /** Work done with one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final JdbcTarget target;
    private final int maxIdle;
    private final Deque<Idle> idle = new ArrayDeque<>();
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
            Idle pooled;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the connection pool is closed (shutting down)", "08003");
                }
                pooled = idle.pollFirst();
            }
            if (pooled == null) {
                return open();
            }
            if (System.nanoTime() - pooled.returnedAt() < VALIDATION_BYPASS_NANOS || isUsable(pooled.connection())) {
                return pooled.connection();
            }
            LOG.info("dropping a pooled connection that failed validation");
            discard(pooled.connection());
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
                idle.addFirst(new Idle(c, System.nanoTime()));
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
        while (true) {
            Idle pooled;
            synchronized (this) {
                pooled = idle.pollFirst();
            }
            if (pooled == null) {
                return;
            }
            discard(pooled.connection());
        }
    }
}
