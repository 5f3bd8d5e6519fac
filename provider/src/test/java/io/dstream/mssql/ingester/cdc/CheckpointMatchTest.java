package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CheckpointStore#match}: the rows read at once, handed to each table as its own query would. */
class CheckpointMatchTest {

    private static final TableName ORDERS = new TableName("dbo", "Orders");
    private static final TableName ITEMS = new TableName("sales", "items");
    private static final Checkpoint AT_1 = new Checkpoint(Position.afterCommit(Lsn.parse("00000021:00000100:0003")), "dbo_Orders");
    private static final Checkpoint AT_2 = new Checkpoint(Position.afterCommit(Lsn.parse("00000021:00000200:0003")), "dbo_Orders");

    @Test
    void eachTableGetsItsRowAndATableWithoutOneGetsNone() {
        Map<TableName, Checkpoint> found = CheckpointStore.match(List.of(ORDERS, ITEMS),
                Map.of("dbo.Orders", AT_1, "other.table", AT_2));

        assertThat(found).containsExactly(Map.entry(ORDERS, AT_1));
    }

    @Test
    void aRowSpelledInAnotherCaseIsFoundAsTheDefaultCollationsFindIt() {
        assertThat(CheckpointStore.match(List.of(ORDERS), Map.of("DBO.ORDERS", AT_1))).containsEntry(ORDERS, AT_1);
    }

    @Test
    void theExactSpellingWinsOverAnotherCase() {
        assertThat(CheckpointStore.match(List.of(ORDERS), Map.of("dbo.orders", AT_1, "dbo.Orders", AT_2)))
                .containsEntry(ORDERS, AT_2);
    }
}
