package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer's copy of a table (key → column {@code v}) built by applying every {@code envelope} line in
 * order — snapshot rows and inserts as upserts, an update moving its row from the before key, deletes —
 * and the table itself, read the same way, to compare them; and a random workload of inserts, updates,
 * deletes and key updates on such a table.
 */
final class Replica {

    private Replica() {
    }

    /** The table as a consumer applying the lines holds it; a composite key is its values joined by '|'. */
    static Map<Object, Integer> applied(List<String> lines, String table, String... key) {
        TreeMap<Object, Integer> state = new TreeMap<>();
        for (JsonNode c : Changes.envelopeChanges(lines, table)) {
            String type = c.path("change_type").asText();
            Object k = key(c.path("data"), key);
            if (type.equals("delete")) {
                state.remove(k);
                continue;
            }
            if (type.equals("update")) {
                state.remove(key(c.path("before"), key));
            }
            state.put(k, c.path("data").path("v").isNull() ? null : c.path("data").path("v").asInt());
        }
        return state;
    }

    private static Object key(JsonNode data, String... key) {
        if (key.length == 1) {
            return data.path(key[0]).asInt();
        }
        StringBuilder sb = new StringBuilder();
        for (String k : key) {
            sb.append(data.path(k).asText()).append('|');
        }
        return sb.toString();
    }

    /** The table's rows, keyed as {@link #applied} keys them. */
    static Map<Object, Integer> rows(Db db, String table, String... key) {
        TreeMap<Object, Integer> rows = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            while (rs.next()) {
                Object k;
                if (key.length == 1) {
                    k = rs.getInt(key[0]);
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (String name : key) {
                        sb.append(rs.getString(name)).append('|');
                    }
                    k = sb.toString();
                }
                int v = rs.getInt("v");
                rows.put(k, rs.wasNull() ? null : v);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /**
     * Until {@code writing} is cleared: on {@code table (id INT PRIMARY KEY, v INT)} whose ids are multiples of
     * 10 up to {@code 10 * rows}, inserts of new ids, updates, deletes and key updates of random rows.
     */
    static void randomWrites(Db db, String table, int rows, AtomicBoolean writing, Random random) {
        int nextId = 10 * rows + 1;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (writing.get()) {
                int id = (1 + random.nextInt(rows)) * 10;
                switch (random.nextInt(4)) {
                    case 0 -> s.executeUpdate("INSERT INTO " + table + " VALUES (" + nextId + ", " + nextId++ + ")");
                    case 1 -> s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = " + id);
                    case 2 -> s.executeUpdate("DELETE FROM " + table + " WHERE id = " + id);
                    default -> s.executeUpdate("UPDATE " + table + " SET id = " + (nextId++) + " WHERE id = " + id);
                }
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates {@code table (id INT PRIMARY KEY, v INT)} holding ids 10, 20, .. {@code 10 * rows} (v = id), before CDC. */
    static void fill(Db db, String table, int rows) {
        db.exec("CREATE TABLE " + table + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int from = 1; from <= rows; from += 1000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
                for (int i = from; i < from + 1000 && i <= rows; i++) {
                    sql.append(i == from ? "" : ", ").append("(").append(i * 10).append(", ").append(i * 10).append(")");
                }
                s.executeUpdate(sql.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
