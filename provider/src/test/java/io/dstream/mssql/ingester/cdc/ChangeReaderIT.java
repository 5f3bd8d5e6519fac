package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
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
        Lsn max = database.with(Catalog::maxLsn);

        Page page = read(ci, Position.before(ci.startLsn()), max, 100);

        assertThat(page.full()).isFalse();
        assertThat(page.changes()).extracting(Change::type)
                .containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE);
        Change update = page.changes().get(1);
        assertThat(update.before().get("qty").asInt()).isEqualTo(5);
        assertThat(update.data().get("qty").asInt()).isEqualTo(6);
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
        Lsn max = database.with(Catalog::maxLsn);

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

        assertThat(all).extracting(c -> c.type() + " " + c.data().get("id").asInt() + "=" + c.data().get("v").asInt())
                .containsExactly("INSERT 1=1", "INSERT 2=2", "INSERT 3=3", "UPDATE 1=11", "UPDATE 2=12", "UPDATE 3=13");
        assertThat(all.subList(3, 6)).allSatisfy(u -> assertThat(u.before().get("v").asInt() + 10).isEqualTo(u.data().get("v").asInt()));
        assertThat(queries).isGreaterThan(3);
    }

    @Test
    void theUpperBoundHidesLaterCommits() throws SQLException {
        tracked("rd_bound", "id INT PRIMARY KEY");
        exec("INSERT INTO dbo.rd_bound VALUES (1)");
        captured();
        Lsn bound = database.with(Catalog::maxLsn);
        exec("INSERT INTO dbo.rd_bound VALUES (2)");
        captured();
        CaptureInstance ci = instance("rd_bound");

        Page upToBound = read(ci, Position.before(ci.startLsn()), bound, 100);
        Page afterBound = read(ci, Position.afterCommit(bound), database.with(Catalog::maxLsn), 100);

        assertThat(upToBound.changes()).extracting(c -> c.data().get("id").asInt()).containsExactly(1);
        assertThat(afterBound.changes()).extracting(c -> c.data().get("id").asInt()).containsExactly(2);
    }

    @Test
    void typedValuesThroughTheDriver() throws SQLException {
        tracked("rd_types", "id INT PRIMARY KEY, d2 DATETIME2(7), dto DATETIMEOFFSET(3), amount DECIMAL(9,3), "
                + "m MONEY, g UNIQUEIDENTIFIER, b VARBINARY(10), f FLOAT, flag BIT, t TIME(2)");
        exec("INSERT INTO dbo.rd_types VALUES (1, '2024-05-01T10:11:12.1234567', '2024-05-01T10:11:12.123+02:00', 1.5, "
                + "12.34, '6F9619FF-8B86-D011-B42D-00C04FD430C8', 0x0102, 1.1, 1, '10:11:12.12')");
        captured();
        CaptureInstance ci = instance("rd_types");

        Change insert = read(ci, Position.before(ci.startLsn()), database.with(Catalog::maxLsn), 10).changes().get(0);

        assertThat(insert.data().toString()).isEqualTo("{id=1, d2=\"2024-05-01T10:11:12.1234567\", "
                + "dto=\"2024-05-01T10:11:12.123+02:00\", amount=\"1.500\", m=\"12.3400\", "
                + "g=\"6F9619FF-8B86-D011-B42D-00C04FD430C8\", b=\"AQI=\", f=1.1, flag=true, t=\"10:11:12.12\"}");
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
        assertThat(newest.get(a.name())).isLessThanOrEqualTo(database.with(Catalog::maxLsn));
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
