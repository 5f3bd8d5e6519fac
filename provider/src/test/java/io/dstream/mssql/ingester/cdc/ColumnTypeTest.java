package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.cdc.ColumnType.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnTypeTest {

    @Test
    void theKindComesFromTheBaseTypeName() {
        assertThat(new ColumnType("int identity", 10, 0).kind()).isEqualTo(Kind.INTEGER);
        assertThat(new ColumnType("INT", 10, 0).name()).isEqualTo("int");
        assertThat(new ColumnType("decimal", 12, 2).kind()).isEqualTo(Kind.EXACT_DECIMAL);
        assertThat(new ColumnType("money", 19, 4).kind()).isEqualTo(Kind.EXACT_DECIMAL);
        assertThat(new ColumnType("real", 24, 0).kind()).isEqualTo(Kind.REAL);
        assertThat(new ColumnType("datetime2", 27, 7).kind()).isEqualTo(Kind.DATETIME2);
        assertThat(new ColumnType("timestamp", 8, 0).kind()).as("rowversion: binary(8)").isEqualTo(Kind.BINARY);
        assertThat(new ColumnType("xml", 0, 0).kind()).isEqualTo(Kind.TEXT);
        assertThat(new ColumnType("uniqueidentifier", 36, 0).kind()).isEqualTo(Kind.UNIQUEIDENTIFIER);
        assertThat(new ColumnType("geometry", 0, 0).kind()).isEqualTo(Kind.GEOMETRY);
    }

    @Test
    void anUnknownTypeIsOtherNeverAnError() {
        assertThat(new ColumnType("sql_variant", 0, 0).kind()).isEqualTo(Kind.OTHER);
        assertThat(new ColumnType("some_udt", 0, 0).kind()).isEqualTo(Kind.OTHER);
        assertThat(new ColumnType(null, 0, 0).kind()).isEqualTo(Kind.OTHER);
    }

    @Test
    void largeValueTypes() {
        assertThat(new ColumnType("nvarchar", 1073741823, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("varchar", Integer.MAX_VALUE, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("varbinary", Integer.MAX_VALUE, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("xml", 0, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("ntext", 0, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("image", 0, 0).isLargeValue()).isTrue();
        assertThat(new ColumnType("nvarchar", 4000, 0).isLargeValue()).isFalse();
        assertThat(new ColumnType("varchar", 8000, 0).isLargeValue()).isFalse();
        assertThat(new ColumnType("int", 10, 0).isLargeValue()).isFalse();
    }

    @Test
    void equalByNamePrecisionAndScale() {
        assertThat(new ColumnType("int identity", 10, 0)).isEqualTo(new ColumnType("int", 10, 0))
                .hasSameHashCodeAs(new ColumnType("int", 10, 0));
        assertThat(new ColumnType("decimal", 12, 2)).isNotEqualTo(new ColumnType("decimal", 12, 3));
    }
}
