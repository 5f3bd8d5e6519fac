package io.dstream.mssql.ingester.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Simulated time for the capture loop: a wait returns at once with the clock moved to its deadline,
 * so minutes of polling run in seconds. Actions scheduled at an instant run on the loop's thread
 * when the clock reaches it (the clock stops there first), so the test controls exactly which
 * cycle sees them.
 */
final class SimulatedPacer implements Pacer {

    private record Action(Instant at, Runnable run) {
    }

    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now = start;
    private final List<Action> actions = new ArrayList<>();
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Override
    public Clock clock() {
        return clock;
    }

    /** Runs {@code action} on the loop's thread when the simulated time reaches {@code after} from the start. */
    synchronized SimulatedPacer at(Duration after, Runnable action) {
        actions.add(new Action(start.plus(after), action));
        actions.sort(Comparator.comparing(Action::at));
        return this;
    }

    /** Simulated time since the start. */
    Duration elapsed() {
        return Duration.between(start, now);
    }

    @Override
    public void waitUntil(Object monitor, Instant deadline) throws InterruptedException {
        Action due;
        synchronized (this) {
            due = actions.isEmpty() || actions.get(0).at().isAfter(deadline) ? null : actions.remove(0);
        }
        if (due != null) {
            now = due.at().isAfter(now) ? due.at() : now;
            due.run().run();
            return;
        }
        if (deadline.isAfter(now)) {
            now = deadline;
        }
        monitor.wait(1); // lets stop() through; the simulated time does not depend on it
    }
}
