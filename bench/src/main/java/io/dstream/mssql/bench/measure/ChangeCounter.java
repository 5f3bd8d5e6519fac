package io.dstream.mssql.bench.measure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the changes in the provider's envelope lines without parsing them: each envelope says
 * how many changes it carries in {@code metadata.batch_size}, which the provider writes last. A
 * full JSON parse of a million changes would make the bench JVM compete with the provider for
 * the same two cores and so measure the reader instead of the provider.
 */
public final class ChangeCounter {

    private static final String BATCH_SIZE = "\"batch_size\":";

    private final long expected;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong chars = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAtNanos;

    public ChangeCounter(long expected) {
        this.expected = expected;
    }

    /** Called by the stdout reader thread for every line after the ready line. */
    public void accept(String line, long arrivalNanos) {
        int batch = batchSize(line);
        if (batch <= 0) {
            return;
        }
        lines.incrementAndGet();
        chars.addAndGet(line.length() + 1L);
        if (changes.addAndGet(batch) >= expected && reached.getCount() > 0) {
            reachedAtNanos = arrivalNanos;
            reached.countDown();
        }
    }

    /** The number of changes an envelope line carries, or 0 for any other line. */
    static int batchSize(String line) {
        int at = line.lastIndexOf(BATCH_SIZE);
        if (at < 0) {
            return 0;
        }
        int i = at + BATCH_SIZE.length();
        int value = 0;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            value = value * 10 + (line.charAt(i++) - '0');
        }
        return value;
    }

    /** Waits until the expected number of changes arrived; false on timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit);
    }

    public long changes() {
        return changes.get();
    }

    public long lines() {
        return lines.get();
    }

    /** Characters of the envelope lines with their newlines; the bytes on stdout, as the changes are ASCII. */
    public long chars() {
        return chars.get();
    }

    /** {@link System#nanoTime()} when the expected count was reached. */
    public long reachedAtNanos() {
        return reachedAtNanos;
    }
}
