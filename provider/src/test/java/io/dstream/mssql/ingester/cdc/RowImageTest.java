package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CapturedColumn;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowImageTest {

    private static final Columns COLUMNS = new Columns(
            List.of(new CapturedColumn("id", 1), new CapturedColumn("doc", 2), new CapturedColumn("bin", 3)),
            List.of(new ColumnType("int", 10, 0), new ColumnType("nvarchar", 1073741823, 0), new ColumnType("varbinary", 10, 0)));

    @Test
    void holdsOneValuePerColumnAndKeepsItsOwnCopy() {
        Object[] values = {1L, "a", new byte[] {(byte) 0xAB}};
        RowImage image = RowImage.of(COLUMNS, values);
        values[1] = "changed";

        assertThat(image.value("doc")).isEqualTo("a");
        assertThat(image.value(0)).isEqualTo(1L);
        assertThat(image.columns()).isSameAs(COLUMNS);
        assertThat(image).hasToString("{id=1, doc=a, bin=0xab}");
    }

    @Test
    void aColumnLeftOutIsNotNull() {
        RowImage image = RowImage.of(COLUMNS, 1L, null, null);
        BitSet doc = new BitSet();
        doc.set(1);

        RowImage without = image.without(doc);

        assertThat(without.has(1)).isFalse();
        assertThat(without.presentColumns()).containsExactly("id", "bin");
        assertThat(without.value("bin")).isNull();
        assertThatThrownBy(() -> without.value("doc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("doc");
        assertThat(image.has(1)).as("the original is unchanged").isTrue();
        assertThat(image.without(new BitSet())).isSameAs(image);
    }

    @Test
    void oneValuePerColumn() {
        assertThatThrownBy(() -> RowImage.of(COLUMNS, 1L, "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 values for 3 columns");
    }
}
