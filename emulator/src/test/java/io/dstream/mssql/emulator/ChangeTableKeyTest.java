package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The change table's clustered key {@code (__$start_lsn, __$command_id, __$seqval, __$operation)}: unique,
 * and what a reader's keyset page seeks and orders by.
 *
 * <p>The page is shaped as a CDC reader sends it: {@code TOP (n)} rows strictly after a position in the
 * key, bounded below by the position's LSN and above by a maximum LSN, the commit time joined from
 * {@code cdc.lsn_time_mapping}, ordered by the key. On SQL Server that is a seek on the clustered index
 * that reads n rows in key order and stops. Here it goes through the emulator's T-SQL translation over
 * TDS; the plan H2 ran it with is read back with {@code EXPLAIN ANALYZE} on the H2 statement the
 * translation produced (H2's query statistics name it): which index, whether rows come in index order
 * (no sort), and how many change rows were read.
 */
@ExtendWith(EmulatorExtension.class)
class ChangeTableKeyTest {

    private static final int TRANSACTIONS = 40;
    private static final int ROWS_PER_TRANSACTION = 250;
    private static final int PAGE = 100;

    private static final String TABLE = "CREATE TABLE dbo.paged (id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL)";
    private static final String ENABLE = "EXEC sys.sp_cdc_enable_db; "
            + "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'paged', @role_name = NULL";
    private static final String INSERT = "INSERT INTO dbo.paged (id, name) VALUES (?, ?)";
    private static final String KEYS = "SELECT __$start_lsn, __$command_id, __$seqval, __$operation FROM cdc.dbo_paged_CT "
            + "ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation";

    /** The page: parameters are the limit, the maximum LSN, then the position (lsn, lsn, lsn, command, command, seqval, seqval, op). */
    private static final String PAGE_QUERY = "SELECT TOP (?) ct.[__$start_lsn], ct.[__$command_id], ct.[__$seqval], "
            + "ct.[__$operation], ct.[__$update_mask], m.[tran_end_time], ct.[id], ct.[name] "
            + "FROM [cdc].[dbo_paged_CT] AS ct LEFT JOIN [cdc].[lsn_time_mapping] AS m ON m.[start_lsn] = ct.[__$start_lsn] "
            + "WHERE ct.[__$start_lsn] <= ? AND ct.[__$start_lsn] >= ? AND (ct.[__$start_lsn] > ? OR (ct.[__$start_lsn] = ? "
            + "AND (ct.[__$command_id] > ? OR (ct.[__$command_id] = ? AND (ct.[__$seqval] > ? OR "
            + "(ct.[__$seqval] = ? AND ct.[__$operation] > ?)))))) "
            + "ORDER BY ct.[__$start_lsn], ct.[__$command_id], ct.[__$seqval], ct.[__$operation]";

    private static final String DUPLICATE_ROW = "INSERT INTO cdc.dbo_paged_CT (__$start_lsn, __$seqval, __$operation, "
            + "__$update_mask, id, name, __$command_id) SELECT TOP (1) __$start_lsn, __$seqval, __$operation, __$update_mask, "
            + "id, name, __$command_id FROM cdc.dbo_paged_CT";

    /** H2's own record of the statements it ran (database-wide once switched on). */
    private static final String TRANSLATED = "SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS "
            + "WHERE SQL_STATEMENT LIKE 'SELECT TOP%dbo_paged_CT%lsn_time_mapping%'";

    /** The change table's access in H2's plan: the index and its conditions, then the rows it read. */
    private static final Pattern CHANGE_TABLE_ACCESS = Pattern.compile(
            "FROM \"cdc\"\\.\"dbo_paged_CT\" \"ct\"\\s+/\\* ([^:]+): ([^*]*)\\*/.*?/\\* scanCount: (\\d+) \\*/", Pattern.DOTALL);

    private static final byte[] MAX_LSN = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

    /** A position in the change table's key. */
    private record Key(byte[] startLsn, int commandId, byte[] seqval, int operation) {
        static final Key BEFORE_ALL = new Key(new byte[10], 0, new byte[10], 0);
    }

    private static List<Key> keys;

    @BeforeAll
    static void changeTable(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute(TABLE);
            s.execute(ENABLE);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int t = 0; t < TRANSACTIONS; t++) {
                    for (int r = 0; r < ROWS_PER_TRANSACTION; r++) {
                        int id = t * ROWS_PER_TRANSACTION + r;
                        ps.setInt(1, id);
                        ps.setString(2, "row " + id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        assertThat(emulator.awaitCaptured(Duration.ofSeconds(60))).as("captured").isTrue();
        keys = new ArrayList<>();
        try (Connection c = emulator.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(KEYS)) {
            while (rs.next()) {
                keys.add(new Key(rs.getBytes(1), rs.getInt(2), rs.getBytes(3), rs.getInt(4)));
            }
        }
        assertThat(keys).hasSize(TRANSACTIONS * ROWS_PER_TRANSACTION);
        try (Connection h2 = emulator.engine().database(emulator.database()).newConnection();
             Statement s = h2.createStatement()) {
            s.execute("SET QUERY_STATISTICS TRUE");
        }
    }

    @Test
    void aSecondRowWithTheSameKeyIsRefusedWith2601(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(DUPLICATE_ROW)).isInstanceOfSatisfying(SQLException.class,
                    e -> {
                        assertThat(e.getErrorCode()).isEqualTo(2601);
                        assertThat(e.getMessage()).startsWith("Cannot insert duplicate key row in object "
                                + "'cdc.dbo_paged_CT' with unique index 'dbo_paged_CT_clustered_idx'.");
                    });
            assertThat(count(s)).isEqualTo(keys.size());
        }
    }

    @Test
    void firstPageIsAnIndexRangeReadInKeyOrder(Emulator emulator) throws SQLException {
        assertIndexRangeRead(emulator, Key.BEFORE_ALL, keys.get(0));
    }

    @Test
    void pageNearTheEndIsASeekNotAScanFromTheStart(Emulator emulator) throws SQLException {
        // Inside a transaction, as a page boundary usually is: the seek starts at the transaction's LSN.
        int at = keys.size() - ROWS_PER_TRANSACTION - ROWS_PER_TRANSACTION / 2;
        assertIndexRangeRead(emulator, keys.get(at), keys.get(at + 1));
    }

    /** Runs the page after {@code after} through TDS, checks its first row, then checks H2's plan for it. */
    private static void assertIndexRangeRead(Emulator emulator, Key after, Key first) throws SQLException {
        try (Connection c = emulator.connect(); PreparedStatement ps = c.prepareStatement(PAGE_QUERY)) {
            bind(ps, after);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(first.startLsn());
                assertThat(rs.getInt(2)).isEqualTo(first.commandId());
                assertThat(rs.getBytes(3)).isEqualTo(first.seqval());
                assertThat(rs.getInt(4)).isEqualTo(first.operation());
                int rows = 1;
                while (rs.next()) {
                    rows++;
                }
                assertThat(rows).isEqualTo(PAGE);
            }
        }
        String plan = plan(emulator, after);
        Matcher access = CHANGE_TABLE_ACCESS.matcher(plan);
        assertThat(access.find()).as("change table access in %s", plan).isTrue();
        assertThat(access.group(1)).as("index in %s", plan).isEqualTo("cdc.dbo_paged_CT_clustered_idx");
        assertThat(access.group(2)).as("seek conditions in %s", plan)
                .contains("\"__$start_lsn\" <=").contains("\"__$start_lsn\" >=");
        assertThat(plan).as("rows come in index order, no sort: %s", plan).contains("/* index sorted */");
        // A seek reads the page, the position's transaction before the position, and one row to see the page end.
        assertThat(Integer.parseInt(access.group(3))).as("change rows read in %s", plan)
                .isLessThanOrEqualTo(PAGE + ROWS_PER_TRANSACTION + 1);
    }

    private static String plan(Emulator emulator, Key after) throws SQLException {
        try (Connection h2 = emulator.engine().database(emulator.database()).newConnection()) {
            List<String> translated = new ArrayList<>();
            try (Statement s = h2.createStatement(); ResultSet rs = s.executeQuery(TRANSLATED)) {
                while (rs.next()) {
                    translated.add(rs.getString(1));
                }
            }
            assertThat(translated).as("the page as H2 ran it").hasSize(1);
            try (PreparedStatement ps = h2.prepareStatement("EXPLAIN ANALYZE " + translated.get(0))) {
                bind(ps, after);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getString(1);
                }
            }
        }
    }

    private static int count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cdc.dbo_paged_CT")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static void bind(PreparedStatement ps, Key after) throws SQLException {
        int p = 1;
        ps.setInt(p++, PAGE);
        ps.setBytes(p++, MAX_LSN);
        ps.setBytes(p++, after.startLsn());
        ps.setBytes(p++, after.startLsn());
        ps.setBytes(p++, after.startLsn());
        ps.setInt(p++, after.commandId());
        ps.setInt(p++, after.commandId());
        ps.setBytes(p++, after.seqval());
        ps.setBytes(p++, after.seqval());
        ps.setInt(p, after.operation());
    }
}
