package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.locking.LockConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, frozen. Built by {@link #from(JsonNode)}, which checks every key on its
 * own, then the combinations, and reports every problem at once.
 */
public final class ProviderConfig {

    private final Map<ConfigKey<?>, Object> values;
    private final List<String> warnings;

    private ProviderConfig(Map<ConfigKey<?>, Object> values, List<String> warnings) {
        this.values = Map.copyOf(values);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @throws ConfigException listing every problem, each saying what to fix
     */
    public static ProviderConfig from(JsonNode config) throws ConfigException {
        if (config == null || !config.isObject()) {
            throw new ConfigException("the config must be a JSON object with at least \"db_connection_string\" and \"tables\"");
        }
        Map<ConfigKey<?>, Object> values = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            JsonNode node = config.get(key.name());
            if (node == null || node.isNull()) {
                if (key.required()) {
                    problems.add("\"" + key.name() + "\" is required: " + key.description());
                } else {
                    values.put(key, key.defaultValue());
                }
                continue;
            }
            try {
                values.put(key, key.parser().parse(node));
            } catch (IllegalArgumentException e) {
                problems.add("\"" + key.name() + "\" " + e.getMessage());
            }
        }
        checkCombinations(values, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ProviderConfig(values, unknownKeyWarnings(config));
    }

    /**
     * The {@code log_format} a config asks for, read before the rest is validated, so that even a config
     * error is logged in it; empty when absent or invalid (validation then reports it).
     */
    public static Optional<LogFormat> logFormatOf(JsonNode config) {
        JsonNode node = config == null ? null : config.get(ConfigKeys.LOG_FORMAT.name());
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ConfigKeys.LOG_FORMAT.parser().parse(node));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void checkCombinations(Map<ConfigKey<?>, Object> values, List<String> problems) {
        GoDuration poll = (GoDuration) values.get(ConfigKeys.POLL_INTERVAL);
        GoDuration max = (GoDuration) values.get(ConfigKeys.MAX_POLL_INTERVAL);
        if (poll != null && max != null && max.duration().compareTo(poll.duration()) < 0) {
            problems.add("\"max_poll_interval\" (" + max + ") must be at least \"poll_interval\" (" + poll + ")");
        }
        TableName checkpoint = (TableName) values.get(ConfigKeys.CHECKPOINT_TABLE);
        @SuppressWarnings("unchecked")
        List<TableName> tables = (List<TableName>) values.get(ConfigKeys.TABLES);
        if (checkpoint != null && tables != null && tables.stream().anyMatch(t -> t.toString().equalsIgnoreCase(checkpoint.toString()))) {
            problems.add("\"tables\" lists the checkpoint table " + checkpoint + "; streaming it would feed back on itself");
        }
        TableName watermark = (TableName) values.get(ConfigKeys.SNAPSHOT_WATERMARK_TABLE);
        if (watermark != null && tables != null && values.get(ConfigKeys.SNAPSHOT_MODE) != SnapshotMode.NEVER
                && tables.stream().anyMatch(t -> t.toString().equalsIgnoreCase(watermark.toString()))) {
            problems.add("\"tables\" lists the snapshot watermark table " + watermark + "; its changes are the provider's own");
        }
    }

    private static List<String> unknownKeyWarnings(JsonNode config) {
        List<String> warnings = new ArrayList<>();
        List<String> known = ConfigKeys.ALL.stream().map(ConfigKey::name).toList();
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                warnings.add("unknown config key \"" + name + "\" is ignored" + KeySuggestions.hint(name, known));
            }
        }
        return warnings;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key);
    }

    /** Problems that do not stop the provider (unknown keys), for stderr. */
    public List<String> warnings() {
        return warnings;
    }

    public JdbcTarget target() {
        return get(ConfigKeys.DB_CONNECTION_STRING);
    }

    public List<TableName> tables() {
        return get(ConfigKeys.TABLES);
    }

    public String serverName() {
        String s = get(ConfigKeys.SERVER_NAME);
        return s.isEmpty() ? target().host() : s;
    }

    public String database() {
        return target().database();
    }

    public Duration pollInterval() {
        return get(ConfigKeys.POLL_INTERVAL).duration();
    }

    public Duration maxPollInterval() {
        return get(ConfigKeys.MAX_POLL_INTERVAL).duration();
    }

    public LockConfig lockConfig() {
        return get(ConfigKeys.LOCK_CONFIG);
    }

    public TableName checkpointTable() {
        return get(ConfigKeys.CHECKPOINT_TABLE);
    }

    public StartFrom startPosition() {
        return get(ConfigKeys.START_POSITION);
    }

    public OutputFormat outputFormat() {
        return get(ConfigKeys.OUTPUT_FORMAT);
    }

    public int maxMessageBytes() {
        return get(ConfigKeys.MAX_MESSAGE_BYTES);
    }

    public int maxRowsPerQuery() {
        return get(ConfigKeys.MAX_ROWS_PER_QUERY);
    }

    public DataLossPolicy onDataLoss() {
        return get(ConfigKeys.ON_DATA_LOSS);
    }

    public PositionAheadPolicy onPositionAhead() {
        return get(ConfigKeys.ON_POSITION_AHEAD);
    }

    public Duration checkpointDelay() {
        return get(ConfigKeys.CHECKPOINT_DELAY).duration();
    }

    public OversizedChangePolicy oversizedChange() {
        return get(ConfigKeys.OVERSIZED_CHANGE);
    }

    public SnapshotMode snapshotMode() {
        return get(ConfigKeys.SNAPSHOT_MODE);
    }

    public int snapshotChunkRows() {
        return get(ConfigKeys.SNAPSHOT_CHUNK_ROWS);
    }

    public TableName snapshotWatermarkTable() {
        return get(ConfigKeys.SNAPSHOT_WATERMARK_TABLE);
    }

    public Duration heartbeatInterval() {
        return get(ConfigKeys.HEARTBEAT_INTERVAL).duration();
    }

    public Duration statsInterval() {
        return get(ConfigKeys.STATS_INTERVAL).duration();
    }

    public LogFormat logFormat() {
        return get(ConfigKeys.LOG_FORMAT);
    }

    /** The secret values this config holds (SQL password or client secret, storage key or SAS), for the log mask. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(lockConfig().secretValues());
        if (target().password() != null) {
            secrets.add(target().password());
        }
        return secrets;
    }

    public boolean confirmDestroy() {
        return get(ConfigKeys.CONFIRM_DESTROY);
    }

    /** Without secrets: for the "config loaded" log line. */
    @Override
    public String toString() {
        return "tables=" + tables() + ", server=" + serverName() + ", database=" + database()
                + ", poll_interval=" + get(ConfigKeys.POLL_INTERVAL) + ", max_poll_interval=" + get(ConfigKeys.MAX_POLL_INTERVAL)
                + ", output_format=" + ConfigKeys.spelling(outputFormat()) + ", start_position=" + ConfigKeys.spelling(startPosition())
                + ", checkpoint_table=" + checkpointTable() + ", lock=" + ConfigKeys.spelling(lockConfig().type())
                + ", max_message_bytes=" + maxMessageBytes() + ", max_rows_per_query=" + maxRowsPerQuery()
                + ", on_data_loss=" + ConfigKeys.spelling(onDataLoss()) + ", on_position_ahead=" + ConfigKeys.spelling(onPositionAhead())
                + ", checkpoint_delay=" + get(ConfigKeys.CHECKPOINT_DELAY) + ", oversized_change=" + ConfigKeys.spelling(oversizedChange())
                + ", snapshot_mode=" + ConfigKeys.spelling(snapshotMode()) + ", snapshot_chunk_rows=" + snapshotChunkRows();
    }
}
