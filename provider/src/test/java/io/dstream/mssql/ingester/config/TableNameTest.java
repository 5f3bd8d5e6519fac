package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "customers|dbo|customers",
            "sales.orders|sales|orders",
            "[sales].[orders]|sales|orders",
            "[my schema].[odd]]name]|my schema|odd]name",
            "[a.b].c|a.b|c",
            "dbo.[order lines]|dbo|order lines",
            "  dbo.t  |dbo|t",
            "[日本].[表]|日本|表"})
    void parsesSchemaAndTable(String text, String schema, String table) {
        TableName name = TableName.parse(text);

        assertThat(name.schema()).isEqualTo(schema);
        assertThat(name.table()).isEqualTo(table);
    }

    @Test
    void quotesForTsqlAndPrintsPlain() {
        TableName name = TableName.parse("[my schema].[odd]]name]");

        assertThat(name.quoted()).isEqualTo("[my schema].[odd]]name]");
        assertThat(name).hasToString("my schema.odd]name");
        assertThat(TableName.parse("customers").quoted()).isEqualTo("[dbo].[customers]");
    }

    @Test
    void rejectsMalformedNames() {
        assertThatThrownBy(() -> TableName.parse("db.dbo.t")).hasMessageContaining("3 parts");
        assertThatThrownBy(() -> TableName.parse("dbo.")).hasMessageContaining("empty name part");
        assertThatThrownBy(() -> TableName.parse("")).hasMessageContaining("empty name part");
        assertThatThrownBy(() -> TableName.parse("[dbo.t")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TableName.parse("dbo.a]b")).hasMessageContaining("bracketed");
        assertThatThrownBy(() -> TableName.parse("[dbo]x.t")).hasMessageContaining("expected '.'");
    }
}
