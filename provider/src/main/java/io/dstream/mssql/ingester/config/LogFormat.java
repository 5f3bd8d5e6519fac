package io.dstream.mssql.ingester.config;

/** {@code log_format}: the shape of the log lines on stderr (see the README's Logs section). */
public enum LogFormat {
    /** {@code [MSSQL-CDC] <time> <LEVEL> <logger> - <message>}, for people and the DStream CLI's log relay. */
    TEXT,
    /** One JSON object per line ({@code @timestamp}, {@code level}, {@code logger_name}, {@code table}, {@code message}, …), for log collectors. */
    JSON
}
