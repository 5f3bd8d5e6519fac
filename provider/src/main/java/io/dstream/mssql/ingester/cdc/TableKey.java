package io.dstream.mssql.ingester.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dstream.mssql.ingester.config.TableName;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unique key a snapshot reads a table by: its primary key, or else its first unique index on
 * NOT NULL columns without a filter. Chunks are read in this key's order, and a change is matched to
 * a chunk row by it (see {@code stream.SnapshotChunk}), so every key column must be captured.
 */
public final class TableKey {

    /**
     * The key columns of every usable unique index of the table, primary key first, then by index id, each
     * index's columns in key order. An index with a nullable column is left out: keyset paging past
     * NULLs needs another predicate, and a primary key never has one. Filtered and disabled indexes
     * hold only some rows.
     */
    static final String KEY_COLUMNS = "SELECT i.index_id, i.name, c.name, c.is_nullable "
            + "FROM sys.indexes AS i "
            + "JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id "
            + "JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id "
            + "WHERE i.object_id = OBJECT_ID(?) AND i.is_unique = 1 AND i.has_filter = 0 AND i.is_disabled = 0 "
            + "AND ic.key_ordinal > 0 "
            + "ORDER BY i.is_primary_key DESC, i.index_id, ic.key_ordinal";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String index;
    private final List<String> columns;

    public TableKey(String index, List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one column");
        }
        this.index = index;
        this.columns = List.copyOf(columns);
    }

    /** The table's key, or empty when it has neither a primary key nor a unique index on NOT NULL columns. */
    public static Optional<TableKey> of(Connection c, TableName table) throws SQLException {
        Map<Integer, List<String>> columnsByIndex = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        List<Integer> nullable = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(KEY_COLUMNS)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    names.putIfAbsent(id, rs.getString(2));
                    columnsByIndex.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(3));
                    if (rs.getBoolean(4)) {
                        nullable.add(id);
                    }
                }
            }
        }
        return columnsByIndex.entrySet().stream()
                .filter(e -> !nullable.contains(e.getKey()))
                .findFirst()
                .map(e -> new TableKey(names.get(e.getKey()), e.getValue()));
    }

    /** The index the key comes from (the primary key's name, or the unique index's). */
    public String index() {
        return index;
    }

    public List<String> columns() {
        return columns;
    }

    /** The key columns a capture instance does not capture (a snapshot cannot match its changes to rows then). */
    public List<String> missingFrom(List<String> captured) {
        return columns.stream().filter(k -> captured.stream().noneMatch(k::equalsIgnoreCase)).toList();
    }

    /** The key of a row image, comparable with {@link Value#equals}; null when the image lacks a key column. */
    public Value valueOf(RowImage image) {
        Columns cols = image.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            int index = indexOf(cols, columns.get(i));
            if (index < 0 || !image.has(index)) {
                return null;
            }
            Object v = image.value(index);
            values[i] = v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
        }
        return new Value(values);
    }

    private static int indexOf(Columns cols, String name) {
        int exact = cols.indexOf(name);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < cols.size(); i++) {
            if (cols.name(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One row's key values, as read (a {@code byte[]} wrapped so that equal bytes are equal keys). Two rows
     * have equal keys only when SQL Server stored the same values: both come from the same column types
     * through the same {@link ColumnType.Kind#fetch}.
     */
    public static final class Value {
        private final Object[] values;

        Value(Object[] values) {
            this.values = values;
        }

        public Object get(int i) {
            return values[i];
        }

        int size() {
            return values.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && Arrays.equals(values, v.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /**
     * The key as the checkpoint row keeps it ({@code snapshot_key}): a JSON array, one element per key
     * column, each in a form {@link #decode} turns back into the same Java value for the column's kind.
     */
    public static String encode(Value key) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < key.size(); i++) {
            Object v = key.get(i);
            if (v instanceof ByteBuffer b) {
                array.add(HexFormat.of().formatHex(b.array()));
            } else if (v instanceof Long l) {
                array.add(l);
            } else if (v instanceof Boolean b) {
                array.add(b);
            } else if (v instanceof BigDecimal d) {
                array.add(d.toPlainString());
            } else {
                array.add(String.valueOf(v)); // text, uniqueidentifier, java.time values (ISO-8601), floats
            }
        }
        return array.toString();
    }

    /** The key values {@link #encode} wrote, typed by the key columns' kinds in {@code columns}. */
    public Value decode(String text, Columns cols) {
        try {
            JsonNode array = JSON.readTree(text);
            if (array == null || !array.isArray() || array.size() != columns.size()) {
                throw new IllegalArgumentException("snapshot_key " + text + " does not hold " + columns.size() + " key values");
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                int index = indexOf(cols, columns.get(i));
                if (index < 0) {
                    throw new IllegalArgumentException("key column " + columns.get(i) + " is not read");
                }
                values[i] = parse(array.get(i), cols.type(index).kind());
            }
            return new Value(values);
        } catch (IOException e) {
            throw new IllegalArgumentException("snapshot_key " + text + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static Object parse(JsonNode node, ColumnType.Kind kind) {
        String s = node.asText();
        return switch (kind) {
            case INTEGER -> node.asLong();
            case BIT -> node.asBoolean();
            case EXACT_DECIMAL -> new BigDecimal(s);
            case FLOAT -> Double.parseDouble(s);
            case REAL -> Float.parseFloat(s);
            case DATE -> LocalDate.parse(s);
            case TIME -> LocalTime.parse(s);
            case DATETIME2, DATETIME, SMALLDATETIME -> LocalDateTime.parse(s);
            case DATETIMEOFFSET -> OffsetDateTime.parse(s);
            case TEXT, UNIQUEIDENTIFIER -> s;
            case BINARY -> ByteBuffer.wrap(HexFormat.of().parseHex(s));
            case GEOGRAPHY, GEOMETRY, OTHER -> throw new IllegalArgumentException("a " + kind + " key column cannot be paged by");
        };
    }

    /** True when a key column of this kind can be compared and bound as a parameter. */
    public static boolean pageable(ColumnType.Kind kind) {
        return switch (kind) {
            case GEOGRAPHY, GEOMETRY, OTHER -> false;
            default -> true;
        };
    }

    /** Binds key value {@code i} as the parameter at {@code index}. */
    static void bind(PreparedStatement ps, int index, Value key, int i) throws SQLException {
        Object v = key.get(i);
        if (v instanceof ByteBuffer b) {
            ps.setBytes(index, b.array());
        } else {
            ps.setObject(index, v);
        }
    }

    @Override
    public String toString() {
        return index + " " + columns;
    }
}
