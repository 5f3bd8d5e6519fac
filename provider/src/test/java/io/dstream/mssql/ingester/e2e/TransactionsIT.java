package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions: one commit LSN shared by every table a transaction touched, transactions larger than a page,
 * update pairs never split, per-table commit order, rollbacks invisible.
 */
class TransactionsIT extends EmulatorTestBase {

    @Test
    void aTransactionOverTwoTablesAppearsInBothStreamsWithTheSameLsn() {
        db.createTracked("dbo", "tx_orders", "id INT PRIMARY KEY, total DECIMAL(10,2)");
        db.createTracked("dbo", "tx_lines", "order_id INT, line_no INT, product NVARCHAR(50), PRIMARY KEY (order_id, line_no)");
        ProviderProcess provider = run(config("dbo.tx_orders", "dbo.tx_lines"));

        db.tx("INSERT INTO dbo.tx_orders VALUES (1, 30.00)",
                "INSERT INTO dbo.tx_lines VALUES (1, 1, N'tea')",
                "INSERT INTO dbo.tx_lines VALUES (1, 2, N'cake')");

        List<JsonNode> orders = envelopeChangesUntil(provider, "dbo.tx_orders", change("insert", 1));
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.tx_lines")
                && stream(l.path("changes")).anyMatch(c -> c.path("data").path("line_no").asInt() == 2), STREAM);
        List<JsonNode> lines = Changes.envelopeChanges(provider.stdout(), "dbo.tx_lines");

        assertThat(orders).hasSize(1);
        assertThat(lines).extracting(c -> c.path("data").path("line_no").asInt()).containsExactly(1, 2);
        assertThat(lines).allSatisfy(line -> assertThat(Changes.lsnHex(line)).isEqualTo(Changes.lsnHex(orders.get(0))));
        assertThat(lines.get(0).path("timestamp").asText()).isEqualTo(orders.get(0).path("timestamp").asText());
        assertThat(lines.get(0).path("seqval").asText()).isNotEqualTo(lines.get(1).path("seqval").asText());
    }

    /** 17 changes in one transaction read 3 rows at a time: all of them, once, in statement order, pairs whole. */
    @Test
    void aTransactionLargerThanAPage() {
        db.createTracked("dbo", "tx_big", "id INT PRIMARY KEY, v INT");
        ObjectNode config = config("dbo.tx_big");
        config.put("max_rows_per_query", 3);
        ProviderProcess provider = run(config);

        List<String> statements = new ArrayList<>();
        IntStream.rangeClosed(1, 10).forEach(i -> statements.add("INSERT INTO dbo.tx_big VALUES (" + i + ", " + i + ")"));
        IntStream.rangeClosed(1, 5).forEach(i -> statements.add("UPDATE dbo.tx_big SET v = v + 100 WHERE id = " + i));
        statements.add("DELETE FROM dbo.tx_big WHERE id = 9");
        statements.add("DELETE FROM dbo.tx_big WHERE id = 10");
        db.tx(statements.toArray(String[]::new));
        db.exec("INSERT INTO dbo.tx_big VALUES (999, 0)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.tx_big", change("insert", 999));
        assertThat(changes).extracting(c -> c.path("change_type").asText() + " " + c.path("data").path("id").asInt())
                .containsExactly("insert 1", "insert 2", "insert 3", "insert 4", "insert 5", "insert 6", "insert 7",
                        "insert 8", "insert 9", "insert 10", "update 1", "update 2", "update 3", "update 4", "update 5",
                        "delete 9", "delete 10", "insert 999");
        String transactionLsn = Changes.lsnHex(changes.get(0));
        assertThat(changes.subList(0, 17)).allSatisfy(c -> assertThat(Changes.lsnHex(c)).isEqualTo(transactionLsn));
        for (JsonNode update : changes.subList(10, 15)) {
            int id = update.path("data").path("id").asInt();
            assertThat(update.path("before").path("v").asInt()).as("before of %s", update).isEqualTo(id);
            assertThat(update.path("data").path("v").asInt()).as("after of %s", update).isEqualTo(id + 100);
            assertThat(update.path("changed_columns")).extracting(JsonNode::asText).containsExactly("v");
        }
    }

    /** One UPDATE of three rows: three op 3/op 4 pairs with one commit LSN, read two rows at a time. */
    @Test
    void aMultiRowUpdateReadInPagesSmallerThanAPair() {
        db.createTracked("dbo", "tx_multi", "id INT PRIMARY KEY, v INT");
        db.exec("INSERT INTO dbo.tx_multi VALUES (1, 10)", "INSERT INTO dbo.tx_multi VALUES (2, 20)",
                "INSERT INTO dbo.tx_multi VALUES (3, 30)");
        ObjectNode config = config("dbo.tx_multi");
        config.put("max_rows_per_query", 2);
        ProviderProcess provider = run(config);

        db.exec("UPDATE dbo.tx_multi SET v = v + 1");
        db.exec("INSERT INTO dbo.tx_multi VALUES (999, 0)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.tx_multi", change("insert", 999));
        List<JsonNode> updates = changes.stream().filter(c -> c.path("change_type").asText().equals("update")).toList();
        assertThat(updates).extracting(c -> c.path("data").path("id").asInt()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(updates).allSatisfy(u -> {
            assertThat(u.path("data").path("v").asInt()).isEqualTo(u.path("before").path("v").asInt() + 1);
            assertThat(Changes.lsnHex(u)).isEqualTo(Changes.lsnHex(updates.get(0)));
        });
        assertThat(updates).extracting(u -> u.path("seqval").asText()).doesNotHaveDuplicates();
        assertThat(changes).hasSize(3 + 3 + 1);
    }

    /** 40 transactions over two tables in a random mix: each table's stream is complete and in commit order. */
    @Test
    void eachTableStreamsInCommitOrderAndRollbacksLeaveNothing() {
        db.createTracked("dbo", "tx_left", "id INT PRIMARY KEY, v INT");
        db.createTracked("dbo", "tx_right", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.tx_left", "dbo.tx_right"));

        Random random = new Random(42);
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        for (int tx = 1; tx <= 40; tx++) {
            List<String> statements = new ArrayList<>();
            if (random.nextBoolean() || tx % 7 == 0) {
                statements.add("INSERT INTO dbo.tx_left VALUES (" + tx + ", " + tx + ")");
                left.add(tx);
            }
            if (random.nextBoolean() || statements.isEmpty()) {
                statements.add("INSERT INTO dbo.tx_right VALUES (" + tx + ", " + tx + ")");
                right.add(tx);
            }
            db.tx(statements.toArray(String[]::new));
            if (tx % 10 == 0) {
                db.rolledBack("INSERT INTO dbo.tx_left VALUES (" + (500 + tx) + ", 0)",
                        "INSERT INTO dbo.tx_right VALUES (" + (500 + tx) + ", 0)");
            }
        }
        db.tx("INSERT INTO dbo.tx_left VALUES (999, 0)", "INSERT INTO dbo.tx_right VALUES (999, 0)");
        left.add(999);
        right.add(999);

        List<JsonNode> leftChanges = envelopeChangesUntil(provider, "dbo.tx_left", change("insert", 999));
        List<JsonNode> rightChanges = envelopeChangesUntil(provider, "dbo.tx_right", change("insert", 999));
        assertThat(Changes.ids(leftChanges)).containsExactlyElementsOf(left);
        assertThat(Changes.ids(rightChanges)).containsExactlyElementsOf(right);
        assertThat(leftChanges).extracting(Changes::lsnHex).isSorted();
        assertThat(rightChanges).extracting(Changes::lsnHex).isSorted();
    }
}
