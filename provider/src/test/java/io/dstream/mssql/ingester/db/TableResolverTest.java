package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching the configured tables with the catalog read in a fixed number of queries. */
class TableResolverTest {

    private static final TableName ORDERS = new TableName("dbo", "Orders");
    private static final TableName ITEMS = new TableName("sales", "items");

    private static Catalog.CaptureInstances catalog(TableName... sources) {
        List<Catalog.InstanceRow> rows = new java.util.ArrayList<>();
        int id = 100;
        for (TableName source : sources) {
            CaptureInstance ci = new CaptureInstance(source.schema() + "_" + source.table(), source, id++, null, null, List.of());
            rows.add(new Catalog.InstanceRow(ci, new CapturedColumn("id", 1)));
        }
        return Catalog.group(rows);
    }

    @Test
    void resolvedTablesAreSpelledAsTheCatalogSpellsThemInConfigOrder() {
        TableResolver.Resolution r = TableResolver.match("shop", List.of(new TableName("sales", "ITEMS"), new TableName("dbo", "orders")),
                catalog(ORDERS, ITEMS), Set.of());

        assertThat(r.problems()).isEmpty();
        assertThat(r.tables().keySet()).containsExactly(ITEMS, ORDERS);
        assertThat(r.tables().get(ORDERS)).singleElement().extracting(CaptureInstance::name).isEqualTo("dbo_Orders");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        TableName missing = new TableName("dbo", "nope");
        TableName untracked = new TableName("dbo", "plain");

        TableResolver.Resolution r = TableResolver.match("shop", List.of(missing, ORDERS, untracked), catalog(ORDERS),
                Set.of(Catalog.key(untracked)));

        assertThat(r.tables().keySet()).containsExactly(ORDERS);
        assertThat(r.problems()).containsExactly(
                "table dbo.nope not found in database shop (check the name, schema.table, and that the login can see it)",
                "CDC is not enabled for table dbo.plain: run EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', "
                        + "@source_name = N'plain', @role_name = NULL");
    }
}
