package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointStoreIT extends EmulatorIT {

    private static final TableName SOURCE = new TableName("dbo", "customers");
    private static final Lsn L1 = Lsn.parse("00000021:00000100:0003");
    private static final Lsn L2 = Lsn.parse("00000021:00000200:0003");
    private static final Lsn S = Lsn.parse("00000021:00000100:0001");

    @Test
    void createdOnceThenSavedLoadedAndDeleted() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_life"));

        boolean created = database.with(store::createIfMissing);
        boolean createdAgain = database.with(store::createIfMissing);
        assertThat(created).isTrue();
        assertThat(createdAgain).isFalse();
        assertThat(load(store, SOURCE)).isEmpty();

        Position p = new Position(L1, 2, S, Operation.UPDATE_AFTER);
        boolean saved = database.with(c -> store.save(c, SOURCE, p, "dbo_customers", L1));
        assertThat(saved).isTrue();
        assertThat(load(store, SOURCE)).contains(new Checkpoint(p, "dbo_customers"));

        boolean deleted = database.with(c -> store.delete(c, SOURCE));
        assertThat(deleted).isTrue();
        assertThat(load(store, SOURCE)).isEmpty();
    }

    @Test
    void neverMovesBackwards() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_monotonic"));
        database.with(store::createIfMissing);
        Position later = Position.afterCommit(L2);
        Position earlier = new Position(L2, 3, S, Operation.INSERT);
        Position earliest = new Position(L1, 1, S, Operation.INSERT);

        database.with(c -> store.save(c, SOURCE, later, "ci", L2));

        boolean movedBack = database.with(c -> store.save(c, SOURCE, earlier, "ci", L2));
        boolean movedFurtherBack = database.with(c -> store.save(c, SOURCE, earliest, "ci", L1));
        assertThat(movedBack).isFalse();
        assertThat(movedFurtherBack).isFalse();
        assertThat(load(store, SOURCE).orElseThrow().position()).isEqualTo(later);
    }

    @Test
    void tablesOfTheSameNameInTwoSchemasDoNotCollide() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_schemas"));
        database.with(store::createIfMissing);
        TableName dbo = new TableName("dbo", "orders");
        TableName sales = new TableName("sales", "orders");

        database.with(c -> store.save(c, dbo, Position.afterCommit(L1), "dbo_orders", L1));
        database.with(c -> store.save(c, sales, Position.afterCommit(L2), "sales_orders", L2));

        assertThat(load(store, dbo).orElseThrow().position()).isEqualTo(Position.afterCommit(L1));
        assertThat(load(store, sales).orElseThrow().position()).isEqualTo(Position.afterCommit(L2));
    }

    private static java.util.Optional<Checkpoint> load(CheckpointStore store, TableName table) throws SQLException {
        return database.with(c -> store.load(c, table));
    }
}
