package io.dstream.mssql.bench.workload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Sustained inserts over many CDC tables at a fixed row rate: transaction {@code t} is due at
 * start + t × period and writes {@link #ROWS_PER_TABLE} rows into each of two tables ({@code t} and
 * {@code t + tables/2}, modulo the table count), so every transaction spans tables and every table
 * is written all the time. Several writer connections share the transactions round-robin; each
 * waits for its next transaction's due instant, so a slow commit does not lower the rate; a writer
 * that has fallen behind stops at the end of the duration, leaving its remaining transactions
 * unwritten, so the run takes the same time on a slower machine. Every row carries its transaction
 * number ({@code tx}), so the change rows tell each transaction's commit LSN.
 */
public final class CaptureWorkload {

    public static final int ROWS_PER_TABLE = 5;
    public static final int ROWS_PER_TRANSACTION = 2 * ROWS_PER_TABLE;
    static final String INSERT = "INSERT INTO dbo.%s (id, tx, payload) VALUES (?, ?, ?)";

    /**
     * What was written: the commit time of each planned transaction ({@code 0} for one not written
     * before the end of the duration), and when writing started and ended.
     */
    public record Written(AtomicLongArray committedAt, long startNanos, long endNanos) {
        public int planned() {
            return committedAt.length();
        }

        public int committed() {
            int n = 0;
            for (int i = 0; i < committedAt.length(); i++) {
                n += committedAt.get(i) != 0 ? 1 : 0;
            }
            return n;
        }
    }

    private CaptureWorkload() {
    }

    /** Transaction {@code tx}'s two tables, as indexes into the table list. */
    public static int[] tablesOf(long tx, int tableCount) {
        int first = (int) (tx % tableCount);
        return new int[] {first, (first + tableCount / 2) % tableCount};
    }

    /** The number of transactions {@code rowsPerSecond} gives over {@code duration}. */
    public static int transactions(int rowsPerSecond, Duration duration) {
        return (int) (duration.toMillis() * rowsPerSecond / 1000 / ROWS_PER_TRANSACTION);
    }

    /** Writes for {@code duration} at {@code rowsPerSecond} over {@code tables} from {@code writers} connections. */
    public static Written run(String jdbcUrl, List<String> tables, int rowsPerSecond, Duration duration, int writers)
            throws Exception {
        int total = transactions(rowsPerSecond, duration);
        long periodNanos = 1_000_000_000L * ROWS_PER_TRANSACTION / rowsPerSecond;
        AtomicLongArray committedAt = new AtomicLongArray(total);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                connections.add(DriverManager.getConnection(jdbcUrl));
            }
            long start = System.nanoTime() + 100_000_000L; // every writer starts from the same instant
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Connection c = connections.get(w);
                int first = w;
                done.add(pool.submit(() -> {
                    write(c, tables, first, writers, total, start, start + duration.toNanos(), periodNanos,
                            committedAt);
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
            return new Written(committedAt, start, System.nanoTime());
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static void write(Connection c, List<String> tables, int first, int step, int total, long start,
                              long end, long periodNanos, AtomicLongArray committedAt) throws SQLException {
        c.setAutoCommit(false);
        List<PreparedStatement> inserts = new ArrayList<>();
        try {
            for (String table : tables) {
                inserts.add(c.prepareStatement(String.format(INSERT, table)));
            }
            for (int tx = first; tx < total && System.nanoTime() < end; tx += step) {
                long wait = start + tx * periodNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int row = 0;
                for (int table : tablesOf(tx, tables.size())) {
                    PreparedStatement insert = inserts.get(table);
                    for (int i = 0; i < ROWS_PER_TABLE; i++) {
                        insert.setLong(1, (long) tx * ROWS_PER_TRANSACTION + row++);
                        insert.setLong(2, tx);
                        insert.setString(3, "row " + row + " of transaction " + tx);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
                committedAt.set(tx, System.nanoTime());
            }
        } finally {
            for (PreparedStatement ps : inserts) {
                ps.close();
            }
        }
    }
}
