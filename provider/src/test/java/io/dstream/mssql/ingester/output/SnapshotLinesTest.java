package io.dstream.mssql.ingester.output;

import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.cdc.ColumnType;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot row in both formats: its own change type, the whole row, at its chunk's high watermark. */
class SnapshotLinesTest {

    private static final TableName TABLE = new TableName("dbo", "customers");
    private static final Columns COLUMNS = new Columns(List.of(new CapturedColumn("id", 1), new CapturedColumn("name", 2)),
            List.of(new ColumnType("int", 10, 0), new ColumnType("nvarchar", 40, 0)));
    private static final Change ROW = new Change(ChangeType.SNAPSHOT, Position.afterCommit(Lsn.parse("0000002a:000001f0:0003")),
            Instant.parse("2026-11-24T12:00:00.123Z"), RowImage.of(COLUMNS, 7L, "Ann"), null, List.of(), List.of());

    @Test
    void envelope() {
        OutputLine line = new EnvelopeFormat("h", "d", "1s", 65000, OversizedChangePolicy.FAIL).lines(TABLE, "dbo_customers", List.of(ROW))
                .lines().get(0);

        assertThat(new String(line.bytes(), StandardCharsets.UTF_8)).contains("{\"table_name\":\"dbo.customers\",\"change_type\":\"snapshot\","
                + "\"data\":{\"id\":7,\"name\":\"Ann\"},\"timestamp\":\"2026-11-24T12:00:00.123Z\",\"lsn\":\"0000002a:000001f0:0003\","
                + "\"seqval\":\"ffffffff:ffffffff:ffff\",\"command_id\":2147483647}");
        assertThat(line.covers()).isEqualTo(ROW.position());
    }

    @Test
    void dstream() {
        OutputLine line = new DstreamFormat("h", "d", 65000, OversizedChangePolicy.FAIL).lines(TABLE, "dbo_customers", List.of(ROW))
                .lines().get(0);

        assertThat(new String(line.bytes(), StandardCharsets.UTF_8)).contains("\"type\":\"snapshot\",\"data\":{\"id\":7,\"name\":\"Ann\"}")
                .contains("\"OperationID\":0,\"OperationType\":\"Snapshot\"").doesNotContain("Before");
    }
}
