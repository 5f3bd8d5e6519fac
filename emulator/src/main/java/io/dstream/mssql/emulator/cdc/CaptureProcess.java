package io.dstream.mssql.emulator.cdc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture job of one database: committed transactions wait in commit order until they are
 * {@code latency} old (SQL Server's capture job polls the log, by default every 5 s), then scans
 * write them into the change tables, at most {@code maxtrans} transactions per scan and one H2
 * transaction per scan, as SQL Server's scan cycles do: a backlog is captured in bounded steps and
 * the maximum LSN moves after each. Pausing is stopping the job: nothing is lost, changes wait.
 */
final class CaptureProcess implements AutoCloseable {

    /** Writes a batch of committed transactions into the change tables, in one transaction. */
    interface Scan {
        void capture(List<CommittedTransaction> batch) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CaptureProcess.class);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String database;
    private final Scan scan;
    private final IntSupplier maxTransactions;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<CommittedTransaction> pending = new ArrayDeque<>();
    private final Object scanning = new Object();
    private final Thread thread;
    private long enqueued;
    private long captured;
    private long retryAfter;
    private boolean paused;
    private boolean closed;
    private Duration latency;

    /** @param maxTransactions transactions per scan at most ({@code maxtrans} of the capture job) */
    CaptureProcess(String database, Duration latency, IntSupplier maxTransactions, Scan scan) {
        this.database = database;
        this.latency = latency;
        this.maxTransactions = maxTransactions;
        this.scan = scan;
        this.retryAfter = System.nanoTime(); // nanoTime has an arbitrary origin: no retry pending is "now"
        this.thread = new Thread(this::run, "cdc-capture-" + database);
        thread.setDaemon(true);
        thread.start();
    }

    /** Allocates the next commit ordinal; call {@link #committed} with it in the same order. */
    long nextOrdinal() {
        lock.lock();
        try {
            return ++enqueued;
        } finally {
            lock.unlock();
        }
    }

    void committed(CommittedTransaction transaction) {
        lock.lock();
        try {
            pending.addLast(transaction);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    void resume() {
        lock.lock();
        try {
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void setLatency(Duration latency) {
        lock.lock();
        try {
            this.latency = latency;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean awaitCaptured(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = enqueued;
            while (captured < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code sys.sp_cdc_scan}: captures everything committed so far, now, even while the job is
     * stopped, in scans of at most {@code maxtrans} transactions.
     */
    void scanNow() throws Exception {
        synchronized (scanning) {
            List<CommittedTransaction> all;
            lock.lock();
            try {
                all = new ArrayList<>(pending);
            } finally {
                lock.unlock();
            }
            int step = scanSize();
            for (int from = 0; from < all.size(); from += step) {
                captureBatch(all.subList(from, Math.min(all.size(), from + step)));
            }
        }
    }

    /** Runs {@code action} while no scan writes, e.g. DDL on change tables or cleanup. */
    <T> T exclusive(java.util.concurrent.Callable<T> action) throws Exception {
        synchronized (scanning) {
            return action.call();
        }
    }

    private void run() {
        while (true) {
            List<CommittedTransaction> batch;
            try {
                batch = awaitDue();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            synchronized (scanning) {
                try {
                    captureBatch(batch);
                } catch (Exception e) {
                    LOG.error("CDC capture scan failed in database {}; retrying: {}", database, e.toString(), e);
                    lock.lock();
                    try {
                        retryAfter = System.nanoTime() + RETRY_NANOS;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Waits until the oldest pending transaction is due; returns the due ones of one scan, or null when closed. */
    private List<CommittedTransaction> awaitDue() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                if (paused || pending.isEmpty()) {
                    changed.await();
                    continue;
                }
                long now = System.nanoTime();
                long wait = Math.max(retryAfter - now, pending.peekFirst().committedAt() + latency.toNanos() - now);
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                List<CommittedTransaction> due = new ArrayList<>();
                long horizon = now - latency.toNanos();
                int max = scanSize();
                for (CommittedTransaction t : pending) {
                    if (t.committedAt() - horizon > 0 || due.size() == max) {
                        break;
                    }
                    due.add(t);
                }
                return due;
            }
        } finally {
            lock.unlock();
        }
    }

    private int scanSize() {
        return Math.max(1, maxTransactions.getAsInt());
    }

    /** Captures the batch unless another scan already did (scans are serialised by the caller). */
    private void captureBatch(List<CommittedTransaction> batch) throws Exception {
        List<CommittedTransaction> todo = new ArrayList<>();
        lock.lock();
        try {
            for (CommittedTransaction t : batch) {
                if (t.ordinal() > captured) {
                    todo.add(t);
                }
            }
        } finally {
            lock.unlock();
        }
        if (todo.isEmpty()) {
            return;
        }
        scan.capture(todo);
        lock.lock();
        try {
            CommittedTransaction last = todo.get(todo.size() - 1);
            while (!pending.isEmpty() && pending.peekFirst().ordinal() <= last.ordinal()) {
                pending.removeFirst();
            }
            captured = Math.max(captured, last.ordinal());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
