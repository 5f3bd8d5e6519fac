package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dstream} format: one line per change, in the shape DStream's SDK and output providers
 * read ({@code {"source":..,"type":..,"data":{..},"metadata":{"TableName":..,"LSN":..,...}}}); LSN
 * and Seq as 20 hex digits like the Go provider. Each change is written by one generator per batch
 * into a reused buffer, without building a tree.
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
        String tableName = table.toString();
        LineBuffer buffer = new LineBuffer();
        try (JsonGenerator g = Json.generator(buffer)) {
            for (Change change : changes) {
                buffer.truncate(0);
                line(g, tableName, captureInstance, change);
                g.flush();
                byte[] bytes = buffer.copy(0, buffer.size());
                if (bytes.length > maxBytes) {
                    LOG.warn("{}: one change at {} is {} bytes as a line, more than max_message_bytes {}; written anyway",
                            table, change.position(), bytes.length, maxBytes);
                }
                lines.add(new OutputLine(bytes, change.position(), 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format changes of " + table, e);
        }
        return lines;
    }

    private void line(JsonGenerator g, String tableName, String captureInstance, Change change) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", source);
        g.writeStringField("type", change.type().envelopeName());
        g.writeFieldName("data");
        Json.writeRow(g, change.data());
        g.writeObjectFieldStart("metadata");
        g.writeStringField("TableName", tableName);
        g.writeStringField("LSN", change.position().commitLsn().toHex());
        g.writeStringField("Seq", change.position().seqval().toHex());
        g.writeNumberField("OperationID", change.type().operationId());
        g.writeStringField("OperationType", change.type().dstreamName());
        g.writeFieldName("CommitTime");
        Json.writeCommitTime(g, change.commitTime());
        g.writeStringField("CaptureInstance", captureInstance);
        g.writeNumberField("CommandID", change.position().commandId());
        if (change.type() == ChangeType.UPDATE) {
            g.writeFieldName("Before");
            Json.writeRow(g, change.before());
            g.writeFieldName("ChangedColumns");
            Json.writeStrings(g, change.changedColumns());
        }
        if (!change.unavailableColumns().isEmpty()) {
            g.writeFieldName("UnavailableColumns");
            Json.writeStrings(g, change.unavailableColumns());
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
