package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.config.SnapshotMode;
import io.dstream.mssql.ingester.config.StartFrom;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a table's stream starts: after its checkpoint, or without one as {@code start_position} says.
 * One decision for {@code run}, {@code plan} and {@code status}, so that they cannot disagree.
 *
 * @param kind     which rule decided
 * @param position the position to read strictly after; empty while the oldest capture instance's
 *                 validity interval is not established (earliest start, capture job not run yet)
 */
public record StartPosition(Kind kind, Optional<Position> position) {

    public enum Kind {
        CHECKPOINT, LATEST, EARLIEST;

        /** As {@code plan} prints it. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where a table without a checkpoint starts: {@code start_position}, except that a table about to be
     * snapshotted starts at the latest position (its rows stand for everything before; the retained
     * history would only be read to be overwritten).
     */
    public static StartFrom startFrom(ProviderConfig config) {
        return config.snapshotMode() == SnapshotMode.NEVER ? config.startPosition() : StartFrom.LATEST;
    }

    /**
     * @param checkpoint the table's checkpoint row, if any
     * @param from       where a table without a checkpoint starts ({@code start_position})
     * @param maxLsn     {@code sys.fn_cdc_get_max_lsn()} the latest start is after; empty when nothing was
     *                   captured yet (then every change is after the start, as for earliest)
     * @param oldest     the table's oldest capture instance
     */
    public static StartPosition of(Optional<Checkpoint> checkpoint, StartFrom from, Optional<Lsn> maxLsn, CaptureInstance oldest) {
        boolean latest = from == StartFrom.LATEST;
        if (checkpoint.isPresent()) {
            return new StartPosition(Kind.CHECKPOINT, Optional.of(checkpoint.get().position()));
        }
        Lsn start = oldest.startLsn();
        if (latest && maxLsn.isPresent()) {
            // an instance enabled after the last captured commit starts above it: nothing before its start exists
            Position after = Position.afterCommit(maxLsn.get());
            return new StartPosition(Kind.LATEST, Optional.of(Instances.established(start) ? after.max(Position.before(start)) : after));
        }
        return new StartPosition(latest ? Kind.LATEST : Kind.EARLIEST,
                Instances.established(start) ? Optional.of(Position.before(start)) : Optional.empty());
    }

    /** The first commit LSN that may be read: after the position, or the oldest instance's start while not established. */
    public Lsn fromLsn(CaptureInstance oldest) {
        return position.map(Position::nextNeededLsn).orElse(oldest.startLsn());
    }
}
