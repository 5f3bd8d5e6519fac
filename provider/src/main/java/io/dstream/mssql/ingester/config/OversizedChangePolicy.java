package io.dstream.mssql.ingester.config;

/**
 * {@code oversized_change}: what happens to a change whose line, alone, is longer than
 * {@code max_message_bytes} (a consumer with a line limit, such as the DStream CLI at 64 KiB, would stop
 * on it, and again after every restart).
 */
public enum OversizedChangePolicy {
    /** The table stops before the change: nothing of it is written and its checkpoint does not pass it. */
    FAIL,
    /** The long line is written anyway, for consumers without a line limit. */
    WRITE,
    /** Its largest values are replaced by markers carrying their size and SHA-256 until the line fits. */
    TRUNCATE
}
