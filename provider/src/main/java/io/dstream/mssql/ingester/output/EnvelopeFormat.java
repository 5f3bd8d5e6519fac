package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.config.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The default format: one line per batch of one table,
 * {@code {"table_name":..,"server_name":..,"database":..,"capture_instance":..,"changes":[..],"metadata":{"batch_size":n,"poll_interval":".."}}}.
 * Batches are cut by the bytes of the serialised line, so every line stays within
 * {@code max_message_bytes}; a change too large for a line on its own is written alone anyway.
 */
public final class EnvelopeFormat implements ChangeFormat {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeFormat.class);

    private final String serverName;
    private final String database;
    private final String pollInterval;
    private final int maxBytes;

    public EnvelopeFormat(String serverName, String database, String pollInterval, int maxBytes) {
        this.serverName = serverName;
        this.database = database;
        this.pollInterval = pollInterval;
        this.maxBytes = maxBytes;
    }

    @Override
    public List<OutputLine> lines(TableName table, String captureInstance, List<Change> changes) {
        byte[] head = head(table, captureInstance);
        List<OutputLine> lines = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        List<Change> pendingChanges = new ArrayList<>();
        int pendingBytes = 0;
        for (Change change : changes) {
            byte[] json = Json.bytes(change(table, change));
            int withIt = head.length + pendingBytes + (pending.isEmpty() ? 0 : 1) + json.length + tail(pending.size() + 1).length;
            if (!pending.isEmpty() && withIt > maxBytes) {
                lines.add(line(head, pending, pendingChanges));
                pending = new ArrayList<>();
                pendingChanges = new ArrayList<>();
                pendingBytes = 0;
            }
            pendingBytes += (pending.isEmpty() ? 0 : 1) + json.length;
            pending.add(json);
            pendingChanges.add(change);
        }
        if (!pending.isEmpty()) {
            lines.add(line(head, pending, pendingChanges));
        }
        for (OutputLine line : lines) {
            if (line.bytes().length > maxBytes) {
                LOG.warn("{}: one change at {} is {} bytes as a line, more than max_message_bytes {}; written alone",
                        table, line.covers(), line.bytes().length, maxBytes);
            }
        }
        return lines;
    }

    static ObjectNode change(TableName table, Change change) {
        ObjectNode node = Json.object();
        node.put("table_name", table.toString());
        node.put("change_type", change.type().envelopeName());
        node.set("data", Json.row(change.data()));
        if (change.type() == ChangeType.UPDATE) {
            node.set("before", Json.row(change.before()));
            node.set("changed_columns", Json.strings(change.changedColumns()));
        }
        if (!change.unavailableColumns().isEmpty()) {
            node.set("unavailable_columns", Json.strings(change.unavailableColumns()));
        }
        node.set("timestamp", Json.commitTime(change.commitTime()));
        node.put("lsn", change.position().commitLsn().toString());
        node.put("seqval", change.position().seqval().toString());
        node.put("command_id", change.position().commandId());
        return node;
    }

    private byte[] head(TableName table, String captureInstance) {
        ObjectNode node = Json.object();
        node.put("table_name", table.toString());
        node.put("server_name", serverName);
        node.put("database", database);
        node.put("capture_instance", captureInstance);
        String json = Json.text(node);
        // the object without its closing brace, then the changes array opens
        return (json.substring(0, json.length() - 1) + ",\"changes\":[").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] tail(int batchSize) {
        ObjectNode metadata = Json.object();
        metadata.put("batch_size", batchSize);
        metadata.put("poll_interval", pollInterval);
        return ("],\"metadata\":" + Json.text(metadata) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private OutputLine line(byte[] head, List<byte[]> changes, List<Change> covered) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        for (int i = 0; i < changes.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(changes.get(i));
        }
        out.writeBytes(tail(changes.size()));
        return new OutputLine(out.toByteArray(), covered.get(covered.size() - 1).position(), covered.size());
    }
}
