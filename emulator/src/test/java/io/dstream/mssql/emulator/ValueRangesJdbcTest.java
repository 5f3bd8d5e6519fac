package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values at the edges, through the real Microsoft JDBC driver: what SQL Server refuses at insert is
 * refused at insert (never stored and then unreadable), and text travels as UTF-16 code units.
 */
@ExtendWith(EmulatorExtension.class)
class ValueRangesJdbcTest {

    @BeforeAll
    static void schema(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    IF OBJECT_ID(N'dbo.edges') IS NULL
                    CREATE TABLE dbo.edges (
                      id INT NOT NULL PRIMARY KEY,
                      dto DATETIMEOFFSET(7) NULL,
                      d2 DATETIME2(7) NULL,
                      dt DATETIME NULL,
                      sdt SMALLDATETIME NULL,
                      d DATE NULL,
                      txt NVARCHAR(50) NULL,
                      big NVARCHAR(MAX) NULL,
                      fixed NCHAR(4) NULL
                    )""");
        }
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Code units in hex, so that a failure shows what a lone surrogate became. */
    private static String units(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(u -> out.append(String.format("%04X ", u)));
        return out.toString().trim();
    }

    /** The code units of UTF-16LE bytes, in the form of {@link #units(String)}. */
    private static String units(byte[] utf16le) {
        StringBuilder units = new StringBuilder();
        for (int i = 0; i + 1 < utf16le.length; i += 2) {
            units.append((char) ((utf16le[i] & 0xFF) | (utf16le[i + 1] & 0xFF) << 8));
        }
        return units(units.toString());
    }

    private static void assertOutOfRange(Connection c, String sql, String type) {
        assertThatThrownBy(() -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(sql);
            }
        }).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as(sql).isEqualTo(242);
            assertThat(e.getMessage()).isEqualTo("The conversion of a varchar data type to a " + type
                    + " data type resulted in an out-of-range value.");
        });
    }

    @Test
    void datetimeoffsetWhoseUtcValueIsOutOfRangeIsRefusedAtInsertAndUpdate(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            assertOutOfRange(c, "INSERT INTO dbo.edges (id, dto) VALUES (1, '0001-01-01 00:00:00 +14:00')", "datetimeoffset");
            assertOutOfRange(c, "INSERT INTO dbo.edges (id, dto) VALUES (1, '9999-12-31 23:00:00 -02:00')", "datetimeoffset");
            s.executeUpdate("INSERT INTO dbo.edges (id, dto) VALUES (1, '0001-01-01 00:00:00 -14:00')");
            s.executeUpdate("INSERT INTO dbo.edges (id, dto) VALUES (2, '9999-12-31 23:59:59.9999999 +14:00')");
            assertOutOfRange(c, "UPDATE dbo.edges SET dto = '0001-01-01 13:59:00 +14:00' WHERE id = 1", "datetimeoffset");
            try (PreparedStatement ps = c.prepareStatement("UPDATE dbo.edges SET dto = ? WHERE id = 2")) {
                ps.setString(1, "0001-01-01 00:00:00 +00:01");
                assertThatThrownBy(ps::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(242));
            }
            assertThat(column(c, "SELECT dto FROM dbo.edges WHERE id IN (1, 2) ORDER BY id"))
                    .containsExactly("0001-01-01 00:00:00.0000000 -14:00", "9999-12-31 23:59:59.9999999 +14:00");
        }
    }

    @Test
    void otherDateTypesRefuseWhatTheyCannotHold(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            assertOutOfRange(c, "INSERT INTO dbo.edges (id, dt) VALUES (10, '1752-12-31')", "datetime");
            assertOutOfRange(c, "INSERT INTO dbo.edges (id, sdt) VALUES (10, '2079-06-07')", "smalldatetime");
            assertThat(column(c, "SELECT COUNT(*) FROM dbo.edges WHERE id = 10")).containsExactly("0");
        }
    }

    @Test
    void anAlteredColumnHasTheRangeOfItsNewType(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.altered (id INT NOT NULL PRIMARY KEY, v DATETIME2(7) NULL)");
            s.execute("ALTER TABLE dbo.altered ALTER COLUMN v DATETIMEOFFSET(7) NULL");
            assertOutOfRange(c, "INSERT INTO dbo.altered VALUES (1, '0001-01-01 00:00:00 +14:00')", "datetimeoffset");
            s.execute("ALTER TABLE dbo.altered ALTER COLUMN v NVARCHAR(40) NULL");
            s.executeUpdate("INSERT INTO dbo.altered VALUES (1, N'no longer a date')");
            assertThat(column(c, "SELECT v FROM dbo.altered")).containsExactly("no longer a date");
        }
    }

    @Test
    void variablesRefuseAnOutOfRangeDatetimeoffset(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("DECLARE @v DATETIMEOFFSET = '0001-01-01 00:00:00 +14:00'; SELECT @v"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(242));
        }
    }

    /**
     * mssql-jdbc writes a String unit by unit, but its getString decodes with a charset that turns a
     * lone surrogate into U+FFFD (against SQL Server too), so the exact units are read with getBytes,
     * which returns an nvarchar's UTF-16LE bytes as sent.
     */
    @Test
    void loneSurrogatesAndPairsRoundTripAsTheSameCodeUnits(Emulator emulator) throws SQLException {
        String[] values = {"a\uD800b", "x\uDC00", "\uDBFF", "\uD83D\uDE00!", "\uDE00\uD83D"};
        try (Connection c = emulator.connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.edges (id, txt, big, fixed) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < values.length; i++) {
                    ps.setInt(1, 100 + i);
                    ps.setString(2, values[i]);
                    ps.setString(3, values[i].repeat(3000));
                    ps.setString(4, values[i]);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT txt, big, fixed, LEN(txt), ?, CASE WHEN txt = ? THEN 1 ELSE 0 END FROM dbo.edges WHERE id = ?")) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(1, values[i]);
                    ps.setString(2, values[i]);
                    ps.setInt(3, 100 + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(units(rs.getBytes(1))).isEqualTo(units(values[i]));
                        assertThat(units(rs.getBytes(2))).isEqualTo(units(values[i].repeat(3000)));
                        assertThat(units(rs.getBytes(3))).isEqualTo(units((values[i] + "    ").substring(0, 4)));
                        assertThat(rs.getInt(4)).isEqualTo(values[i].length());
                        assertThat(units(rs.getBytes(5))).isEqualTo(units(values[i]));
                        assertThat(rs.getInt(6)).as("stored value equals the parameter").isEqualTo(1);
                    }
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT N'q\uD800r', SUBSTRING(txt, 3, 1) FROM dbo.edges WHERE id = 100")) {
                assertThat(rs.next()).isTrue();
                assertThat(units(rs.getBytes(1))).isEqualTo(units("q\uD800r"));
                assertThat(rs.getString(2)).isEqualTo("b");
            }
        }
    }
}
