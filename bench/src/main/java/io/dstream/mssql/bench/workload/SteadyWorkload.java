package io.dstream.mssql.bench.workload;

import io.dstream.mssql.bench.measure.LatencyProbe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate stream of one-row transactions into the latency table. Each transaction is due at
 * start + i / rate; the loop waits for that instant rather than sleeping a fixed period, so a
 * slow commit does not lower the rate (it catches up). The commit time recorded is when
 * {@code executeUpdate} returned in autocommit mode, i.e. when the server acknowledged the commit.
 */
public final class SteadyWorkload {

    static final String INSERT = "INSERT INTO dbo." + BenchSchema.LATENCY_TABLE + " (id, payload, created) VALUES (?, ?, ?)";

    private SteadyWorkload() {
    }

    /** Runs for {@code duration} at {@code perSecond} transactions; returns the number written (ids 1..n). */
    public static int run(Connection c, int perSecond, Duration duration, LatencyProbe probe) throws SQLException {
        return run(c, perSecond, duration, probe, () -> false);
    }

    /**
     * The same, ending early once {@code stop} says so (checked before each transaction); returns the
     * number written (ids 1..n).
     */
    public static int run(Connection c, int perSecond, Duration duration, LatencyProbe probe,
                          java.util.function.BooleanSupplier stop) throws SQLException {
        int total = (int) (duration.toMillis() * perSecond / 1000);
        long periodNanos = 1_000_000_000L / perSecond;
        c.setAutoCommit(true);
        int written = 0;
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            long start = System.nanoTime();
            for (int id = 1; id <= total && !stop.getAsBoolean(); id++) {
                long due = start + (id - 1) * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                insert.setInt(1, id);
                insert.setString(2, "payload " + id);
                insert.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
                insert.executeUpdate();
                probe.committed(id, System.nanoTime());
                written = id;
            }
        }
        return written;
    }
}
