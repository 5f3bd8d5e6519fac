package io.dstream.mssql.ingester.cdc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One image of a row (after a change, or an update's before image): a value per captured column, each
 * the Java value its {@link ColumnType.Kind} names, read once from the result set and never converted
 * until {@code output} writes it. A column whose value CDC did not record is left out of the image
 * (not null). Immutable.
 */
public final class RowImage {

    /** No column left out: shared, since no image ever modifies its set. */
    private static final BitSet ALL_PRESENT = new BitSet();
    /** The before image of an update whose op 3 row is missing: no column. */
    static final RowImage EMPTY = new RowImage(Columns.NONE, new Object[0], ALL_PRESENT);

    private final Columns columns;
    private final Object[] values;
    /** Indexes of the columns left out; never modified once the image is built. */
    private final BitSet leftOut;

    private RowImage(Columns columns, Object[] values, BitSet leftOut) {
        this.columns = columns;
        this.values = values;
        this.leftOut = leftOut;
    }

    /** An image holding {@code values} (owned by it from now on), one per column in column order. */
    static RowImage wrap(Columns columns, Object[] values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        return new RowImage(columns, values, ALL_PRESENT);
    }

    /** An image of these values, one per column in column order: each of its kind's Java type, or null. */
    public static RowImage of(Columns columns, Object... values) {
        return wrap(columns, values.clone());
    }

    public Columns columns() {
        return columns;
    }

    /** False for a column left out of this image: CDC did not record its value. */
    public boolean has(int index) {
        return !leftOut.get(index);
    }

    /** The value of column {@code index}; null for SQL NULL (and for a column left out: see {@link #has}). */
    public Object value(int index) {
        return values[index];
    }

    /** The value of the named column; null for SQL NULL. */
    public Object value(String column) {
        int index = columns.indexOf(column);
        if (index < 0 || !has(index)) {
            throw new IllegalArgumentException("no column " + column + " in this image: " + presentColumns());
        }
        return values[index];
    }

    /** The names of the columns in this image, in column order. */
    public List<String> presentColumns() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (has(i)) {
                names.add(columns.name(i));
            }
        }
        return names;
    }

    /** This image without the columns at these indexes. */
    RowImage without(BitSet indexes) {
        if (indexes.isEmpty()) {
            return this;
        }
        BitSet union = (BitSet) leftOut.clone();
        union.or(indexes);
        return new RowImage(columns, values, union);
    }

    /** {@code {id=1, name=Ann}}: for logs and test failures; byte[] as 0x and its hex digits. */
    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < values.length; i++) {
            if (has(i)) {
                Object v = values[i];
                s.add(columns.name(i) + "=" + (v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : Objects.toString(v)));
            }
        }
        return s.toString();
    }
}
