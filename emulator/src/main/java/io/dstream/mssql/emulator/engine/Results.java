package io.dstream.mssql.emulator.engine;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Sends an H2 result set to a {@link ResultSink}, typed as SQL Server types it. */
final class Results {

    /** Thrown when the client cancelled (ATTENTION) while rows were being sent. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super(null, null, false, false);
        }
    }

    private Results() {
    }

    /** Streams all rows; returns how many were sent. */
    static long stream(ResultSet rs, ResultSink sink, H2Database db, BooleanSupplier cancelled) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            columns.add(new Column(md.getColumnLabel(i), type(md, i, db), md.isNullable(i) != ResultSetMetaData.columnNoNulls));
        }
        sink.columns(columns);
        long rows = 0;
        while (rs.next()) {
            if (cancelled.getAsBoolean()) {
                throw new Interrupted();
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = Values.read(rs, i + 1, columns.get(i).type());
            }
            sink.row(values);
            rows++;
        }
        return rows;
    }

    /**
     * The declared SQL Server type of a result column that comes straight from a table or a
     * declared table-valued function; otherwise a mapping of H2's type.
     */
    static SqlType type(ResultSetMetaData md, int i, H2Database db) throws SQLException {
        String table = md.getTableName(i);
        String column = md.getColumnName(i);
        if (table != null && !table.isEmpty()) {
            SqlType declared = db.declaredType(md.getSchemaName(i), table, column);
            if (declared == null) {
                declared = db.functionColumnType(table, column);
            }
            if (declared != null) {
                return declared;
            }
        }
        return SqlTypes.fromH2(md, i);
    }
}
