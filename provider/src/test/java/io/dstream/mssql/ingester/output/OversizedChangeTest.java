package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.cdc.ColumnType;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.Operation;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.dstream.mssql.ingester.config.OversizedChangePolicy.FAIL;
import static io.dstream.mssql.ingester.config.OversizedChangePolicy.TRUNCATE;
import static io.dstream.mssql.ingester.config.OversizedChangePolicy.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code oversized_change}: a change whose line alone exceeds {@code max_message_bytes}, in both formats. */
class OversizedChangeTest {

    private static final TableName TABLE = new TableName("dbo", "docs");
    private static final Lsn COMMIT = Lsn.parse("0000002a:000001f0:0003");
    private static final Lsn SEQ = Lsn.parse("0000002a:000001e8:0002");
    private static final int LIMIT = 1024;
    private static final String BIG = "x".repeat(3000);

    /** An {@code id int} column, then an {@code nvarchar(max)} column {@code c0, c1, ..} per text. */
    private static RowImage row(int id, String... texts) {
        List<CapturedColumn> captured = new ArrayList<>(List.of(new CapturedColumn("id", 1)));
        List<ColumnType> types = new ArrayList<>(List.of(new ColumnType("int", 10, 0)));
        Object[] values = new Object[texts.length + 1];
        values[0] = (long) id;
        for (int i = 0; i < texts.length; i++) {
            captured.add(new CapturedColumn("c" + i, i + 2));
            types.add(new ColumnType("nvarchar", 1073741823, 0));
            values[i + 1] = texts[i];
        }
        return RowImage.of(new Columns(captured, types), values);
    }

    private static Change insert(int id, String... texts) {
        return new Change(ChangeType.INSERT, new Position(COMMIT, id, SEQ, Operation.INSERT), Instant.EPOCH, row(id, texts),
                null, List.of(), List.of());
    }

    private static Change update(int id, String after, String before) {
        return new Change(ChangeType.UPDATE, new Position(COMMIT, id, SEQ, Operation.UPDATE_AFTER), Instant.EPOCH,
                row(id, after), row(id, before), List.of("c0"), List.of());
    }

    private static ChangeFormat envelope(OversizedChangePolicy policy) {
        return new EnvelopeFormat("h", "d", "5s", LIMIT, policy);
    }

    private static ChangeFormat dstream(OversizedChangePolicy policy) {
        return new DstreamFormat("h", "d", LIMIT, policy);
    }

    /** Every change of every line, in order (both formats). */
    private static List<JsonNode> changes(Formatted formatted) {
        List<JsonNode> changes = new ArrayList<>();
        for (OutputLine line : formatted.lines()) {
            JsonNode node = read(line);
            if (node.has("changes")) {
                node.path("changes").forEach(changes::add);
            } else {
                changes.add(node);
            }
        }
        return changes;
    }

    private static JsonNode read(OutputLine line) {
        try {
            return Json.MAPPER.readTree(line.bytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withFailTheLinesStopBeforeTheChangeAndSayWhy() {
        for (ChangeFormat format : List.of(envelope(FAIL), dstream(FAIL))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(insert(1, "a"), insert(2, BIG, "y".repeat(500)), insert(3, "c")));

            assertThat(changes(formatted)).extracting(c -> c.path("data").path("id").asInt()).as("%s", format).containsExactly(1);
            assertThat(formatted.lines()).allSatisfy(line -> assertThat(line.bytes().length).isLessThanOrEqualTo(LIMIT));
            assertThat(formatted.lines().get(formatted.lines().size() - 1).covers().commandId()).isEqualTo(1);
            OversizedChange stop = formatted.stoppedBefore().orElseThrow();
            assertThat(stop.position()).isEqualTo(insert(2).position());
            assertThat(stop.lineBytes()).isGreaterThan(3500);
            assertThat(stop.problem()).contains("dbo.docs", "LSN 0000002a:000001f0:0003", "max_message_bytes 1024",
                    "c0 (3000 bytes), c1 (500 bytes)", String.valueOf(stop.lineBytes()), "oversized_change is fail");
            assertThat(stop.fix()).contains("max_message_bytes", "truncate", "write");
        }
    }

    @Test
    void withFailAnOversizedFirstChangeGivesNoLine() {
        for (ChangeFormat format : List.of(envelope(FAIL), dstream(FAIL))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(insert(1, BIG), insert(2, "b")));

            assertThat(formatted.lines()).isEmpty();
            assertThat(formatted.stoppedBefore().orElseThrow().position().commandId()).isEqualTo(1);
        }
    }

    @Test
    void changesThatFitAloneButNotTogetherAreSplitNotStopped() {
        for (ChangeFormat format : List.of(envelope(FAIL), dstream(FAIL))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(insert(1, "a".repeat(600)), insert(2, "b".repeat(600))));

            assertThat(formatted.stoppedBefore()).isEmpty();
            assertThat(formatted.lines()).hasSize(2);
            assertThat(changes(formatted)).hasSize(2);
        }
    }

    @Test
    void withWriteTheChangeIsWrittenAloneInItsLine() {
        Formatted formatted = envelope(WRITE).lines(TABLE, "ci", List.of(insert(1, "a"), insert(2, BIG), insert(3, "c")));

        assertThat(formatted.stoppedBefore()).isEmpty();
        List<OutputLine> lines = formatted.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).bytes().length).isGreaterThan(LIMIT);
        assertThat(lines.get(1).changes()).isEqualTo(1);
        assertThat(read(lines.get(1)).path("changes").get(0).path("data").path("c0").asText()).isEqualTo(BIG);
        assertThat(lines.get(0).bytes().length).isLessThanOrEqualTo(LIMIT);
        assertThat(lines.get(2).bytes().length).isLessThanOrEqualTo(LIMIT);

        Formatted dstream = dstream(WRITE).lines(TABLE, "ci", List.of(insert(1, BIG)));
        assertThat(dstream.lines()).hasSize(1);
        assertThat(read(dstream.lines().get(0)).path("data").path("c0").asText()).isEqualTo(BIG);
    }

    @Test
    void withTruncateTheValueBecomesAMarkerWithItsSizeAndSha256() throws Exception {
        String big = "é🙂".repeat(500); // 2 + 4 bytes each in UTF-8
        for (ChangeFormat format : List.of(envelope(TRUNCATE), dstream(TRUNCATE))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(insert(1, "a"), insert(2, big), insert(3, "c")));

            assertThat(formatted.stoppedBefore()).isEmpty();
            assertThat(formatted.lines()).allSatisfy(line -> assertThat(line.bytes().length).isLessThanOrEqualTo(LIMIT));
            List<JsonNode> changes = changes(formatted);
            assertThat(changes).extracting(c -> c.path("data").path("id").asInt()).containsExactly(1, 2, 3);
            assertThat(changes.get(1).path("data").path("c0")).isEqualTo(Json.MAPPER.readTree(
                    "{\"truncated\":true,\"bytes\":3000,\"sha256\":\"" + sha256(big) + "\"}"));
            assertThat(changes.get(0).path("data").path("c0").asText()).isEqualTo("a");
        }
    }

    @Test
    void withTruncateTheLargestValuesGoFirstAndOnlyUntilTheChangeFits() {
        String medium = "m".repeat(400);
        Formatted formatted = envelope(TRUNCATE).lines(TABLE, "ci", List.of(insert(1, medium, BIG, "s")));

        JsonNode data = changes(formatted).get(0).path("data");
        assertThat(data.path("c1").path("truncated").asBoolean()).isTrue();
        assertThat(data.path("c1").path("bytes").asInt()).isEqualTo(3000);
        assertThat(data.path("c0").asText()).as("the line fits once the largest is replaced").isEqualTo(medium);
        assertThat(data.path("c2").asText()).isEqualTo("s");
    }

    @Test
    void withTruncateBothImagesOfAnUpdateAreTruncated() throws Exception {
        String after = "a".repeat(2000);
        String before = "b".repeat(2000);
        for (ChangeFormat format : List.of(envelope(TRUNCATE), dstream(TRUNCATE))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(update(1, after, before)));

            JsonNode change = changes(formatted).get(0);
            assertThat(formatted.lines().get(0).bytes().length).isLessThanOrEqualTo(LIMIT);
            JsonNode beforeImage = change.has("before") ? change.path("before") : change.path("metadata").path("Before");
            assertThat(change.path("data").path("c0").path("sha256").asText()).isEqualTo(sha256(after));
            assertThat(beforeImage.path("c0").path("sha256").asText()).isEqualTo(sha256(before));
            assertThat(beforeImage.path("c0").path("bytes").asInt()).isEqualTo(2000);
        }
    }

    @Test
    void withTruncateAChangeThatCannotFitStopsTheTable() {
        String[] many = new String[40];
        Arrays.fill(many, "v".repeat(60)); // each shorter than its marker: truncating would only lengthen it
        for (ChangeFormat format : List.of(envelope(TRUNCATE), dstream(TRUNCATE))) {
            Formatted formatted = format.lines(TABLE, "ci", List.of(insert(1, "a"), insert(2, many)));

            assertThat(changes(formatted)).hasSize(1);
            OversizedChange stop = formatted.stoppedBefore().orElseThrow();
            assertThat(stop.position().commandId()).isEqualTo(2);
            assertThat(stop.problem()).contains("dbo.docs", "oversized_change is truncate", "still too long");
        }
    }

    @Test
    void theMarkerIsTheDocumentedShape() throws Exception {
        assertThat(Json.text(LineLimit.marker("hello"))).isEqualTo(
                "{\"truncated\":true,\"bytes\":5,\"sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"}");
    }
}
