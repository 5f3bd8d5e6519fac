package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CapturedColumn;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The captured columns of a capture instance as one change query returns them: name, update-mask
 * ordinal and type, in ordinal order. Every {@link RowImage} of a page shares one, so a row carries its
 * values only.
 */
public final class Columns {

    /** No columns: the image of an update whose before image is missing. */
    static final Columns NONE = new Columns(List.of(), List.of());

    private final String[] names;
    private final int[] ordinals;
    private final ColumnType[] types;

    /** @param types the type of each captured column, in the same order */
    public Columns(List<CapturedColumn> captured, List<ColumnType> types) {
        if (captured.size() != types.size()) {
            throw new IllegalArgumentException(captured.size() + " captured columns but " + types.size() + " types");
        }
        this.names = captured.stream().map(CapturedColumn::name).toArray(String[]::new);
        this.ordinals = captured.stream().mapToInt(CapturedColumn::ordinal).toArray();
        this.types = types.toArray(ColumnType[]::new);
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    /** The column's 1-based bit in {@code __$update_mask}. */
    public int ordinal(int index) {
        return ordinals[index];
    }

    public ColumnType type(int index) {
        return types[index];
    }

    /** The index of the column of this name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Fetches each column of the current row once, by its type's kind, from result column {@code first} on.
     *
     * @return one value per column, in column order; null for SQL NULL
     */
    Object[] read(ResultSet rs, int first) throws SQLException {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = types[i].kind().fetch(rs, first + i);
        }
        return values;
    }
}
