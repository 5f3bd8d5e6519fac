package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The change query against SQL Server's CDC surface (the emulator), through mssql-jdbc over TCP. */
class ChangeReaderIT extends EmulatorIT {

    private static CaptureInstance instance(String table) throws SQLException {
        CaptureInstance ci = database.with(Catalog::captureInstances).get("dbo." + table).get(0);
        return ci.withColumns(database.with(c -> Catalog.capturedColumns(c, ci.objectId())));
    }

    private static Page read(CaptureInstance ci, Position after, Lsn upTo, int limit) throws SQLException {
        ZoneOffset offset = database.with(Catalog::serverOffset);
        return database.with(c -> new ChangeReader(offset).read(c, ci, after, upTo, limit));
    }

    @Test
    void insertUpdateAndDeleteWithImagesAndCommitTime() throws SQLException {
        tracked("rd_basic", "id INT PRIMARY KEY, name NVARCHAR(20), qty INT");
        exec("INSERT INTO dbo.rd_basic VALUES (1, N'Ann', 5)",
                "UPDATE dbo.rd_basic SET qty = 6 WHERE id = 1",
                "DELETE FROM dbo.rd_basic WHERE id = 1");
        captured();
        CaptureInstance ci = instance("rd_basic");
        Lsn max = database.with(Catalog::maxLsn).orElseThrow();

        Page page = read(ci, Position.before(ci.startLsn()), max, 100);

        assertThat(page.full()).isFalse();
        assertThat(page.changes()).extracting(Change::type)
                .containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE);
        Change update = page.changes().get(1);
        assertThat(update.before().value("qty")).isEqualTo(5L);
        assertThat(update.data().value("qty")).isEqualTo(6L);
        assertThat(update.changedColumns()).containsExactly("qty");
        assertThat(page.changes()).allSatisfy(c -> assertThat(c.commitTime()).isNotNull());
        assertThat(page.changes()).extracting(c -> c.position().commitLsn()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void pagesResumeStrictlyAfterThePositionAndNeverSplitAnUpdate() throws SQLException {
        tracked("rd_pages", "id INT PRIMARY KEY, v INT");
        exec("INSERT INTO dbo.rd_pages VALUES (1, 1), (2, 2), (3, 3)",
                "UPDATE dbo.rd_pages SET v = v + 10");
        captured();
        CaptureInstance ci = instance("rd_pages");
        Lsn max = database.with(Catalog::maxLsn).orElseThrow();

        List<Change> all = new ArrayList<>();
        Position position = Position.before(ci.startLsn());
        int queries = 0;
        Page page;
        do {
            page = read(ci, position, max, 2);
            queries++;
            all.addAll(page.changes());
            if (page.last() != null) {
                position = page.last();
            }
        } while (page.full());

        assertThat(all).extracting(c -> c.type() + " " + c.data().value("id") + "=" + c.data().value("v"))
                .containsExactly("INSERT 1=1", "INSERT 2=2", "INSERT 3=3", "UPDATE 1=11", "UPDATE 2=12", "UPDATE 3=13");
        assertThat(all.subList(3, 6)).allSatisfy(u -> assertThat((Long) u.before().value("v") + 10).isEqualTo(u.data().value("v")));
        assertThat(queries).isGreaterThan(3);
    }

    @Test
    void theUpperBoundHidesLaterCommits() throws SQLException {
        tracked("rd_bound", "id INT PRIMARY KEY");
        exec("INSERT INTO dbo.rd_bound VALUES (1)");
        captured();
        Lsn bound = database.with(Catalog::maxLsn).orElseThrow();
        exec("INSERT INTO dbo.rd_bound VALUES (2)");
        captured();
        CaptureInstance ci = instance("rd_bound");

        Page upToBound = read(ci, Position.before(ci.startLsn()), bound, 100);
        Page afterBound = read(ci, Position.afterCommit(bound), database.with(Catalog::maxLsn).orElseThrow(), 100);

        assertThat(upToBound.changes()).extracting(c -> c.data().value("id")).containsExactly(1L);
        assertThat(afterBound.changes()).extracting(c -> c.data().value("id")).containsExactly(2L);
    }

    @Test
    void typedValuesThroughTheDriver() throws SQLException {
        tracked("rd_types", "id INT PRIMARY KEY, d2 DATETIME2(7), dto DATETIMEOFFSET(3), amount DECIMAL(9,3), "
                + "m MONEY, g UNIQUEIDENTIFIER, b VARBINARY(10), f FLOAT, flag BIT, t TIME(2)");
        exec("INSERT INTO dbo.rd_types VALUES (1, '2024-05-01T10:11:12.1234567', '2024-05-01T10:11:12.123+02:00', 1.5, "
                + "12.34, '6F9619FF-8B86-D011-B42D-00C04FD430C8', 0x0102, 1.1, 1, '10:11:12.12')");
        captured();
        CaptureInstance ci = instance("rd_types");

        Change insert = read(ci, Position.before(ci.startLsn()), database.with(Catalog::maxLsn).orElseThrow(), 10).changes().get(0);

        RowImage data = insert.data();
        assertThat(data.value("id")).isEqualTo(1L);
        assertThat(data.value("d2")).isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 11, 12, 123_456_700));
        assertThat(data.value("dto")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 11, 12, 123_000_000, ZoneOffset.ofHours(2)));
        assertThat(data.value("amount")).isEqualTo(new BigDecimal("1.500"));
        assertThat(data.value("m")).isEqualTo(new BigDecimal("12.3400"));
        assertThat(data.value("g")).asString().isEqualToIgnoringCase("6F9619FF-8B86-D011-B42D-00C04FD430C8");
        assertThat(data.value("b")).isEqualTo(new byte[] {1, 2});
        assertThat(data.value("f")).isEqualTo(1.1d);
        assertThat(data.value("flag")).isEqualTo(true);
        assertThat(data.value("t")).isEqualTo(LocalTime.of(10, 11, 12, 120_000_000));
        // the scale the driver reports is what output writes the fraction and decimal digits from
        Columns columns = data.columns();
        assertThat(columns.type(columns.indexOf("d2"))).isEqualTo(new ColumnType("datetime2", 27, 7));
        assertThat(columns.type(columns.indexOf("dto")).scale()).isEqualTo(3);
        assertThat(columns.type(columns.indexOf("amount"))).isEqualTo(new ColumnType("decimal", 9, 3));
        assertThat(columns.type(columns.indexOf("m")).scale()).isEqualTo(4);
        assertThat(columns.type(columns.indexOf("t")).scale()).isEqualTo(2);
        assertThat(columns.type(columns.indexOf("g")).kind()).isEqualTo(ColumnType.Kind.UNIQUEIDENTIFIER);
    }

    /** Every row of a page holds its values only: the column descriptor is one, shared. */
    @Test
    void theRowsOfAPageShareTheirColumns() throws SQLException {
        tracked("rd_shared", "id INT PRIMARY KEY, v NVARCHAR(10)");
        exec("INSERT INTO dbo.rd_shared VALUES (1, N'a')", "INSERT INTO dbo.rd_shared VALUES (2, NULL)");
        captured();
        CaptureInstance ci = instance("rd_shared");

        List<Change> changes = read(ci, Position.before(ci.startLsn()), database.with(Catalog::maxLsn).orElseThrow(), 10).changes();

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).data().columns()).isSameAs(changes.get(1).data().columns());
        assertThat(changes.get(1).data().presentColumns()).containsExactly("id", "v");
        assertThat(changes.get(1).data().value("v")).isNull();
    }

    @Test
    void theProbeSeesWhichChangeTablesHoldNewerChanges() throws SQLException {
        tracked("rd_probe_a", "id INT PRIMARY KEY");
        tracked("rd_probe_b", "id INT PRIMARY KEY");
        exec("INSERT INTO dbo.rd_probe_a VALUES (1)");
        captured();
        CaptureInstance a = instance("rd_probe_a");
        CaptureInstance b = instance("rd_probe_b");

        var newest = database.with(c -> Probe.run(c, List.of(a, b)));

        assertThat(newest).containsOnlyKeys(a.name());
        assertThat(newest.get(a.name())).isLessThanOrEqualTo(database.with(Catalog::maxLsn).orElseThrow());
        assertThat(new TableName("dbo", "rd_probe_a")).isEqualTo(a.source());
    }

    @Test
    void theProbeTellsWhenTheCatalogIsOutOfDate() throws SQLException {
        tracked("rd_probe_c", "id INT PRIMARY KEY");
        captured();
        int entries = database.with(Catalog::captureInstances).values().stream().mapToInt(List::size).sum();
        CaptureInstance c = instance("rd_probe_c");

        Probe.Result current = database.with(conn -> Probe.probe(conn, List.of(c)));

        assertThat(current.instances()).isEqualTo(entries);
        assertThat(current.minLsn().get(c.name())).isEqualTo(c.startLsn());
        assertThat(current.contradicts(List.of(c), entries)).isFalse();

        tracked("rd_probe_d", "id INT PRIMARY KEY");
        Probe.Result later = database.with(conn -> Probe.probe(conn, List.of(c)));

        assertThat(later.instances()).isEqualTo(entries + 1);
        assertThat(later.contradicts(List.of(c), entries)).isTrue();
        CaptureInstance moved = new CaptureInstance(c.name(), c.source(), c.objectId(), c.startLsn().previous(),
                c.createDate(), List.of());
        assertThat(current.contradicts(List.of(moved), entries)).as("validity interval moved (cleanup)").isTrue();
    }
}
