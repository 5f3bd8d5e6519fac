package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.Lsn;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where a table's stream stands: the last change written, as {@code (commit LSN, command_id, seqval,
 * operation)}. This is the change table's clustered key and the order every change query uses:
 * {@code __$start_lsn} orders transactions by commit, and inside one transaction
 * {@code __$command_id, __$seqval, __$operation} order the changes ({@code __$seqval} alone is not
 * enough: a deferred update's delete and insert can share it, and an update's two images always do).
 *
 * <p>{@link #afterCommit(Lsn)} stands for "everything up to and including this commit LSN was read":
 * its command_id, seqval and operation are above anything SQL Server writes, so strictly after it
 * means {@code __$start_lsn > lsn}.
 */
public record Position(Lsn commitLsn, int commandId, Lsn seqval, Operation operation) implements Comparable<Position> {

    private static final Comparator<Position> ORDER = Comparator.comparing(Position::commitLsn)
            .thenComparingInt(Position::commandId)
            .thenComparing(Position::seqval)
            .thenComparingInt(p -> p.operation().code());

    public Position {
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(seqval, "seqval");
        Objects.requireNonNull(operation, "operation");
    }

    /** Every change with a commit LSN up to and including {@code lsn} has been read. */
    public static Position afterCommit(Lsn lsn) {
        return new Position(lsn, Integer.MAX_VALUE, Lsn.MAX, Operation.UPDATE_AFTER);
    }

    /** Nothing read yet from {@code minLsn} on: the next change read may have exactly this commit LSN. */
    public static Position before(Lsn minLsn) {
        return afterCommit(minLsn.previous());
    }

    /** True when this position covers its whole commit ({@link #afterCommit}). */
    public boolean isCommitEnd() {
        return commandId == Integer.MAX_VALUE && seqval.equals(Lsn.MAX);
    }

    /** The smallest commit LSN that may still hold a change after this position. */
    public Lsn nextNeededLsn() {
        return isCommitEnd() ? commitLsn.next() : commitLsn;
    }

    public Position max(Position other) {
        return compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return isCommitEnd() ? commitLsn + "(end)" : commitLsn + "(" + commandId + "," + seqval + "," + operation.code() + ")";
    }
}
