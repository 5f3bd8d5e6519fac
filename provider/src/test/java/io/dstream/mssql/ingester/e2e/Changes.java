package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the provider's stdout as changes, and normalises the volatile fields (LSNs, seqvals, commit times) so
 * that a transcript can be compared with a golden file.
 */
public final class Changes {

    static final Pattern LSN_TEXT = Pattern.compile("[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}");
    static final Pattern LSN_HEX = Pattern.compile("[0-9a-f]{20}");
    static final Pattern COMMIT_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private Changes() {
    }

    /** True for an {@code envelope} line of this table (not the handshake, not another table). */
    public static boolean isEnvelopeOf(JsonNode line, String table) {
        return line.path("changes").isArray() && table.equals(line.path("table_name").asText());
    }

    /**
     * The changes of one table from {@code envelope} lines, flattened in order. Checks the envelope of every line
     * on the way: its table, its batch size, and that it is not empty.
     */
    public static List<JsonNode> envelopeChanges(List<String> lines, String table) {
        List<JsonNode> changes = new ArrayList<>();
        for (String text : lines) {
            JsonNode line = Json.read(text);
            if (!isEnvelopeOf(line, table)) {
                continue;
            }
            assertThat(line.path("changes").size()).as("changes in %s", text).isPositive();
            assertThat(line.path("metadata").path("batch_size").asInt()).as("batch_size of %s", text)
                    .isEqualTo(line.path("changes").size());
            assertThat(line.path("database").asText()).as("database of %s", text).isNotEmpty();
            assertThat(line.path("capture_instance").asText()).as("capture_instance of %s", text).isNotEmpty();
            for (JsonNode change : line.path("changes")) {
                assertThat(change.path("table_name").asText()).as("change table_name in %s", text).isEqualTo(table);
                changes.add(change);
            }
        }
        return changes;
    }

    /** The {@code dstream}-format lines of one table, in order. */
    public static List<JsonNode> dstreamChanges(List<String> lines, String table) {
        List<JsonNode> changes = new ArrayList<>();
        for (String text : lines) {
            JsonNode line = Json.read(text);
            if (table.equals(line.path("metadata").path("TableName").asText())) {
                changes.add(line);
            }
        }
        return changes;
    }

    /** The {@code id} column of each change ({@code data} holds the before image of a delete). */
    public static List<Integer> ids(List<JsonNode> changes) {
        return changes.stream().map(c -> c.path("data").path("id").asInt()).toList();
    }

    /** The commit LSN of a change in either format, as 20 hex digits (so LSNs compare as strings). */
    public static String lsnHex(JsonNode change) {
        String text = change.has("lsn") ? change.path("lsn").asText() : change.path("metadata").path("LSN").asText();
        return text.replace(":", "");
    }

    /**
     * Replaces LSNs by {@code L1, L2, …} and seqvals by {@code S1, S2, …} in order of first appearance (so equal
     * LSNs stay equal), and commit times by {@code <time>}, after checking each one's format.
     */
    public static final class Normaliser {
        private final Map<String, String> lsns = new HashMap<>();
        private final Map<String, String> seqvals = new HashMap<>();

        public List<JsonNode> normalise(List<JsonNode> changes) {
            return changes.stream().map(this::normalise).toList();
        }

        public JsonNode normalise(JsonNode change) {
            ObjectNode copy = change.deepCopy();
            if (copy.has("lsn")) {
                copy.put("lsn", alias(lsns, "L", copy.path("lsn").asText(), LSN_TEXT));
                copy.put("seqval", alias(seqvals, "S", copy.path("seqval").asText(), LSN_TEXT));
                copy.put("timestamp", time(copy.path("timestamp").asText()));
            }
            if (copy.path("metadata").has("LSN")) {
                ObjectNode metadata = (ObjectNode) copy.path("metadata");
                metadata.put("LSN", alias(lsns, "L", metadata.path("LSN").asText(), LSN_HEX));
                metadata.put("Seq", alias(seqvals, "S", metadata.path("Seq").asText(), LSN_HEX));
                metadata.put("CommitTime", time(metadata.path("CommitTime").asText()));
            }
            return copy;
        }

        private static String alias(Map<String, String> seen, String prefix, String value, Pattern format) {
            assertThat(value).as("LSN/seqval text form").matches(format);
            String key = value.replace(":", "");
            return seen.computeIfAbsent(key, k -> prefix + (seen.size() + 1));
        }

        private static String time(String value) {
            assertThat(value).as("commit time (ISO-8601 UTC, milliseconds)").matches(COMMIT_TIME);
            // The emulator commits now: a time far from now means the UTC conversion is wrong.
            assertThat(Duration.between(Instant.parse(value), Instant.now()).abs())
                    .as("commit time %s is close to now (UTC)", value)
                    .isLessThan(Duration.ofMinutes(10));
            return "<time>";
        }
    }
}
