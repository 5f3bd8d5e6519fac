package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.SqlType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code cdc.ddl_history} rows for a change of a tracked table's columns: one row per capture instance
 * of the table, at the DDL's log position. The emulator sees the table's shape, not the statement, so
 * {@code ddl_command} is reconstructed ({@code ALTER TABLE [dbo].[t] ADD [c] nvarchar(10)}).
 */
final class DdlHistory {

    static final String INSERT = "INSERT INTO " + q(CDC, Metadata.DDL_HISTORY) + " (\"source_object_id\", "
            + "\"object_id\", \"required_column_update\", \"ddl_command\", \"ddl_lsn\", \"ddl_time\") "
            + "VALUES (?, ?, ?, ?, ?, ?)";

    private DdlHistory() {
    }

    /** The reconstructed statement, or null when the shapes differ in no column (e.g. a key change only). */
    static String command(String schema, String table, List<String> before, List<String> after,
                          List<Column> declared) {
        Map<String, String> old = byName(before);
        Map<String, String> now = byName(after);
        List<String> added = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        now.forEach((name, type) -> {
            if (!old.containsKey(name)) {
                added.add(name);
            } else if (!old.get(name).equals(type)) {
                altered.add(name);
            }
        });
        old.keySet().stream().filter(n -> !now.containsKey(n)).forEach(dropped::add);
        String target = "ALTER TABLE " + Names.bracket(schema) + "." + Names.bracket(table);
        if (!added.isEmpty()) {
            return target + " ADD " + added.stream().map(n -> Names.bracket(n) + " " + typeOf(n, now, declared))
                    .collect(Collectors.joining(", "));
        }
        if (!dropped.isEmpty()) {
            return target + " DROP COLUMN " + dropped.stream().map(Names::bracket).collect(Collectors.joining(", "));
        }
        if (!altered.isEmpty()) {
            return target + " ALTER COLUMN " + Names.bracket(altered.get(0)) + " " + typeOf(altered.get(0), now,
                    declared);
        }
        return null;
    }

    static void write(Connection connection, CaptureInstance ci, boolean requiredColumnUpdate, String command,
                      Lsn lsn, LocalDateTime time) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            ps.setInt(1, ci.sourceObjectId());
            ps.setInt(2, ci.objectId());
            ps.setBoolean(3, requiredColumnUpdate);
            ps.setString(4, command);
            ps.setBytes(5, lsn.toBytes());
            ps.setTimestamp(6, Timestamp.valueOf(SqlDateTime.round(time)));
            ps.executeUpdate();
        }
    }

    /** Columns present before and after whose type changed: name → new "type\0length\0precision\0scale". */
    static Map<String, String> alteredTypes(List<String> before, List<String> after) {
        Map<String, String> old = byName(before);
        Map<String, String> altered = new LinkedHashMap<>();
        byName(after).forEach((name, type) -> {
            if (old.containsKey(name) && !old.get(name).equals(type)) {
                altered.put(name, type);
            }
        });
        return altered;
    }

    /** The SQL Server type of an H2 column shape, when the engine declared none. */
    static SqlType sqlType(String shape) {
        String[] t = shape.split("\0", -1);
        return H2Types.toSqlType(t[0], Long.parseLong(t[1]), Integer.parseInt(t[2]), Integer.parseInt(t[3]));
    }

    /** The H2 type literal of a column shape, for ALTER COLUMN ... SET DATA TYPE. */
    static String h2Type(String shape) {
        String[] t = shape.split("\0", -1);
        String name = t[0];
        long length = Long.parseLong(t[1]);
        int precision = Integer.parseInt(t[2]);
        int scale = Integer.parseInt(t[3]);
        return switch (name) {
            case "CHARACTER VARYING", "CHARACTER", "BINARY VARYING", "BINARY", "VARCHAR_IGNORECASE" ->
                    name + "(" + length + ")";
            case "NUMERIC", "DECIMAL" -> name + "(" + precision + ", " + scale + ")";
            case "TIME", "TIMESTAMP" -> name + "(" + scale + ")";
            case "TIME WITH TIME ZONE" -> "TIME(" + scale + ") WITH TIME ZONE";
            case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP(" + scale + ") WITH TIME ZONE";
            default -> name;
        };
    }

    private static String typeOf(String name, Map<String, String> shape, List<Column> declared) {
        return declared.stream().filter(c -> c.name().equals(name)).findFirst()
                .map(c -> c.type().sqlName()).orElseGet(() -> sqlType(shape.get(name)).sqlName());
    }

    private static Map<String, String> byName(List<String> shape) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : shape) {
            int cut = s.indexOf('\0');
            m.put(s.substring(0, cut), s.substring(cut + 1));
        }
        return m;
    }
}
