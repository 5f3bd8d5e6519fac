package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dstream} format: one line per change, in the shape DStream's SDK and output providers
 * read ({@code {"source":..,"type":..,"data":{..},"metadata":{"TableName":..,"LSN":..,...}}}); LSN
 * and Seq as 20 hex digits like the Go provider.
 */
public final class DstreamFormat implements ChangeFormat {

    private static final Logger LOG = LoggerFactory.getLogger(DstreamFormat.class);

    private final String source;
    private final int maxBytes;

    public DstreamFormat(String serverName, String database, int maxBytes) {
        this.source = serverName + "/" + database;
        this.maxBytes = maxBytes;
    }

    @Override
    public List<OutputLine> lines(TableName table, String captureInstance, List<Change> changes) {
        List<OutputLine> lines = new ArrayList<>();
        for (Change change : changes) {
            byte[] bytes = Json.bytes(line(table, captureInstance, change));
            if (bytes.length > maxBytes) {
                LOG.warn("{}: one change at {} is {} bytes as a line, more than max_message_bytes {}; written anyway",
                        table, change.position(), bytes.length, maxBytes);
            }
            lines.add(new OutputLine(bytes, change.position(), 1));
        }
        return lines;
    }

    private ObjectNode line(TableName table, String captureInstance, Change change) {
        ObjectNode node = Json.object();
        node.put("source", source);
        node.put("type", change.type().envelopeName());
        node.set("data", Json.row(change.data()));
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("TableName", table.toString());
        metadata.put("LSN", change.position().commitLsn().toHex());
        metadata.put("Seq", change.position().seqval().toHex());
        metadata.put("OperationID", change.type().operationId());
        metadata.put("OperationType", change.type().dstreamName());
        metadata.set("CommitTime", Json.commitTime(change.commitTime()));
        metadata.put("CaptureInstance", captureInstance);
        metadata.put("CommandID", change.position().commandId());
        if (change.type() == ChangeType.UPDATE) {
            metadata.set("Before", Json.row(change.before()));
            metadata.set("ChangedColumns", Json.strings(change.changedColumns()));
        }
        if (!change.unavailableColumns().isEmpty()) {
            metadata.set("UnavailableColumns", Json.strings(change.unavailableColumns()));
        }
        return node;
    }
}
