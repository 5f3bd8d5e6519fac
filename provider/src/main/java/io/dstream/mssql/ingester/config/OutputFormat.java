package io.dstream.mssql.ingester.config;

/** {@code output_format}: the shape of the lines on stdout (see the README's Output section). */
public enum OutputFormat {
    /** One line per batch of one table: {@code {"source":…,"changes":[…]}}. */
    ENVELOPE,
    /** One line per change, as the original Go provider wrote them. */
    DSTREAM
}
