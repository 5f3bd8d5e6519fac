package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The default format: one line per batch of one table,
 * {@code {"table_name":..,"server_name":..,"database":..,"capture_instance":..,"changes":[..],"metadata":{"batch_size":n,"poll_interval":".."}}}.
 * Batches are cut by the bytes of the serialised line, so every line stays within
 * {@code max_message_bytes}; a change too large for a line on its own is handled as {@code oversized_change} says.
 *
 * <p>Each change is written once, by one generator per batch, straight into the line being built;
 * the closing part's length is known from the batch size alone, so nothing is serialised twice.
 */
public final class EnvelopeFormat implements ChangeFormat {

    private static final byte[] TAIL_START = "],\"metadata\":{\"batch_size\":".getBytes(StandardCharsets.UTF_8);

    private final String serverName;
    private final String database;
    private final LineLimit limit;
    /** What follows the batch size: {@code ,"poll_interval":"5s"}}}. */
    private final byte[] tailEnd;

    public EnvelopeFormat(String serverName, String database, String pollInterval, int maxBytes, OversizedChangePolicy oversized) {
        this.serverName = serverName;
        this.database = database;
        this.limit = new LineLimit(maxBytes, oversized);
        this.tailEnd = (",\"poll_interval\":" + Json.text(Json.NODES.textNode(pollInterval)) + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Formatted lines(TableName table, String captureInstance, List<Change> changes) {
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
                int jsonStart = buffer.size();
                change(g, tableName, change, Truncation.NONE);
                g.flush();
                int alone = head.length + buffer.size() - jsonStart + tailLength(1);
                if (limit.exceeds(alone)) {
                    // too long for any line: oversized_change says what is written instead, or the page stops before it
                    Optional<Truncation> fitted = limit.fit(table, change, alone,
                            t -> head.length + json(tableName, change, t).length + tailLength(1));
                    if (fitted.isEmpty()) {
                        buffer.truncate(start);
                        if (count > 0) {
                            lines.add(close(buffer, count, last));
                        }
                        return Formatted.stoppedBefore(lines, limit.stop(table, change, alone));
                    }
                    if (fitted.get() != Truncation.NONE) {
                        buffer.truncate(jsonStart);
                        change(g, tableName, change, fitted.get());
                        g.flush();
                    }
                }
                int end = buffer.size();
                if (count > 0 && limit.exceeds(end + tailLength(count + 1))) {
                    // the line is full without this change: close it and start the next with the change
                    byte[] json = buffer.copy(jsonStart, end);
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
        return Formatted.all(lines);
    }

    /** One change as JSON on its own, to measure it truncated. */
    private static byte[] json(String tableName, Change change, Truncation truncation) {
        LineBuffer buffer = new LineBuffer();
        try (JsonGenerator g = Json.generator(buffer)) {
            change(g, tableName, change, truncation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the change at " + change.position() + " of " + tableName, e);
        }
        return buffer.copy(0, buffer.size());
    }

    /** Writes one change as a JSON object (no tree is built), with the values {@code truncation} replaced as markers. */
    static void change(JsonGenerator g, String tableName, Change change, Truncation truncation) throws IOException {
        g.writeStartObject();
        g.writeStringField("table_name", tableName);
        g.writeStringField("change_type", change.type().envelopeName());
        g.writeFieldName("data");
        Json.writeRow(g, change.data(), truncation.data());
        if (change.type() == ChangeType.UPDATE) {
            g.writeFieldName("before");
            Json.writeRow(g, change.before(), truncation.before());
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
        byte[] json = Json.bytes(node);
        byte[] changesStart = ",\"changes\":[".getBytes(StandardCharsets.UTF_8);
        // the object without its closing brace, then the changes array opens
        byte[] head = Arrays.copyOf(json, json.length - 1 + changesStart.length);
        System.arraycopy(changesStart, 0, head, json.length - 1, changesStart.length);
        return head;
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
