package io.dstream.mssql.ingester;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The step startup is in, so that the startup watchdog's message names the step that did not finish
 * (a server that does not answer, slow catalog queries, a lock service that does not answer) instead
 * of guessing. Written by the thread that starts up, read by the watchdog.
 */
final class StartupProgress {

    /** A step of {@link Startup#prepare}, with what an operator should look at when it is the slow one. */
    enum Step {
        CONNECTING("connecting to SQL Server", "SQL Server does not answer; check host, port and firewall"),
        RESOLVING_TABLES("resolving the tables", "SQL Server answered, but its catalog queries did not finish; "
                + "is the server overloaded, or are cdc.change_tables or sys.tables locked by another session?"),
        READING_SERVER_STATE("reading the server's time and maximum LSN", "SQL Server answered, but did not return "
                + "sys.fn_cdc_get_max_lsn(); is the server overloaded?"),
        CHECKPOINT_TABLE("checking the checkpoint table", "SQL Server answered, but the checkpoint table could not be "
                + "read or created in time; is it locked by another session?"),
        OPENING_LOCK_SERVICE("opening the lock service", "the lock service does not answer; check "
                + "lock_config.connection_string and the network to it");

        private final String doing;
        private final String advice;

        Step(String doing, String advice) {
            this.doing = doing;
            this.advice = advice;
        }
    }

    /** A step entered at {@code since} ({@link System#nanoTime()}), working on {@code detail}. */
    private record Current(Step step, String detail, long since) {
    }

    private final LongSupplier nanoTime;
    /** One field, so that the watchdog never sees one step's detail with another's name. */
    private volatile Current current;

    StartupProgress(LongSupplier nanoTime, String address) {
        this.nanoTime = nanoTime;
        this.current = new Current(Step.CONNECTING, address, nanoTime.getAsLong());
    }

    /** Startup begins by connecting to the server at {@code address}. */
    static StartupProgress connecting(String address) {
        return new StartupProgress(System::nanoTime, address);
    }

    /** @param detail what the step works on (e.g. {@code "1000 table(s)"}) */
    void enter(Step next, String detail) {
        current = new Current(next, detail, nanoTime.getAsLong());
    }

    Step step() {
        return current.step();
    }

    /** The watchdog's message: which step did not finish, for how long, and what to check. */
    String overdue(long deadlineMillis) {
        Current c = current;
        double seconds = (nanoTime.getAsLong() - c.since()) / 1e9;
        return String.format(Locale.ROOT, "startup took longer than %d s: still %s (%s) after %.1f s in that step: %s",
                deadlineMillis / 1000, c.step().doing, c.detail(), seconds, c.step().advice);
    }
}
