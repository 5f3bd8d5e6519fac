package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * {@code max_message_bytes} and {@code oversized_change}: what the formats write for a change whose line,
 * alone, is longer than the limit.
 */
final class LineLimit {

    private static final Logger LOG = LoggerFactory.getLogger(LineLimit.class);
    /** How many of a change's largest values a message names. */
    private static final int VALUES_NAMED = 3;

    private final int maxBytes;
    private final OversizedChangePolicy policy;

    LineLimit(int maxBytes, OversizedChangePolicy policy) {
        this.maxBytes = maxBytes;
        this.policy = policy;
    }

    boolean exceeds(int lineBytes) {
        return lineBytes > maxBytes;
    }

    /**
     * What to write for a change whose line alone is {@code lineBytes} long, more than the limit: under
     * {@code write} the change whole (WARN); under {@code truncate} the change with its largest values, largest
     * first, replaced by {@link #marker markers} until its line fits (ERROR); empty when the table must stop
     * before it ({@code fail}, or no truncation fits; then {@link #stop} says why).
     *
     * @param lineBytesOf the bytes of the line the change makes alone, with a truncation
     */
    Optional<Truncation> fit(TableName table, Change change, int lineBytes, ToIntFunction<Truncation> lineBytesOf) {
        return switch (policy) {
            case WRITE -> {
                LOG.warn("{}: {}; oversized_change=write: written anyway, alone in its line (a consumer with a line limit, "
                        + "such as the DStream CLI at 64 KiB, stops on it)", table, OversizedChange.what(change.position(), lineBytes, maxBytes));
                yield Optional.of(Truncation.NONE);
            }
            case TRUNCATE -> truncated(table, change, lineBytes, lineBytesOf);
            case FAIL -> Optional.empty();
        };
    }

    /** The change the table stops before, when {@link #fit} found nothing to write. */
    OversizedChange stop(TableName table, Change change, int lineBytes) {
        List<String> largest = values(change).stream().limit(VALUES_NAMED).map(Value::describe).toList();
        return new OversizedChange(table, change.position(), lineBytes, maxBytes, policy, largest);
    }

    private Optional<Truncation> truncated(TableName table, Change change, int lineBytes, ToIntFunction<Truncation> lineBytesOf) {
        Truncation truncation = Truncation.NONE;
        List<String> replaced = new ArrayList<>();
        for (Value value : values(change)) {
            ObjectNode marker = marker(value.text());
            if (Json.bytes(marker).length >= value.bytes() + 2) {
                break; // this value and every smaller one is shorter than its marker: truncating only lengthens the line
            }
            truncation = truncation.with(value.inBefore(), value.index(), marker);
            replaced.add(value.describe());
            int truncatedBytes = lineBytesOf.applyAsInt(truncation);
            if (!exceeds(truncatedBytes)) {
                LOG.error("{}: {}; oversized_change=truncate: written as {} bytes with these values replaced by "
                                + "{\"truncated\":true,\"bytes\":..,\"sha256\":..} markers: {}", table,
                        OversizedChange.what(change.position(), lineBytes, maxBytes), truncatedBytes, String.join(", ", replaced));
                return Optional.of(truncation);
            }
        }
        return Optional.empty();
    }

    /**
     * What a truncated value is replaced by: {@code {"truncated":true,"bytes":N,"sha256":"<64 hex digits>"}}, its
     * length and SHA-256 taken over its text in UTF-8 (for a binary column, its base64 text), as it would have
     * been written.
     */
    static ObjectNode marker(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ObjectNode marker = Json.object();
        marker.put("truncated", true);
        marker.put("bytes", utf8.length);
        marker.put("sha256", HexFormat.of().formatHex(sha256(utf8)));
        return marker;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The change's string values (only those grow large), in its data and before images, largest first. */
    private static List<Value> values(Change change) {
        List<Value> values = new ArrayList<>();
        add(values, change.data(), false);
        if (change.before() != null) {
            add(values, change.before(), true);
        }
        values.sort(Comparator.comparingInt(Value::bytes).reversed());
        return values;
    }

    private static void add(List<Value> values, RowImage image, boolean inBefore) {
        Columns columns = image.columns();
        for (int i = 0; i < columns.size(); i++) {
            Object value = image.value(i);
            String text = image.has(i) && value != null ? Values.text(value, columns.type(i)) : null;
            if (text != null) {
                values.add(new Value(inBefore, i, columns.name(i), text, text.getBytes(StandardCharsets.UTF_8).length));
            }
        }
    }

    /** A value a change writes as a string: its column, which image holds it, and its length in UTF-8. */
    private record Value(boolean inBefore, int index, String column, String text, int bytes) {

        String describe() {
            return (inBefore ? "before." : "") + column + " (" + bytes + " bytes)";
        }
    }
}
