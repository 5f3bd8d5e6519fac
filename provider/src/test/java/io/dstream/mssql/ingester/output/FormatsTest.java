package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.cdc.ColumnType;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.Operation;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.dstream.mssql.ingester.config.OversizedChangePolicy.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

class FormatsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TableName TABLE = new TableName("dbo", "customers");
    private static final Lsn COMMIT = Lsn.parse("0000002a:000001f0:0003");
    private static final Lsn SEQ = Lsn.parse("0000002a:000001e8:0002");
    private static final Instant TIME = Instant.parse("2026-11-24T12:00:00.123Z");

    private static final Columns COLUMNS = new Columns(
            List.of(new CapturedColumn("id", 1), new CapturedColumn("name", 2)),
            List.of(new ColumnType("int", 10, 0), new ColumnType("nvarchar", 100, 0)));

    private static RowImage row(int id, String name) {
        return RowImage.of(COLUMNS, (long) id, name);
    }

    private static Change insert(int id, String name) {
        return new Change(ChangeType.INSERT, new Position(COMMIT, id, SEQ, Operation.INSERT), TIME, row(id, name), null,
                List.of(), List.of());
    }

    private static String text(OutputLine line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void envelopeLineIsTheContractsShape() {
        EnvelopeFormat format = new EnvelopeFormat("localhost", "testdb", "5s", 65000, FAIL);

        List<OutputLine> lines = format.lines(TABLE, "dbo_customers", List.of(insert(1, "Ann"))).lines();

        assertThat(lines).hasSize(1);
        assertThat(text(lines.get(0))).isEqualTo("{\"table_name\":\"dbo.customers\",\"server_name\":\"localhost\","
                + "\"database\":\"testdb\",\"capture_instance\":\"dbo_customers\",\"changes\":[{\"table_name\":\"dbo.customers\","
                + "\"change_type\":\"insert\",\"data\":{\"id\":1,\"name\":\"Ann\"},\"timestamp\":\"2026-11-24T12:00:00.123Z\","
                + "\"lsn\":\"0000002a:000001f0:0003\",\"seqval\":\"0000002a:000001e8:0002\",\"command_id\":1}],"
                + "\"metadata\":{\"batch_size\":1,\"poll_interval\":\"5s\"}}");
        assertThat(lines.get(0).covers()).isEqualTo(new Position(COMMIT, 1, SEQ, Operation.INSERT));
        assertThat(lines.get(0).changes()).isEqualTo(1);
    }

    @Test
    void envelopeUpdateCarriesBeforeChangedAndUnavailableColumns() {
        Change update = new Change(ChangeType.UPDATE, new Position(COMMIT, 1, SEQ, Operation.UPDATE_AFTER), null,
                row(1, "Anna"), row(1, "Ann"), List.of("name"), List.of("notes"));

        String line = text(new EnvelopeFormat("h", "d", "1s", 65000, FAIL).lines(TABLE, "ci", List.of(update)).lines().get(0));

        assertThat(line).contains("\"change_type\":\"update\",\"data\":{\"id\":1,\"name\":\"Anna\"},"
                + "\"before\":{\"id\":1,\"name\":\"Ann\"},\"changed_columns\":[\"name\"],\"unavailable_columns\":[\"notes\"],"
                + "\"timestamp\":null,");
    }

    @Test
    void batchesAreCutSoNoLineExceedsTheLimit() {
        List<Change> changes = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            changes.add(insert(i, "name-" + "x".repeat(i % 37)));
        }
        int limit = 1500;

        List<OutputLine> lines = new EnvelopeFormat("localhost", "testdb", "5s", limit, FAIL).lines(TABLE, "dbo_customers", changes).lines();

        assertThat(lines.size()).isGreaterThan(1);
        List<Integer> ids = new ArrayList<>();
        for (OutputLine line : lines) {
            assertThat(line.bytes().length).isLessThanOrEqualTo(limit);
            JsonNode node = Json.MAPPER.valueToTree(parse(line));
            assertThat(node.path("metadata").path("batch_size").asInt()).isEqualTo(node.path("changes").size()).isEqualTo(line.changes());
            node.path("changes").forEach(c -> ids.add(c.path("data").path("id").asInt()));
            assertThat(line.covers().commandId()).isEqualTo(ids.get(ids.size() - 1));
        }
        assertThat(ids).hasSize(200).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aLineIsFilledCloseToTheLimit() {
        List<Change> changes = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            changes.add(insert(i, "n"));
        }
        EnvelopeFormat format = new EnvelopeFormat("localhost", "testdb", "5s", 1024, FAIL);

        List<OutputLine> lines = format.lines(TABLE, "dbo_customers", changes).lines();
        int perChange = format.lines(TABLE, "dbo_customers", List.of(insert(10, "n"), insert(11, "n"))).lines().get(0).bytes().length
                - format.lines(TABLE, "dbo_customers", List.of(insert(10, "n"))).lines().get(0).bytes().length;

        // every line but the last would have overflowed with one more change
        assertThat(lines.size()).isGreaterThan(1);
        for (OutputLine line : lines.subList(0, lines.size() - 1)) {
            assertThat(line.bytes().length + perChange).isGreaterThan(1024);
        }
    }

    @Test
    void utf8BytesAreCountedNotCharacters() {
        List<Change> changes = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            changes.add(insert(i, "日本語🙂".repeat(5)));
        }

        for (OutputLine line : new EnvelopeFormat("h", "d", "5s", 1024, FAIL).lines(TABLE, "ci", changes).lines()) {
            assertThat(line.bytes().length).isLessThanOrEqualTo(1024);
            assertThat(text(line).getBytes(StandardCharsets.UTF_8)).hasSize(line.bytes().length);
        }
    }

    @Test
    void aCharacterOutsideTheBmpIsItsFourUtf8Bytes() {
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);

        OutputLine envelope = new EnvelopeFormat("h", "d", "5s", 65000, FAIL).lines(TABLE, "ci", List.of(insert(1, "a\uD83D\uDE00b"))).lines().get(0);
        OutputLine dstream = new DstreamFormat("h", "d", 65000, FAIL).lines(TABLE, "ci", List.of(insert(1, "a\uD83D\uDE00b"))).lines().get(0);

        for (OutputLine line : List.of(envelope, dstream)) {
            assertThat(text(line)).contains("\"name\":\"a\uD83D\uDE00b\"").doesNotContain("\\u");
            assertThat(indexOf(line.bytes(), emoji)).as("the 4 UTF-8 bytes F0 9F 98 80").isPositive();
        }
        assertThat(Json.bytes(Json.object().put("s", "\uD83D\uDE00"))).hasSize("{\"s\":\"\"}".length() + 4);
    }

    @Test
    void aLoneSurrogateIsEscapedSoTheLineIsValidJson() throws Exception {
        for (String name : List.of("a\uD83Db", "a\uDE00b", "end\uD83D", "\uDE00\uD83D\uDE00")) {
            OutputLine line = new DstreamFormat("h", "d", 65000, FAIL).lines(TABLE, "ci", List.of(insert(1, name))).lines().get(0);

            assertThat(text(line).getBytes(StandardCharsets.UTF_8)).as("well-formed UTF-8").isEqualTo(line.bytes());
            assertThat(Json.MAPPER.readTree(line.bytes()).path("data").path("name").textValue()).isEqualTo(name);
        }
        OutputLine lone = new DstreamFormat("h", "d", 65000, FAIL).lines(TABLE, "ci", List.of(insert(1, "a\uD83Db"))).lines().get(0);
        assertThat(text(lone)).contains("\"name\":\"a\\uD83Db\"");
    }

    @Test
    void dstreamLineIsTheContractsShape() {
        Change update = new Change(ChangeType.UPDATE, new Position(COMMIT, 1, SEQ, Operation.UPDATE_AFTER), TIME,
                row(1, "Anna"), row(1, "Ann"), List.of("name"), List.of());

        List<OutputLine> lines = new DstreamFormat("localhost", "testdb", 65000, FAIL).lines(TABLE, "dbo_customers",
                List.of(insert(1, "Ann"), update)).lines();

        assertThat(lines).hasSize(2);
        assertThat(text(lines.get(0))).isEqualTo("{\"source\":\"localhost/testdb\",\"type\":\"insert\",\"data\":{\"id\":1,\"name\":\"Ann\"},"
                + "\"metadata\":{\"TableName\":\"dbo.customers\",\"LSN\":\"0000002a000001f00003\",\"Seq\":\"0000002a000001e80002\","
                + "\"OperationID\":2,\"OperationType\":\"Insert\",\"CommitTime\":\"2026-11-24T12:00:00.123Z\","
                + "\"CaptureInstance\":\"dbo_customers\",\"CommandID\":1}}");
        assertThat(text(lines.get(1))).isEqualTo("{\"source\":\"localhost/testdb\",\"type\":\"update\",\"data\":{\"id\":1,\"name\":\"Anna\"},"
                + "\"metadata\":{\"TableName\":\"dbo.customers\",\"LSN\":\"0000002a000001f00003\",\"Seq\":\"0000002a000001e80002\","
                + "\"OperationID\":4,\"OperationType\":\"Update\",\"CommitTime\":\"2026-11-24T12:00:00.123Z\","
                + "\"CaptureInstance\":\"dbo_customers\",\"CommandID\":1,\"Before\":{\"id\":1,\"name\":\"Ann\"},\"ChangedColumns\":[\"name\"]}}");
    }

    @Test
    void deleteInDstreamFormat() {
        Change delete = new Change(ChangeType.DELETE, new Position(COMMIT, 2, SEQ, Operation.DELETE), TIME, row(1, "Ann"),
                null, List.of(), List.of());

        String line = text(new DstreamFormat("s", "d", 65000, FAIL).lines(TABLE, "ci", List.of(delete)).lines().get(0));

        assertThat(line).contains("\"type\":\"delete\"").contains("\"OperationID\":1,\"OperationType\":\"Delete\"")
                .doesNotContain("Before");
    }

    @Test
    void stdoutWritesWholeLinesAndFlushes() throws Exception {
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        Stdout out = new Stdout(sink);

        out.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        out.write(Json.object().put("status", "ready"));

        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"status\":\"ready\"}\n");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static Object parse(OutputLine line) {
        try {
            return Json.MAPPER.readTree(line.bytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A column of {@link #tricky}: its value as a row holds it, and the node the formats once built for it. */
    private record Cell(String name, ColumnType type, Object value, JsonNode node) {
    }

    /** Values of many kinds, with characters JSON must escape. */
    private static List<Cell> tricky(int id) {
        String text = "q\"b\\s/\u0001\t\n日本🙂</script>";
        return List.of(
                new Cell("id", new ColumnType("bigint", 19, 0), (long) id, NODES.numberNode((long) id)),
                new Cell("small", new ColumnType("smallint", 5, 0), (long) id, NODES.numberNode(id)),
                new Cell("text", new ColumnType("nvarchar", 100, 0), text, NODES.textNode(text)),
                new Cell("f", new ColumnType("float", 53, 0), 1.1d, NODES.numberNode(1.1d)),
                new Cell("big", new ColumnType("float", 53, 0), 1.0e300d, NODES.numberNode(1.0e300d)),
                new Cell("neg", new ColumnType("float", 53, 0), -0.0d, NODES.numberNode(-0.0d)),
                new Cell("r", new ColumnType("real", 24, 0), 1.1f, NODES.numberNode(1.1f)),
                new Cell("flag", new ColumnType("bit", 1, 0), id % 2 == 0, NODES.booleanNode(id % 2 == 0)),
                new Cell("none", new ColumnType("int", 10, 0), null, NODES.nullNode()),
                new Cell("q\"uoted", new ColumnType("varchar", 10, 0), "", NODES.textNode("")),
                new Cell("amount", new ColumnType("decimal", 12, 2), new BigDecimal("-7.5"), NODES.textNode("-7.50")),
                new Cell("at", new ColumnType("datetime2", 27, 7), LocalDateTime.of(2024, 5, 1, 10, 11, 12, 100),
                        NODES.textNode("2024-05-01T10:11:12.0000001")),
                new Cell("bin", new ColumnType("varbinary", 10, 0), new byte[] {(byte) 0xFF, 0}, NODES.textNode("/wA=")),
                new Cell("guid", new ColumnType("uniqueidentifier", 36, 0), "6f9619ff-8b86-d011-b42d-00c04fd430c8",
                        NODES.textNode("6F9619FF-8B86-D011-B42D-00C04FD430C8")));
    }

    private static RowImage image(List<Cell> cells) {
        List<CapturedColumn> captured = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            captured.add(new CapturedColumn(cells.get(i).name(), i + 1));
        }
        Columns columns = new Columns(captured, cells.stream().map(Cell::type).toList());
        return RowImage.of(columns, cells.stream().map(Cell::value).toArray());
    }

    private static Map<String, JsonNode> nodes(List<Cell> cells) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        cells.forEach(c -> nodes.put(c.name(), c.node()));
        return nodes;
    }

    private static ObjectNodeBuilder tree() {
        return new ObjectNodeBuilder();
    }

    /**
     * The tree the formats built before writing straight to a generator, serialised to bytes as they
     * did, through the same mapper.
     */
    private static final class ObjectNodeBuilder {
        final com.fasterxml.jackson.databind.node.ObjectNode node = NODES.objectNode();

        ObjectNodeBuilder put(String k, Object v) {
            if (v instanceof String s) {
                node.put(k, s);
            } else if (v instanceof Integer i) {
                node.put(k, i);
            } else if (v instanceof Map<?, ?> m) {
                var row = NODES.objectNode();
                m.forEach((a, b) -> row.set((String) a, (JsonNode) b));
                node.set(k, row);
            } else if (v instanceof List<?> l) {
                var array = NODES.arrayNode();
                l.forEach(x -> array.add((String) x));
                node.set(k, array);
            } else if (v instanceof JsonNode n) {
                node.set(k, n);
            } else {
                node.putNull(k);
            }
            return this;
        }
    }

    @Test
    void linesAreByteIdenticalToSerialisingTheTree() throws Exception {
        Change insert = new Change(ChangeType.INSERT, new Position(COMMIT, 1, SEQ, Operation.INSERT), TIME, image(tricky(1)),
                null, List.of(), List.of());
        Change update = new Change(ChangeType.UPDATE, new Position(COMMIT, 2, SEQ, Operation.UPDATE_AFTER), null,
                image(tricky(2)), image(tricky(3)), List.of("text", "f"), List.of("notes"));
        TableName odd = new TableName("my \"schema", "t]x");

        List<OutputLine> lines = new EnvelopeFormat("h\"ost", "d\\b", "1m30s", 65000, FAIL).lines(odd, "c\"i", List.of(insert, update)).lines();

        var changes = NODES.arrayNode();
        for (Change c : List.of(insert, update)) {
            ObjectNodeBuilder b = tree().put("table_name", odd.toString()).put("change_type", c.type().envelopeName())
                    .put("data", nodes(tricky(c == insert ? 1 : 2)));
            if (c.type() == ChangeType.UPDATE) {
                b.put("before", nodes(tricky(3))).put("changed_columns", c.changedColumns());
            }
            if (!c.unavailableColumns().isEmpty()) {
                b.put("unavailable_columns", c.unavailableColumns());
            }
            b.put("timestamp", c.commitTime() == null ? null : "2026-11-24T12:00:00.123Z")
                    .put("lsn", c.position().commitLsn().toString()).put("seqval", c.position().seqval().toString())
                    .put("command_id", c.position().commandId());
            changes.add(b.node);
        }
        ObjectNodeBuilder expected = tree().put("table_name", odd.toString()).put("server_name", "h\"ost").put("database", "d\\b")
                .put("capture_instance", "c\"i").put("changes", changes)
                .put("metadata", tree().put("batch_size", 2).put("poll_interval", "1m30s").node);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).bytes()).isEqualTo(Json.MAPPER.writeValueAsBytes(expected.node));

        OutputLine dstream = new DstreamFormat("h", "d", 65000, FAIL).lines(odd, "c\"i", List.of(update)).lines().get(0);

        var metadata = tree().put("TableName", odd.toString()).put("LSN", COMMIT.toHex()).put("Seq", SEQ.toHex())
                .put("OperationID", 4).put("OperationType", "Update").put("CommitTime", null).put("CaptureInstance", "c\"i")
                .put("CommandID", 2).put("Before", nodes(tricky(3))).put("ChangedColumns", update.changedColumns())
                .put("UnavailableColumns", update.unavailableColumns());
        var line = tree().put("source", "h/d").put("type", "update").put("data", nodes(tricky(2))).put("metadata", metadata.node);
        assertThat(dstream.bytes()).isEqualTo(Json.MAPPER.writeValueAsBytes(line.node));
    }
}
