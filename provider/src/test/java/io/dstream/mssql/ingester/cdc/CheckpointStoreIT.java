package io.dstream.mssql.ingester.cdc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CheckpointStoreIT extends EmulatorIT {

    private static final TableName SOURCE = new TableName("dbo", "customers");
    private static final Lsn L1 = Lsn.parse("00000021:00000100:0003");
    private static final Lsn L2 = Lsn.parse("00000021:00000200:0003");
    private static final Lsn S = Lsn.parse("00000021:00000100:0001");

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger(CheckpointStore.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        storeLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        storeLog.detachAppender(logs);
    }

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

    /** Dropped while running: every save used to fail with 208, and a restart replayed from earliest. */
    @Test
    void aSaveReCreatesADroppedTableAndSavesIntoIt() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_dropped"));
        database.with(store::createIfMissing);
        database.with(c -> store.save(c, SOURCE, Position.afterCommit(L1), "dbo_customers", L1));
        exec("DROP TABLE dbo.cp_dropped");

        Position p = new Position(L2, 1, S, Operation.INSERT);
        boolean saved = database.with(c -> store.save(c, SOURCE, p, "dbo_customers", L2));

        assertThat(saved).isTrue();
        assertThat(load(store, SOURCE)).contains(new Checkpoint(p, "dbo_customers"));
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("dbo.customers: the checkpoint table dbo.cp_dropped was missing")
                    .contains("has been re-created");
        });
    }

    @Test
    void aLoadReCreatesADroppedTableWhichHoldsNoCheckpoint() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_dropped_load"));
        database.with(store::createIfMissing);
        database.with(c -> store.save(c, SOURCE, Position.afterCommit(L1), "dbo_customers", L1));
        exec("DROP TABLE dbo.cp_dropped_load");

        assertThat(load(store, SOURCE)).isEmpty();
        assertThat(database.with(store::exists)).isTrue();
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.WARN);
    }

    /** The advice of an error on the checkpoint table names it, not the source table. */
    @Test
    void errorsOfItsStatementsNameTheCheckpointTable() throws SQLException {
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_denied"));
        database.with(store::createIfMissing);
        emulator.injectError(SqlAdvice.PERMISSION_DENIED, 0);

        SQLException e = catchThrowableOfType(SQLException.class,
                () -> database.with(c -> store.save(c, SOURCE, Position.afterCommit(L1), "dbo_customers", L1)));

        assertThat((Throwable) e).isNotNull();
        assertThat(SqlAdvice.explain(e)).startsWith("SQL Server error 229: ")
                .contains("permission denied on the checkpoint table dbo.cp_denied");
    }

    private static java.util.Optional<Checkpoint> load(CheckpointStore store, TableName table) throws SQLException {
        return database.with(c -> store.load(c, table));
    }
}
