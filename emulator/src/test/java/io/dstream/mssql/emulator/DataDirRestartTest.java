package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataDir}: an emulator stopped and started again on the same directory has the same
 * databases, tables, types, object ids and CDC state, and its new LSNs are above the old ones —
 * all seen through the Microsoft JDBC driver.
 */
class DataDirRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALL_CHANGES = "SELECT __$start_lsn, __$seqval, __$operation, __$update_mask, id, name, "
            + "amount, placed FROM cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all')";
    private static final String NET_CHANGES = "SELECT __$operation, id, name FROM "
            + "cdc.fn_cdc_get_net_changes_dbo_orders(?, ?, N'all') ORDER BY id";

    @TempDir
    Path dataDir;

    private Emulator start() {
        return Emulator.builder().database("shop").dataDir(dataDir).captureLatency(Duration.ZERO).start();
    }

    @Test
    void databasesTablesAndCdcStateSurviveARestart() throws SQLException {
        Saved before;
        try (Emulator emulator = start(); Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.orders (id INT NOT NULL CONSTRAINT pk_orders PRIMARY KEY, name NVARCHAR(40) NULL, "
                    + "amount MONEY NULL, placed DATETIMEOFFSET(3) NULL)");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', "
                    + "@role_name = NULL, @supports_net_changes = 1");
            s.execute("INSERT INTO dbo.orders VALUES (1, N'first', 10.5, '2024-05-01 10:00:00 +02:00')");
            assertThat(emulator.awaitCaptured(WAIT)).isTrue();
            byte[] firstCommit = bytes(c, "SELECT sys.fn_cdc_get_max_lsn()");
            s.execute("INSERT INTO dbo.orders VALUES (2, N'second', 20, NULL)");
            s.execute("UPDATE dbo.orders SET name = N'first, renamed' WHERE id = 1");
            assertThat(emulator.awaitCaptured(WAIT)).isTrue();
            // cleanup raises the instance's minimum LSN past the first transaction
            emulator.purgeBelow(increment(c, firstCommit));
            emulator.pauseCapture();
            s.execute("INSERT INTO dbo.orders VALUES (3, N'committed, capture paused', 30, NULL)");
            before = Saved.read(c);
        }
        assertThat(before.changes).hasSize(2);

        try (Emulator emulator = start(); Connection c = emulator.connect(); Statement s = c.createStatement()) {
            Saved after = Saved.read(c);
            assertThat(after.rows).isEqualTo(before.rows);
            assertThat(after.types).containsExactly("int", "nvarchar", "money", "datetimeoffset");
            assertThat(after.types).isEqualTo(before.types);
            assertThat(after.ids).isEqualTo(before.ids);
            assertThat(after.minLsn).isEqualTo(before.minLsn);
            // the change committed while capture was paused was captured at close
            assertThat(after.maxLsn).isGreaterThan(before.maxLsn);
            assertThat(after.changes.subList(0, 2)).isEqualTo(before.changes);
            assertThat(after.changes).hasSize(3);

            s.execute("INSERT INTO dbo.orders VALUES (4, N'after the restart', 40, NULL)");
            s.execute("DELETE FROM dbo.orders WHERE id = 2");
            assertThat(emulator.awaitCaptured(WAIT)).isTrue();
            String newMax = hex(bytes(c, "SELECT sys.fn_cdc_get_max_lsn()"));
            assertThat(newMax).isGreaterThan(after.maxLsn);
            List<String> changes = changes(c, after.minLsn, newMax, ALL_CHANGES);
            assertThat(changes.subList(0, 3)).isEqualTo(after.changes);
            assertThat(changes).hasSize(5);
            for (String change : changes.subList(3, 5)) {
                assertThat(change.substring(0, 20)).as("new start_lsn of %s", change).isGreaterThan(after.maxLsn);
            }
            assertThat(changes(c, after.minLsn, newMax, NET_CHANGES))
                    .containsExactly("4|1|first, renamed", "2|3|committed, capture paused", "2|4|after the restart");
        }
    }

    /**
     * A kill leaves committed row images that were never captured: their commit LSNs were in memory
     * only. The copy H2's BACKUP takes of a running emulator's database is what a kill leaves.
     */
    @Test
    void changesNotCapturedBeforeAKillAreDiscardedAndLaterOnesCapturedAlone(@TempDir Path killed) throws Exception {
        try (Emulator emulator = start(); Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.orders (id INT NOT NULL PRIMARY KEY, name NVARCHAR(40) NULL, amount MONEY NULL, "
                    + "placed DATETIMEOFFSET(3) NULL)");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', "
                    + "@role_name = NULL, @supports_net_changes = 1");
            emulator.pauseCapture();
            for (int id = 1; id <= 3; id++) {
                s.execute("INSERT INTO dbo.orders (id, name) VALUES (" + id + ", N'committed, not captured')");
            }
            try (Connection h2 = emulator.engine().findDatabase("shop").newConnection(); Statement backup = h2.createStatement()) {
                backup.execute("BACKUP TO '" + killed.resolve("shop.zip") + "'");
            }
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(killed.resolve("shop.zip")))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Files.copy(zip, killed.resolve(entry.getName()));
            }
        }
        try (Emulator emulator = Emulator.builder().database("shop").dataDir(killed).captureLatency(Duration.ZERO).start();
             Connection c = emulator.connect(); Statement s = c.createStatement()) {
            assertThat(text(c, "SELECT COUNT(*) FROM dbo.orders")).isEqualTo("3");
            s.execute("INSERT INTO dbo.orders (id, name) VALUES (4, N'after the kill')");
            s.execute("UPDATE dbo.orders SET name = N'updated after the kill' WHERE id = 1");
            assertThat(emulator.awaitCaptured(WAIT)).isTrue();
            String min = hex(bytes(c, "SELECT sys.fn_cdc_get_min_lsn('dbo_orders')"));
            String max = hex(bytes(c, "SELECT sys.fn_cdc_get_max_lsn()"));
            assertThat(changes(c, min, max, "SELECT __$operation, id, name FROM "
                    + "cdc.fn_cdc_get_all_changes_dbo_orders(?, ?, N'all')"))
                    .containsExactly("2|4|after the kill", "4|1|updated after the kill");
        }
    }

    @Test
    void oneEmulatorAtATimePerDirectory() {
        try (Emulator first = start()) {
            assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another emulator");
        }
        start().close();
    }

    /** What a client sees of the database, to compare across the restart. */
    private record Saved(List<String> rows, List<String> types, List<String> ids, String minLsn, String maxLsn,
                         List<String> changes) {

        static Saved read(Connection c) throws SQLException {
            List<String> rows = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM dbo.orders ORDER BY id")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    types.add(md.getColumnTypeName(i));
                }
                while (rs.next()) {
                    rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3) + "|" + rs.getString(4));
                }
            }
            List<String> ids = List.of(text(c, "SELECT OBJECT_ID('dbo.orders')"), text(c, "SELECT DB_ID()"),
                    text(c, "SELECT OBJECT_ID('cdc.dbo_orders_CT')"),
                    text(c, "SELECT COUNT(*) FROM cdc.change_tables WHERE source_object_id = OBJECT_ID('dbo.orders')"),
                    text(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE name = 'orders'"),
                    text(c, "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()"),
                    text(c, "SELECT database_guid FROM sys.database_recovery_status WHERE database_id = DB_ID()"));
            String min = hex(bytes(c, "SELECT sys.fn_cdc_get_min_lsn('dbo_orders')"));
            String max = hex(bytes(c, "SELECT sys.fn_cdc_get_max_lsn()"));
            return new Saved(rows, types, ids, min, max, DataDirRestartTest.changes(c, min, max, ALL_CHANGES));
        }
    }

    private static List<String> changes(Connection c, String fromLsn, String toLsn, String sql) throws SQLException {
        List<String> changes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBytes(1, HexFormat.of().parseHex(fromLsn));
            ps.setBytes(2, HexFormat.of().parseHex(toLsn));
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        Object v = rs.getObject(i);
                        values.add(v instanceof byte[] b ? hex(b) : v == null ? "" : v.toString());
                    }
                    changes.add(String.join("|", values));
                }
            }
        }
        return changes;
    }

    private static byte[] increment(Connection c, byte[] lsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sys.fn_cdc_increment_lsn(?)")) {
            ps.setBytes(1, lsn);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static byte[] bytes(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getBytes(1);
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static String hex(byte[] b) {
        return b == null ? null : HexFormat.of().formatHex(b);
    }
}
