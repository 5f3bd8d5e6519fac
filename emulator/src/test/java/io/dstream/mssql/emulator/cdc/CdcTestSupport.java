package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.mssql.emulator.engine.SqlError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A CDC feature installed on a fresh {@link TestDatabase}, with query helpers. */
abstract class CdcTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    TestDatabase db;
    CdcFeature cdc;

    @BeforeEach
    void setUpDatabase() throws SQLException {
        db = new TestDatabase();
        cdc = new CdcFeature(Duration.ZERO);
        cdc.install(db);
    }

    @AfterEach
    void tearDownDatabase() throws SQLException {
        cdc.close();
        db.close();
    }

    void enableDb() throws SQLException {
        db.call("sys.sp_cdc_enable_db");
    }

    void enableTable(String schema, String table, Object... more) throws SQLException {
        Object[] args = new Object[6 + more.length];
        args[0] = "source_schema";
        args[1] = schema;
        args[2] = "source_name";
        args[3] = table;
        args[4] = "role_name";
        args[5] = null;
        System.arraycopy(more, 0, args, 6, more.length);
        db.call("sys.sp_cdc_enable_table", args);
    }

    /** Runs statements in one transaction and commits it. */
    void transaction(String... statements) throws SQLException {
        try (Connection c = db.session()) {
            for (String sql : statements) {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
            }
            db.commit(c);
        }
    }

    void captured() {
        assertThat(cdc.awaitCaptured(WAIT)).as("capture finished").isTrue();
    }

    Lsn maxLsn() throws SQLException {
        byte[] b = (byte[]) query("SELECT sys.fn_cdc_get_max_lsn()").get(0)[0];
        return b == null ? null : Lsn.fromBytes(b);
    }

    Lsn minLsn(String instance) throws SQLException {
        return Lsn.fromBytes((byte[]) query("SELECT sys.fn_cdc_get_min_lsn(?)", instance).get(0)[0]);
    }

    List<Object[]> allChanges(String instance, Lsn from, Lsn to, String option) throws SQLException {
        return query("SELECT * FROM cdc.\"fn_cdc_get_all_changes_" + instance.replace("\"", "\"\"")
                + "\"(?, ?, ?)", from == null ? null : from.toBytes(), to == null ? null : to.toBytes(), option);
    }

    List<Object[]> query(String sql, Object... params) throws SQLException {
        try (Connection c = db.newConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Object[]> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] r = new Object[n];
                    for (int i = 0; i < n; i++) {
                        r[i] = rs.getObject(i + 1);
                    }
                    out.add(r);
                }
                return out;
            }
        }
    }

    static SqlError sqlError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqlError s) {
                return s;
            }
        }
        throw new AssertionError("no SqlError in " + e, e);
    }

    static int errorNumber(Throwable e) {
        return sqlError(e).number();
    }
}
