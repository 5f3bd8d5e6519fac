package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The grouping of {@link Catalog#CAPTURE_INSTANCES}' rows (one per captured column) into instances per table. */
class CatalogTest {

    private static final TableName ORDERS = new TableName("dbo", "Orders");
    private static final TableName ITEMS = new TableName("sales", "items");
    private static final LocalDateTime MONDAY = LocalDateTime.of(2026, 11, 30, 9, 0);
    private static final LocalDateTime TUESDAY = MONDAY.plusDays(1);

    private static CaptureInstance instance(String name, TableName source, int objectId, LocalDateTime created) {
        return new CaptureInstance(name, source, objectId, Lsn.parse("00000021:00000100:0001"), created, List.of());
    }

    private static List<Catalog.InstanceRow> rows(CaptureInstance ci, String... columns) {
        List<Catalog.InstanceRow> rows = new ArrayList<>();
        for (String column : columns) {
            String[] nameAndOrdinal = column.split("@");
            rows.add(new Catalog.InstanceRow(ci, new CapturedColumn(nameAndOrdinal[0], Integer.parseInt(nameAndOrdinal[1]))));
        }
        return rows;
    }

    @Test
    void eachInstanceOnceWithItsColumnsInOrdinalOrder() {
        CaptureInstance orders = instance("dbo_Orders", ORDERS, 101, MONDAY);
        List<Catalog.InstanceRow> rows = new ArrayList<>(rows(orders, "total@3", "id@1", "customer@2"));

        Catalog.CaptureInstances catalog = Catalog.group(rows);

        assertThat(catalog.of(ORDERS)).singleElement().satisfies(ci -> {
            assertThat(ci.name()).isEqualTo("dbo_Orders");
            assertThat(ci.columnNames()).containsExactly("id", "customer", "total");
        });
        assertThat(catalog.instances()).isEqualTo(1);
    }

    @Test
    void rowsOfManyTablesInterleavedAreGroupedPerTableOldestInstanceFirst() {
        CaptureInstance ordersNew = instance("orders_v2", ORDERS, 102, TUESDAY);
        CaptureInstance ordersOld = instance("dbo_Orders", ORDERS, 101, MONDAY);
        CaptureInstance items = instance("sales_items", ITEMS, 201, MONDAY);
        List<Catalog.InstanceRow> rows = new ArrayList<>();
        rows.addAll(rows(ordersNew, "id@1"));
        rows.addAll(rows(items, "sku@2"));
        rows.addAll(rows(ordersOld, "id@1"));
        rows.addAll(rows(items, "id@1"));
        rows.addAll(rows(ordersNew, "note@2"));

        Catalog.CaptureInstances catalog = Catalog.group(rows);

        assertThat(catalog.of(ORDERS)).extracting(CaptureInstance::name).containsExactly("dbo_Orders", "orders_v2");
        assertThat(catalog.of(ORDERS).get(1).columnNames()).containsExactly("id", "note");
        assertThat(catalog.of(ITEMS)).singleElement().extracting(CaptureInstance::columnNames)
                .isEqualTo(List.of("id", "sku"));
        assertThat(catalog.instances()).isEqualTo(3);
    }

    @Test
    void tablesAreLookedUpIgnoringCaseAsTheDefaultCollationsCompare() {
        Catalog.CaptureInstances catalog = Catalog.group(rows(instance("dbo_Orders", ORDERS, 101, MONDAY), "id@1"));

        assertThat(catalog.of(new TableName("DBO", "orders"))).hasSize(1);
        assertThat(catalog.of(new TableName("dbo", "order"))).isEmpty();
    }

    @Test
    void anInstanceWithoutVisibleColumnsIsKeptWithNone() {
        CaptureInstance orders = instance("dbo_Orders", ORDERS, 101, MONDAY);

        Catalog.CaptureInstances catalog = Catalog.group(List.of(new Catalog.InstanceRow(orders, null)));

        assertThat(catalog.of(ORDERS)).singleElement().extracting(CaptureInstance::columns).isEqualTo(List.of());
    }

    @Test
    void anInstanceWhoseSourceIsNotVisibleIsCountedButNotListed() {
        CaptureInstance hidden = instance("secret_t", null, 301, MONDAY);
        CaptureInstance orders = instance("dbo_Orders", ORDERS, 101, MONDAY);
        List<Catalog.InstanceRow> rows = new ArrayList<>(rows(hidden, "id@1"));
        rows.addAll(rows(orders, "id@1"));

        Catalog.CaptureInstances catalog = Catalog.group(rows);

        assertThat(catalog.byTable()).containsOnlyKeys(Catalog.key(ORDERS));
        assertThat(catalog.instances()).as("compared with the probe's COUNT(*) of cdc.change_tables").isEqualTo(2);
    }
}
