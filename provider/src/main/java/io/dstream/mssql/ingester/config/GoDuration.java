package io.dstream.mssql.ingester.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration in Go's {@code time.ParseDuration} syntax ({@code 300ms}, {@code 5s}, {@code 1m30s},
 * {@code 1.5s}, {@code 1h}; units ns, us/µs, ms, s, m, h), keeping the text the user wrote so that
 * output metadata can echo it.
 */
public record GoDuration(String text, Duration duration) {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    /** Go's {@code time.Duration} is an int64 of nanoseconds; {@code time.ParseDuration} refuses what does not fit. */
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);
    private static final String MAX_TEXT = "2562047h47m16.854775807s";
    private static final String MIN_TEXT = "-2562047h47m16.854775808s";

    /**
     * @throws IllegalArgumentException with an example of the expected syntax
     */
    public static GoDuration parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        String body = (negative || s.startsWith("+")) ? s.substring(1) : s;
        if (body.equals("0")) {
            return new GoDuration(text, Duration.ZERO);
        }
        Matcher m = PART.matcher(body);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
            end = m.end();
        }
        if (body.isEmpty() || end != body.length()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a Go duration (examples: \"300ms\", \"5s\", \"1m30s\", \"1h\")");
        }
        BigInteger signed = negative ? nanos.toBigInteger().negate() : nanos.toBigInteger();
        if (signed.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("\"" + text + "\" is larger than the largest Go duration (" + MAX_TEXT
                    + ", about 292 years)");
        }
        if (signed.compareTo(MIN_NANOS) < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is smaller than the smallest Go duration (" + MIN_TEXT
                    + ", about -292 years)");
        }
        return new GoDuration(text, Duration.ofNanos(signed.longValueExact()));
    }

    @Override
    public String toString() {
        return text;
    }
}
