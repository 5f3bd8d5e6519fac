package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;

import java.util.List;

/**
 * Which capture instance holds a table's next change. A table has at most two (a schema change in
 * progress); both capture every change from the moment the second exists. The old one is read up
 * to, excluding, the new one's start LSN and the new one from there: no gap, no duplicate.
 * ({@code change_tables.end_lsn} is always NULL, so the boundary is the new instance's start LSN.)
 */
public final class Instances {

    private Instances() {
    }

    /** Index of the newest instance whose validity interval starts at or before the next needed LSN (else the oldest). */
    public static int choose(List<CaptureInstance> instances, Position position) {
        Lsn next = position.nextNeededLsn();
        int chosen = 0;
        for (int i = 0; i < instances.size(); i++) {
            if (established(instances.get(i).startLsn()) && instances.get(i).startLsn().compareTo(next) <= 0) {
                chosen = i;
            }
        }
        return chosen;
    }

    /** The inclusive upper bound for reading instance {@code index}: {@code upper}, or just before the next instance starts. */
    public static Lsn upperBound(List<CaptureInstance> instances, int index, Lsn upper) {
        for (int i = index + 1; i < instances.size(); i++) {
            Lsn start = instances.get(i).startLsn();
            if (established(start)) {
                Lsn beforeNext = start.previous();
                return beforeNext.compareTo(upper) < 0 ? beforeNext : upper;
            }
        }
        return upper;
    }

    /** NULL or 0x00.. from {@code start_lsn} / {@code fn_cdc_get_min_lsn}: not established (yet), or no access. */
    public static boolean established(Lsn startLsn) {
        return startLsn != null && !startLsn.isZero();
    }
}
