package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.JdbcTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small pool of connections to the monitored database, shared by the tables. A connection idle
 * for a while is validated ({@code isValid}) before use; one used recently is handed out as is, and
 * if it turns out broken (a connection-level error) the work runs once more on a new connection. A
 * connection that fails is dropped, so a restarted server or a failover costs at most one failed
 * poll, not the process. Every piece of work given to {@link #with} is a read or an idempotent
 * write (checkpoint saves never move backwards), so running it again is safe.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Seconds {@code isValid} may take; mssql-jdbc runs {@code SELECT 1}. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;
    /**
     * A connection used successfully this recently is handed out without a validation round trip
     * (HikariCP's "alive bypass window"): polls come every {@code poll_interval} up to
     * {@code max_poll_interval} (30 s by default), and a {@code SELECT 1} before each would add a
     * statement to every idle cycle. A broken one is caught by the retry in {@link #with} instead.
     */
    private static final long VALIDATION_BYPASS_NANOS = 60_000_000_000L;

    /** A pooled connection and when it was last returned after successful work. */
    private record Idle(Connection connection, long returnedAt) {
    }

    /** A borrowed connection; {@code unchecked}: neither new nor validated just now. */
    private record Borrowed(Connection connection, boolean unchecked) {
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
    private final AtomicLong opened = new AtomicLong();

    public Database(JdbcTarget target, int maxIdle) {
        this.target = target;
        this.maxIdle = maxIdle;
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode, then returns the connection to the
     * pool; once more on a validated or new connection if an unvalidated one turned out broken.
     */
    public <T> T with(Work<T> work) throws SQLException {
        Borrowed b = borrow(true);
        try {
            return attempt(b.connection(), work);
        } catch (SQLException e) {
            if (!b.unchecked() || !SqlAdvice.isConnectionProblem(e)) {
                throw e;
            }
            LOG.info("a pooled connection broke ({}); retrying on a validated one", SqlAdvice.explain(e));
            return attempt(borrow(false).connection(), work);
        }
    }

    private <T> T attempt(Connection c, Work<T> work) throws SQLException {
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
        attempt(borrow(false).connection(), c -> null);
    }

    /** @param mayBypass a connection used recently may be handed out without validation */
    private Borrowed borrow(boolean mayBypass) throws SQLException {
        while (true) {
            Idle pooled;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the connection pool is closed (shutting down)", "08003");
                }
                pooled = idle.pollFirst();
            }
            if (pooled == null) {
                return new Borrowed(open(), false);
            }
            if (mayBypass && System.nanoTime() - pooled.returnedAt() < VALIDATION_BYPASS_NANOS) {
                return new Borrowed(pooled.connection(), true);
            }
            if (isUsable(pooled.connection())) {
                return new Borrowed(pooled.connection(), false);
            }
            LOG.info("dropping a pooled connection that failed validation");
            discard(pooled.connection());
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(target.url(), target.driverProperties());
        c.setAutoCommit(true);
        opened.incrementAndGet();
        return c;
    }

    /**
     * Connections opened so far. It grows after a connection broke (a restarted server, a failover):
     * the server now answering may not hold the database the previous one did.
     */
    public long connectionsOpened() {
        return opened.get();
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
