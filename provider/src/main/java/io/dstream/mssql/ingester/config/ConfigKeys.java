package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.locking.LockConfig;
import io.dstream.mssql.ingester.locking.LockType;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every configuration key the provider reads, with its type, default, check and description. */
public final class ConfigKeys {

    public static final ConfigKey<JdbcTarget> DB_CONNECTION_STRING = new ConfigKey<>("db_connection_string", "string", "required",
            "SQL Server connection string: ADO.NET (`server=host,1433;database=db;user id=u;password=p`), "
                    + "go-mssqldb URL (`sqlserver://u:p@host:1433?database=db`) or JDBC (`jdbc:sqlserver://host:1433;databaseName=db`). Must name a database.",
            v -> ConnectionStrings.parse(text(v)), null);
    public static final ConfigKey<List<TableName>> TABLES = new ConfigKey<>("tables", "array of strings", "required",
            "tables to stream, `schema.table` (bare name = `dbo`; brackets allowed: `[my schema].[odd]]name]`)",
            ConfigKeys::tables, null);
    public static final ConfigKey<GoDuration> POLL_INTERVAL = new ConfigKey<>("poll_interval", "Go duration", "5s",
            "shortest wait between polls of a table; must be > 0", v -> positive(duration(v)), GoDuration.parse("5s"));
    public static final ConfigKey<GoDuration> MAX_POLL_INTERVAL = new ConfigKey<>("max_poll_interval", "Go duration", "30s",
            "longest wait between polls of an idle table (the wait doubles from poll_interval up to this); must be >= poll_interval",
            v -> positive(duration(v)), GoDuration.parse("30s"));
    public static final ConfigKey<LockConfig> LOCK_CONFIG = new ConfigKey<>("lock_config", "object", "{\"type\":\"none\"}",
            "`{\"type\":\"none\"}` (single instance) or `{\"type\":\"azure_blob\",\"connection_string\":..,\"container_name\":..,\"lease_duration\":\"30s\"}` (lease per table, 15s-60s); instead of `connection_string`: `account_url` with `sas_token`, or `account_url` alone for Microsoft Entra ID sign-in (see Azure AD sign-in)",
            ConfigKeys::lockConfig, LockConfig.none());
    public static final ConfigKey<TableName> CHECKPOINT_TABLE = new ConfigKey<>("checkpoint_table", "string", "dbo.cdc_offsets",
            "table in the monitored database holding one checkpoint row per source table (created if missing)",
            v -> TableName.parse(text(v)), new TableName("dbo", "cdc_offsets"));
    public static final ConfigKey<StartFrom> START_POSITION = new ConfigKey<>("start_position", "`earliest`/`latest`", "earliest",
            "where a table without a checkpoint starts: its oldest retained change, or after the current maximum LSN",
            v -> choice(v, StartFrom.class), StartFrom.EARLIEST);
    public static final ConfigKey<OutputFormat> OUTPUT_FORMAT = new ConfigKey<>("output_format", "`envelope`/`dstream`", "envelope",
            "`envelope`: one line per batch of one table; `dstream`: one line per change",
            v -> choice(v, OutputFormat.class), OutputFormat.ENVELOPE);
    public static final ConfigKey<Integer> MAX_MESSAGE_BYTES = new ConfigKey<>("max_message_bytes", "integer", "65000",
            "largest stdout line in UTF-8 bytes (without the newline); at least 1024", v -> atLeast(integer(v), 1024), 65000);
    public static final ConfigKey<Integer> MAX_ROWS_PER_QUERY = new ConfigKey<>("max_rows_per_query", "integer", "5000",
            "change rows per query (page size); at least 2", v -> atLeast(integer(v), 2), 5000);
    public static final ConfigKey<DataLossPolicy> ON_DATA_LOSS = new ConfigKey<>("on_data_loss", "`fail`/`resume`", "fail",
            "when CDC cleanup purged changes not yet read: `fail` the table, or log an ERROR and `resume` from the oldest retained change",
            v -> choice(v, DataLossPolicy.class), DataLossPolicy.FAIL);
    public static final ConfigKey<PositionAheadPolicy> ON_POSITION_AHEAD = new ConfigKey<>("on_position_ahead",
            "`fail`/`restart_from_earliest`", "fail",
            "when a table's position is ahead of the database (restored from a backup, failed over to a lagging replica, "
                    + "re-created): `fail` the table, or log an ERROR and `restart_from_earliest` (its oldest retained change)",
            v -> choice(v, PositionAheadPolicy.class),
            PositionAheadPolicy.FAIL);
    public static final ConfigKey<GoDuration> CHECKPOINT_DELAY = new ConfigKey<>("checkpoint_delay", "Go duration", "10s",
            "a checkpoint only covers lines written at least this long ago, so that a crash of whatever reads stdout "
                    + "replays what was in flight instead of losing it; `0s` checkpoints as soon as a line is flushed",
            v -> notNegative(duration(v)), GoDuration.parse("10s"));
    public static final ConfigKey<OversizedChangePolicy> OVERSIZED_CHANGE = new ConfigKey<>("oversized_change",
            "`fail`/`write`/`truncate`", "fail",
            "a change whose line alone exceeds max_message_bytes: `fail` stops its table before it (ERROR; the others go on), "
                    + "`write` writes the long line anyway, `truncate` replaces its largest values by markers (see Output)",
            v -> choice(v, OversizedChangePolicy.class),
            OversizedChangePolicy.FAIL);
    public static final ConfigKey<SnapshotMode> SNAPSHOT_MODE = new ConfigKey<>("snapshot_mode", "`never`/`initial`/`initial_only`",
            "never",
            "`initial`: a table without a checkpoint first gets its existing rows (change_type `snapshot`, in key-ordered chunks "
                    + "interleaved with its live changes), then its changes; `initial_only`: snapshot the tables that need it, then exit 0 "
                    + "(see Snapshots)",
            v -> choice(v, SnapshotMode.class), SnapshotMode.NEVER);
    public static final ConfigKey<Integer> SNAPSHOT_CHUNK_ROWS = new ConfigKey<>("snapshot_chunk_rows", "integer", "5000",
            "rows per snapshot chunk (one keyset query each); at least 1", v -> atLeast(integer(v), 1), 5000);
    public static final ConfigKey<TableName> SNAPSHOT_WATERMARK_TABLE = new ConfigKey<>("snapshot_watermark_table", "string",
            "dbo.dstream_snapshot_watermark",
            "CDC-enabled table the provider writes a watermark to after each snapshot chunk (created and CDC-enabled if missing "
                    + "when snapshot_mode is not `never`, which needs db_owner once)",
            v -> TableName.parse(text(v)), new TableName("dbo", "dstream_snapshot_watermark"));
    public static final ConfigKey<String> SERVER_NAME = new ConfigKey<>("server_name", "string", "host of the connection string",
            "the `server_name` of the output (and of the lock names)", ConfigKeys::nonBlank, "");
    public static final ConfigKey<GoDuration> HEARTBEAT_INTERVAL = new ConfigKey<>("heartbeat_interval", "Go duration", "1m",
            "how often an idle table's checkpoint is advanced to the upper bound it read to", v -> positive(duration(v)), GoDuration.parse("1m"));
    public static final ConfigKey<GoDuration> STATS_INTERVAL = new ConfigKey<>("stats_interval", "Go duration", "1m",
            "how often per-table statistics are logged on stderr", v -> positive(duration(v)), GoDuration.parse("1m"));
    public static final ConfigKey<LogFormat> LOG_FORMAT = new ConfigKey<>("log_format", "`text`/`json`", "text",
            "stderr log lines: `text` (`[MSSQL-CDC] <time> <LEVEL> <logger> - <message>`) or `json` (one object per line, "
                    + "with `table` where a line is about one; see Logs)",
            v -> choice(v, LogFormat.class), LogFormat.TEXT);
    public static final ConfigKey<Optional<MetricsAddress>> METRICS_ADDRESS = new ConfigKey<>("metrics_address", "string",
            "none (off)",
            "`host:port` (`:port` = every interface; port `0` = any free one, logged) where `run` serves Prometheus metrics "
                    + "at `/metrics` and liveness at `/-/healthy` and `/healthz` (see Metrics)",
            v -> MetricsAddress.parse(text(v)), Optional.empty());
    public static final ConfigKey<Boolean> CONFIRM_DESTROY = new ConfigKey<>("confirm_destroy", "boolean", "false",
            "`destroy` deletes the tables' checkpoint rows only when this is true", ConfigKeys::bool, false);

    public static final List<ConfigKey<?>> ALL = List.of(DB_CONNECTION_STRING, TABLES, POLL_INTERVAL, MAX_POLL_INTERVAL,
            LOCK_CONFIG, CHECKPOINT_TABLE, START_POSITION, OUTPUT_FORMAT, MAX_MESSAGE_BYTES, MAX_ROWS_PER_QUERY,
            ON_DATA_LOSS, ON_POSITION_AHEAD, CHECKPOINT_DELAY, OVERSIZED_CHANGE, SNAPSHOT_MODE, SNAPSHOT_CHUNK_ROWS,
            SNAPSHOT_WATERMARK_TABLE, SERVER_NAME, HEARTBEAT_INTERVAL, STATS_INTERVAL,
            LOG_FORMAT, METRICS_ADDRESS, CONFIRM_DESTROY);

    private static final Duration MIN_LEASE = Duration.ofSeconds(15);
    private static final Duration MAX_LEASE = Duration.ofSeconds(60);

    private ConfigKeys() {
    }

    /** Prints the README's configuration table: {@code java -cp <provider jar> io.dstream.mssql.ingester.config.ConfigKeys}. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }

    /** The README's configuration table (markdown), generated from the declarations. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : ALL) {
            sb.append("| `").append(key.name()).append("` | ").append(key.type()).append(" | ")
                    .append(key.required() || key.defaultText().contains(" ") ? key.defaultText() : "`" + key.defaultText() + "`").append(" | ")
                    .append(key.description()).append(" |\n");
        }
        return sb.toString();
    }

    static String text(JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException("must be a string, got " + describe(v));
        }
        return v.asText();
    }

    private static String nonBlank(JsonNode v) {
        String s = text(v);
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }

    private static GoDuration duration(JsonNode v) {
        return GoDuration.parse(text(v));
    }

    private static GoDuration positive(GoDuration d) {
        if (d.duration().isNegative() || d.duration().isZero()) {
            throw new IllegalArgumentException("must be greater than zero, got \"" + d.text() + "\"");
        }
        return d;
    }

    private static GoDuration notNegative(GoDuration d) {
        if (d.duration().isNegative()) {
            throw new IllegalArgumentException("must not be negative, got \"" + d.text() + "\"");
        }
        return d;
    }

    private static int integer(JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("must be an integer, got " + describe(v));
        }
        return v.intValue();
    }

    private static int atLeast(int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static boolean bool(JsonNode v) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("must be true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    /** How a choice is spelled in the config: its constant's name in lower case ({@code restart_from_earliest}). */
    public static String spelling(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose {@link #spelling} the value is (case and surrounding blanks ignored). */
    private static <E extends Enum<E>> E choice(JsonNode v, Class<E> type) {
        String s = text(v).strip().toLowerCase(Locale.ROOT);
        E[] allowed = type.getEnumConstants();
        for (E a : allowed) {
            if (spelling(a).equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("must be one of " + String.join(", ",
                quoted(java.util.Arrays.stream(allowed).map(ConfigKeys::spelling).toArray(String[]::new)))
                + ", got \"" + v.asText() + "\"");
    }

    private static List<TableName> tables(JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("must be an array of \"schema.table\" strings, got " + describe(v));
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("must name at least one table (\"schema.table\")");
        }
        List<TableName> tables = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // names compare case-insensitively (SQL Server's default collation); the first spelling is the one reported
        Map<String, TableName> firstSpelling = new LinkedHashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode entry : v) {
            try {
                TableName t = TableName.parse(text(entry));
                String key = t.toString().toLowerCase(Locale.ROOT);
                firstSpelling.putIfAbsent(key, t);
                count.merge(key, 1, Integer::sum);
                tables.add(t);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        List<String> repeated = new ArrayList<>();
        firstSpelling.forEach((key, t) -> {
            int n = count.get(key);
            if (n > 1) {
                repeated.add("\"" + t + "\" (" + (n == 2 ? "twice" : n + " times") + ")");
            }
        });
        if (!repeated.isEmpty()) {
            problems.add("lists " + String.join(", ", repeated) + "; list each table once");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return List.copyOf(tables);
    }

    private static LockConfig lockConfig(JsonNode v) {
        if (!v.isObject()) {
            throw new IllegalArgumentException("must be an object like {\"type\":\"none\"}, got " + describe(v));
        }
        JsonNode typeNode = v.get("type");
        if (typeNode == null) {
            throw new IllegalArgumentException("needs \"type\": \"none\" or \"azure_blob\"");
        }
        LockType type = lockType(typeNode);
        if (type == LockType.NONE) {
            return LockConfig.none();
        }
        List<String> problems = new ArrayList<>();
        String connection = v.has("connection_string") ? requiredText(v, "connection_string", problems) : null;
        String accountUrl = v.has("account_url") ? requiredText(v, "account_url", problems) : null;
        String sasToken = v.has("sas_token") ? requiredText(v, "sas_token", problems) : null;
        if (v.has("connection_string") && v.has("account_url")) {
            problems.add("give either connection_string or account_url (with sas_token, or alone for Microsoft Entra ID"
                    + " sign-in), not both");
        } else if (!v.has("connection_string") && !v.has("account_url")) {
            problems.add("connection_string is required for type \"azure_blob\", or instead account_url with sas_token, or"
                    + " account_url alone to sign in with Microsoft Entra ID (managed identity, workload identity, AZURE_* variables, az login)");
        } else if (v.has("sas_token") && !v.has("account_url")) {
            problems.add("sas_token goes with account_url; in a connection string write SharedAccessSignature=... instead");
        }
        if (accountUrl != null) {
            accountUrlProblem(accountUrl.strip(), sasToken != null).ifPresent(problems::add);
        }
        String container = requiredText(v, "container_name", problems);
        Duration lease = LockConfig.DEFAULT_LEASE_DURATION;
        JsonNode leaseNode = v.get("lease_duration");
        if (leaseNode != null) {
            try {
                lease = duration(leaseNode).duration();
                if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
                    problems.add("lease_duration must be between 15s and 60s (Azure Blob leases), got \"" + leaseNode.asText() + "\"");
                }
            } catch (IllegalArgumentException e) {
                problems.add("lease_duration " + e.getMessage());
            }
        }
        v.fieldNames().forEachRemaining(name -> {
            if (!Set.of("type", "connection_string", "account_url", "sas_token", "container_name", "lease_duration").contains(name)) {
                problems.add("unknown key \"" + name + "\" (known: type, connection_string, account_url, sas_token,"
                        + " container_name, lease_duration)");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LockConfig(type, connection, accountUrl == null ? null : accountUrl.strip(), sasToken, container, lease);
    }

    /** An account URL is the blob endpoint alone: the SAS goes in sas_token, and Entra tokens travel over HTTPS only. */
    private static Optional<String> accountUrlProblem(String accountUrl, boolean withSas) {
        URI uri;
        try {
            uri = new URI(accountUrl);
        } catch (URISyntaxException e) {
            return Optional.of("account_url is not a URL; give the blob endpoint, e.g. https://<account>.blob.core.windows.net");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return Optional.of("account_url must be the blob endpoint, e.g. https://<account>.blob.core.windows.net");
        }
        if (uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            return Optional.of("account_url must be the blob endpoint alone; give a SAS token as sas_token");
        }
        if (!withSas && !scheme.equals("https")) {
            return Optional.of("account_url must start with https:// for Microsoft Entra ID sign-in (Azure sends tokens over"
                    + " HTTPS only); for a storage emulator over http give a sas_token or a connection_string");
        }
        return Optional.empty();
    }

    private static LockType lockType(JsonNode typeNode) {
        try {
            return choice(typeNode, LockType.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type " + e.getMessage());
        }
    }

    private static String requiredText(JsonNode parent, String key, List<String> problems) {
        JsonNode node = parent.get(key);
        if (node == null || (node.isTextual() && node.asText().isBlank())) {
            problems.add(key + " is required for type \"azure_blob\"");
            return null;
        }
        if (!node.isTextual()) {
            problems.add(key + " must be a string, got " + describe(node));
            return null;
        }
        return node.asText();
    }

    private static List<String> quoted(String... values) {
        List<String> q = new ArrayList<>();
        for (String s : values) {
            q.add("\"" + s + "\"");
        }
        return q;
    }

    /** Names a JSON value's type without echoing it (it might be a secret). */
    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isNull()) {
            return "null";
        }
        return v.isArray() ? "an array" : "an object";
    }
}
