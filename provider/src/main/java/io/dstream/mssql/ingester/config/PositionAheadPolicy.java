package io.dstream.mssql.ingester.config;

/**
 * {@code on_position_ahead}: what a table does when its position is ahead of what the database holds
 * (restored from a backup, failed over to a lagging replica, re-created). Its changes below the
 * position would otherwise be skipped silently.
 */
public enum PositionAheadPolicy {
    /** The table stops with an ERROR; the others go on. */
    FAIL,
    /** ERROR, then the table starts again from its oldest retained change (its consumers see replays). */
    RESTART_FROM_EARLIEST
}
