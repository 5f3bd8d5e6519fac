package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dstream} format: one line per change, in the shape DStream's SDK and output providers
 * read ({@code {"source":..,"type":..,"data":{..},"metadata":{"TableName":..,"LSN":..,...}}}); LSN
 * and Seq as 20 hex digits like the Go provider. Each change is written by one generator per batch
 * into a reused buffer, without building a tree.
 */
public final class DstreamFormat implements ChangeFormat {

    private final String source;
    private final LineLimit limit;

    public DstreamFormat(String serverName, String database, int maxBytes, OversizedChangePolicy oversized) {
        this.source = serverName + "/" + database;
        this.limit = new LineLimit(maxBytes, oversized);
    }

    @Override
    public Formatted lines(TableName table, String captureInstance, List<Change> changes) {
        List<OutputLine> lines = new ArrayList<>();
        String tableName = table.toString();
        LineBuffer buffer = new LineBuffer();
        try (JsonGenerator g = Json.generator(buffer)) {
            for (Change change : changes) {
                byte[] bytes = line(g, buffer, tableName, captureInstance, change, Truncation.NONE);
                if (limit.exceeds(bytes.length)) {
                    Optional<Truncation> fitted = limit.fit(table, change, bytes.length,
                            t -> line(g, buffer, tableName, captureInstance, change, t).length);
                    if (fitted.isEmpty()) {
                        return Formatted.stoppedBefore(lines, limit.stop(table, change, bytes.length));
                    }
                    if (fitted.get() != Truncation.NONE) {
                        bytes = line(g, buffer, tableName, captureInstance, change, fitted.get());
                    }
                }
                lines.add(new OutputLine(bytes, change.position(), 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format changes of " + table, e);
        }
        return Formatted.all(lines);
    }

    /** The line of one change, built in the reused buffer. */
    private byte[] line(JsonGenerator g, LineBuffer buffer, String tableName, String captureInstance, Change change,
                        Truncation truncation) {
        try {
            buffer.truncate(0);
            line(g, tableName, captureInstance, change, truncation);
            g.flush();
            return buffer.copy(0, buffer.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the change at " + change.position() + " of " + tableName, e);
        }
    }

    private void line(JsonGenerator g, String tableName, String captureInstance, Change change, Truncation truncation)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("source", source);
        g.writeStringField("type", change.type().envelopeName());
        g.writeFieldName("data");
        Json.writeRow(g, change.data(), truncation.data());
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
            Json.writeRow(g, change.before(), truncation.before());
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
