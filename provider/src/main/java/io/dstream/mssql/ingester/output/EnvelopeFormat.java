package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The default format: one line per batch of one table,
 * {@code {"table_name":..,"server_name":..,"database":..,"capture_instance":..,"changes":[..],"metadata":{"batch_size":n,"poll_interval":".."}}}.
 * Batches are cut by the bytes of the serialised line, so every line stays within
 * {@code max_message_bytes}; a change too large for a line on its own is written alone anyway.
 *
 * <p>Each change is written once, by one generator per batch, straight into the line being built;
 * the closing part's length is known from the batch size alone, so nothing is serialised twice.
 */
public final class EnvelopeFormat implements ChangeFormat {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeFormat.class);
    private static final byte[] TAIL_START = "],\"metadata\":{\"batch_size\":".getBytes(StandardCharsets.UTF_8);

    private final String serverName;
    private final String database;
    private final int maxBytes;
    /** What follows the batch size: {@code ,"poll_interval":"5s"}}}. */
    private final byte[] tailEnd;

    public EnvelopeFormat(String serverName, String database, String pollInterval, int maxBytes) {
        this.serverName = serverName;
        this.database = database;
        this.maxBytes = maxBytes;
        this.tailEnd = (",\"poll_interval\":" + Json.text(Json.NODES.textNode(pollInterval)) + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<OutputLine> lines(TableName table, String captureInstance, List<Change> changes) {
        byte[] head = head(table, captureInstance);
        String tableName = table.toString();
        List<OutputLine> lines = new ArrayList<>();
        LineBuffer buffer = new LineBuffer();
        try (JsonGenerator g = Json.generator(buffer)) {
            buffer.write(head, 0, head.length);
            int count = 0;
            Change last = null;
            for (Change change : changes) {
                int start = buffer.size();
                if (count > 0) {
                    buffer.write(',');
                }
                change(g, tableName, change);
                g.flush();
                int end = buffer.size();
                if (count > 0 && end + tailLength(count + 1) > maxBytes) {
                    // the line is full without this change: close it and start the next with the change
                    byte[] json = buffer.copy(start + 1, end);
                    buffer.truncate(start);
                    lines.add(close(buffer, count, last));
                    buffer.truncate(0);
                    buffer.write(head, 0, head.length);
                    buffer.write(json, 0, json.length);
                    count = 0;
                }
                count++;
                last = change;
            }
            if (count > 0) {
                lines.add(close(buffer, count, last));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format changes of " + table, e);
        }
        for (OutputLine line : lines) {
            if (line.bytes().length > maxBytes) {
                LOG.warn("{}: one change at {} is {} bytes as a line, more than max_message_bytes {}; written alone",
                        table, line.covers(), line.bytes().length, maxBytes);
            }
        }
        return lines;
    }

    /** Writes one change as a JSON object (no tree is built). */
    static void change(JsonGenerator g, String tableName, Change change) throws IOException {
        g.writeStartObject();
        g.writeStringField("table_name", tableName);
        g.writeStringField("change_type", change.type().envelopeName());
        g.writeFieldName("data");
        Json.writeRow(g, change.data());
        if (change.type() == ChangeType.UPDATE) {
            g.writeFieldName("before");
            Json.writeRow(g, change.before());
            g.writeFieldName("changed_columns");
            Json.writeStrings(g, change.changedColumns());
        }
        if (!change.unavailableColumns().isEmpty()) {
            g.writeFieldName("unavailable_columns");
            Json.writeStrings(g, change.unavailableColumns());
        }
        g.writeFieldName("timestamp");
        Json.writeCommitTime(g, change.commitTime());
        g.writeStringField("lsn", change.position().commitLsn().toString());
        g.writeStringField("seqval", change.position().seqval().toString());
        g.writeNumberField("command_id", change.position().commandId());
        g.writeEndObject();
    }

    private byte[] head(TableName table, String captureInstance) {
        var node = Json.object();
        node.put("table_name", table.toString());
        node.put("server_name", serverName);
        node.put("database", database);
        node.put("capture_instance", captureInstance);
        String json = Json.text(node);
        // the object without its closing brace, then the changes array opens
        return (json.substring(0, json.length() - 1) + ",\"changes\":[").getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes of {@code ],"metadata":{"batch_size":<n>,"poll_interval":".."}}}. */
    private int tailLength(int batchSize) {
        return TAIL_START.length + Integer.toString(batchSize).length() + tailEnd.length;
    }

    private OutputLine close(LineBuffer buffer, int batchSize, Change last) {
        buffer.write(TAIL_START, 0, TAIL_START.length);
        byte[] size = Integer.toString(batchSize).getBytes(StandardCharsets.US_ASCII);
        buffer.write(size, 0, size.length);
        buffer.write(tailEnd, 0, tailEnd.length);
        return new OutputLine(buffer.copy(0, buffer.size()), last.position(), batchSize);
    }
}
