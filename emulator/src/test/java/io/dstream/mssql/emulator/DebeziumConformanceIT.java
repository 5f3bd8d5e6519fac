package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium's SQL Server connector, unmodified, as a conformance client: whatever it sends must get
 * SQL Server's answer. Embedded engine, JSON converter, offsets and schema history in files: an
 * initial snapshot, then streaming of inserts, updates, a primary-key update (SQL Server captures
 * it as a delete and an insert), deletes and every column type the emulator supports, then a
 * restart from the stored offsets that reads only what changed while it was stopped.
 */
class DebeziumConformanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);

    private static final String CREATE_TABLE = """
            CREATE TABLE dbo.items (
              id INT NOT NULL PRIMARY KEY,
              name NVARCHAR(50) NOT NULL,
              tiny TINYINT NULL, small SMALLINT NULL, big BIGINT NULL, flag BIT NULL,
              price DECIMAL(18,4) NULL, num NUMERIC(10,2) NULL, cash MONEY NULL, small_cash SMALLMONEY NULL,
              ratio FLOAT NULL, approx REAL NULL,
              day DATE NULL, clock TIME(7) NULL, stamp DATETIME NULL, small_stamp SMALLDATETIME NULL,
              precise DATETIME2(7) NULL, zoned DATETIMEOFFSET(7) NULL,
              code CHAR(3) NULL, label VARCHAR(20) NULL, ncode NCHAR(3) NULL, note NVARCHAR(MAX) NULL,
              raw BINARY(2) NULL, blob VARBINARY(MAX) NULL, guid UNIQUEIDENTIFIER NULL, doc XML NULL
            )""";

    private static final String INSERT_ALL_TYPES = """
            INSERT INTO dbo.items VALUES (10, N'all types', 255, -32768, 9223372036854775807, 1,
              12345678901234.5678, -12345678.90, 922337203685477.5807, -214748.3648, 1.5E300, 3.25,
              '2024-02-29', '23:59:59.9999999', '2024-05-01 10:11:12.123', '2024-05-01 10:11:00',
              '2024-05-01 10:11:12.1234567', '2024-05-01 10:11:12.1234567 +05:30',
              'abc', 'text', N'ŋüé', N'long ✓ text', 0x0102, 0xCAFEBABE, '00112233-4455-6677-8899-AABBCCDDEEFF',
              N'<a b="1">x</a>')""";

    @TempDir
    Path dir;

    private Emulator emulator;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private ExecutorService executor;
    private DebeziumEngine<ChangeEvent<String, String>> engine;

    @BeforeEach
    void start() throws SQLException {
        emulator = Emulator.builder().captureLatency(Duration.ofMillis(50)).start();
        sql(CREATE_TABLE,
                "EXEC sys.sp_cdc_enable_db",
                "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'items', @role_name = NULL",
                "INSERT INTO dbo.items (id, name) VALUES (1, N'one'), (2, N'two')");
    }

    @AfterEach
    void stop() throws IOException {
        stopEngine();
        emulator.close();
    }

    @Test
    void snapshotThenStreamingThenRestartFromStoredOffsets() throws Exception {
        startEngine();
        await().atMost(EVENT_WAIT).until(() -> ops("items").size() >= 2);
        assertThat(ops("items")).containsExactly("r:1", "r:2");
        assertThat(after(0).get("name").asText()).isEqualTo("one");
        assertThat(changes("items").get(0).get("source").get("snapshot").asText()).isIn("first", "true");

        sql("INSERT INTO dbo.items (id, name) VALUES (3, N'three')",
                "UPDATE dbo.items SET name = N'ONE' WHERE id = 1",
                "UPDATE dbo.items SET id = 20 WHERE id = 2",
                "DELETE FROM dbo.items WHERE id = 3",
                INSERT_ALL_TYPES);
        await().atMost(EVENT_WAIT).until(() -> ops("items").size() >= 8);
        assertThat(ops("items")).containsExactly("r:1", "r:2", "c:3", "u:1", "d:2", "c:20", "d:3", "c:10");
        JsonNode update = event("u:1");
        assertThat(update.get("before").get("name").asText()).isEqualTo("one");
        assertThat(update.get("after").get("name").asText()).isEqualTo("ONE");
        assertThat(update.get("source").get("change_lsn").asText()).matches("[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}");
        assertThat(event("d:2").get("source").get("commit_lsn").asText())
                .as("one transaction, one commit LSN").isEqualTo(event("c:20").get("source").get("commit_lsn").asText());
        assertAllTypes(event("c:10").get("after"));

        stopEngine();
        sql("INSERT INTO dbo.items (id, name) VALUES (4, N'while stopped')",
                "UPDATE dbo.items SET name = N'TWENTY' WHERE id = 20");
        events.clear();
        startEngine();
        await().atMost(EVENT_WAIT).until(() -> ops("items").size() >= 2);
        assertThat(ops("items")).as("no snapshot again, nothing read twice").containsExactly("c:4", "u:20");
    }

    /** What SQL Server's values look like through Debezium's default mappings (precise decimals as strings). */
    private static void assertAllTypes(JsonNode row) {
        assertThat(row.get("tiny").asInt()).isEqualTo(255);
        assertThat(row.get("small").asInt()).isEqualTo(-32768);
        assertThat(row.get("big").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(row.get("flag").asBoolean()).isTrue();
        assertThat(row.get("price").asText()).isEqualTo("12345678901234.5678");
        assertThat(row.get("num").asText()).isEqualTo("-12345678.90");
        assertThat(row.get("cash").asText()).isEqualTo("922337203685477.5807");
        assertThat(row.get("small_cash").asText()).isEqualTo("-214748.3648");
        assertThat(row.get("ratio").asDouble()).isEqualTo(1.5E300);
        assertThat(row.get("approx").asDouble()).isEqualTo(3.25);
        assertThat(row.get("day").asLong()).isEqualTo(LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(row.get("clock").asLong()).as("time(7) in nanoseconds").isEqualTo(86_399_999_999_900L);
        assertThat(row.get("stamp").asLong()).as("datetime in milliseconds")
                .isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 11, 12, 123_000_000).toInstant(ZoneOffset.UTC).toEpochMilli());
        assertThat(row.get("precise").asLong()).as("datetime2(7) in nanoseconds").isEqualTo(
                LocalDateTime.of(2024, 5, 1, 10, 11, 12).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + 123_456_700L);
        assertThat(row.get("zoned").asText()).isEqualTo("2024-05-01T10:11:12.1234567+05:30");
        assertThat(row.get("code").asText()).isEqualTo("abc");
        assertThat(row.get("label").asText()).isEqualTo("text");
        assertThat(row.get("ncode").asText()).isEqualTo("ŋüé");
        assertThat(row.get("note").asText()).isEqualTo("long ✓ text");
        assertThat(row.get("raw").asText()).isEqualTo("AQI=");
        assertThat(row.get("blob").asText()).isEqualTo("yv66vg==");
        assertThat(row.get("guid").asText()).isEqualTo("00112233-4455-6677-8899-AABBCCDDEEFF");
        assertThat(row.get("doc").asText()).isEqualTo("<a b=\"1\">x</a>");
    }

    private void startEngine() {
        Properties p = new Properties();
        p.setProperty("name", "emulator-conformance");
        p.setProperty("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
        p.setProperty("database.hostname", emulator.host());
        p.setProperty("database.port", Integer.toString(emulator.port()));
        p.setProperty("database.user", "sa");
        p.setProperty("database.password", "emulator");
        p.setProperty("database.names", emulator.database());
        p.setProperty("database.encrypt", "false");
        p.setProperty("topic.prefix", "emu");
        p.setProperty("table.include.list", "dbo.items");
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("poll.interval.ms", "100");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("converter.schemas.enable", "false");
        engine = DebeziumEngine.create(Json.class).using(p)
                .notifying(record -> {
                    if (record.value() != null) {
                        try {
                            events.add(JSON.readTree(record.value()));
                        } catch (IOException e) {
                            throw new IllegalStateException("Debezium sent JSON that does not parse: " + record.value(), e);
                        }
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
    }

    private void stopEngine() throws IOException {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).as("engine stopped").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** "op:id" of each change event of the table (not its schema changes), in order. */
    private List<String> ops(String table) {
        List<String> ops = new ArrayList<>();
        for (JsonNode e : changes(table)) {
            {
                JsonNode row = e.get("op").asText().equals("d") ? e.get("before") : e.get("after");
                ops.add(e.get("op").asText() + ":" + row.get("id").asInt());
            }
        }
        return ops;
    }

    private JsonNode event(String op) {
        int index = ops("items").indexOf(op);
        assertThat(index).as("event %s among %s", op, ops("items")).isNotNegative();
        return changes("items").get(index);
    }

    private List<JsonNode> changes(String table) {
        return events.stream().filter(e -> e.has("op") && table.equals(e.path("source").path("table").asText()))
                .collect(Collectors.toList());
    }

    private JsonNode after(int index) {
        return changes("items").get(index).get("after");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
