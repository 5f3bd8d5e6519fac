package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.locking.LockConfig;
import io.dstream.mssql.ingester.locking.LockType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProviderConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode minimal() {
        ObjectNode config = JSON.createObjectNode();
        config.put("db_connection_string", "server=localhost,1433;database=testdb;user id=sa;password=Secret123;encrypt=false");
        config.putArray("tables").add("dbo.customers").add("sales.orders");
        return config;
    }

    private static List<String> problems(Consumer<ObjectNode> change) {
        ObjectNode config = minimal();
        change.accept(config);
        return catchThrowableOfType(ConfigException.class, () -> ProviderConfig.from(config)).problems();
    }

    @Test
    void defaults() throws ConfigException {
        ProviderConfig c = ProviderConfig.from(minimal());

        assertThat(c.tables()).containsExactly(new TableName("dbo", "customers"), new TableName("sales", "orders"));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxPollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.lockConfig().type()).isEqualTo(LockType.NONE);
        assertThat(c.checkpointTable()).isEqualTo(new TableName("dbo", "cdc_offsets"));
        assertThat(c.startPosition()).isEqualTo(StartFrom.EARLIEST);
        assertThat(c.outputFormat()).isEqualTo(OutputFormat.ENVELOPE);
        assertThat(c.maxMessageBytes()).isEqualTo(65000);
        assertThat(c.maxRowsPerQuery()).isEqualTo(5000);
        assertThat(c.onDataLoss()).isEqualTo(DataLossPolicy.FAIL);
        assertThat(c.serverName()).isEqualTo("localhost");
        assertThat(c.database()).isEqualTo("testdb");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.statsInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.confirmDestroy()).isFalse();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void oversizedChangeIsFailUnlessSetToWriteOrTruncate() throws ConfigException {
        assertThat(ProviderConfig.from(minimal()).oversizedChange()).isEqualTo(OversizedChangePolicy.FAIL);
        assertThat(ProviderConfig.from(minimal().put("oversized_change", "Truncate")).oversizedChange())
                .isEqualTo(OversizedChangePolicy.TRUNCATE);
        assertThat(ProviderConfig.from(minimal().put("oversized_change", "write")).oversizedChange())
                .isEqualTo(OversizedChangePolicy.WRITE);
        assertThat(problems(c -> c.put("oversized_change", "skip"))).containsExactly(
                "\"oversized_change\" must be one of \"fail\", \"write\", \"truncate\", got \"skip\"");
    }

    @Test
    void everyKeyCanBeSet() throws ConfigException {
        ObjectNode config = minimal();
        config.put("poll_interval", "300ms").put("max_poll_interval", "1m30s").put("checkpoint_table", "ops.offsets")
                .put("start_position", "latest").put("output_format", "dstream").put("max_message_bytes", 2048)
                .put("max_rows_per_query", 10).put("on_data_loss", "resume").put("server_name", "prod-sql")
                .put("heartbeat_interval", "10s").put("stats_interval", "5s").put("confirm_destroy", true);
        config.putObject("lock_config").put("type", "azure_blob").put("connection_string", "UseDevelopmentStorage=true")
                .put("container_name", "locks").put("lease_duration", "20s");

        ProviderConfig c = ProviderConfig.from(config);

        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.get(ConfigKeys.POLL_INTERVAL).text()).isEqualTo("300ms");
        assertThat(c.maxPollInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.checkpointTable()).isEqualTo(new TableName("ops", "offsets"));
        assertThat(c.startPosition()).isEqualTo(StartFrom.LATEST);
        assertThat(c.outputFormat()).isEqualTo(OutputFormat.DSTREAM);
        assertThat(c.maxMessageBytes()).isEqualTo(2048);
        assertThat(c.maxRowsPerQuery()).isEqualTo(10);
        assertThat(c.onDataLoss()).isEqualTo(DataLossPolicy.RESUME);
        assertThat(c.serverName()).isEqualTo("prod-sql");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.statsInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.confirmDestroy()).isTrue();
        assertThat(c.lockConfig()).isEqualTo(new LockConfig(LockType.AZURE_BLOB, "UseDevelopmentStorage=true", "locks", Duration.ofSeconds(20)));
    }

    @Test
    void requiredKeys() {
        assertThat(problems(c -> c.remove("db_connection_string"))).singleElement().asString()
                .startsWith("\"db_connection_string\" is required");
        assertThat(problems(c -> c.remove("tables"))).singleElement().asString().startsWith("\"tables\" is required");
    }

    @Test
    void eachWrongValueSaysWhatIsExpected() {
        assertThat(problems(c -> c.put("db_connection_string", 42))).containsExactly("\"db_connection_string\" must be a string, got a number");
        assertThat(problems(c -> c.put("tables", "dbo.x"))).containsExactly("\"tables\" must be an array of \"schema.table\" strings, got a string");
        assertThat(problems(c -> c.putArray("tables"))).containsExactly("\"tables\" must name at least one table (\"schema.table\")");
        assertThat(problems(c -> c.putArray("tables").add("dbo.a").add("a"))).containsExactly(
                "\"tables\" lists \"dbo.a\" (twice); list each table once");
        assertThat(problems(c -> c.putArray("tables").add("dbo.a").add("b").add("A").add("dbo.b").add("[dbo].[a]").add("c")))
                .containsExactly("\"tables\" lists \"dbo.a\" (3 times), \"dbo.b\" (twice); list each table once");
        assertThat(problems(c -> c.put("poll_interval", 5))).containsExactly("\"poll_interval\" must be a string, got a number");
        assertThat(problems(c -> c.put("poll_interval", "5 seconds"))).containsExactly(
                "\"poll_interval\" \"5 seconds\" is not a Go duration (examples: \"300ms\", \"5s\", \"1m30s\", \"1h\")");
        assertThat(problems(c -> c.put("poll_interval", "0s"))).containsExactly("\"poll_interval\" must be greater than zero, got \"0s\"");
        assertThat(problems(c -> c.put("max_poll_interval", "3000000h"))).containsExactly(
                "\"max_poll_interval\" \"3000000h\" is larger than the largest Go duration (2562047h47m16.854775807s, about 292 years)");
        assertThat(problems(c -> c.put("poll_interval", "2s").put("max_poll_interval", "1s"))).containsExactly(
                "\"max_poll_interval\" (1s) must be at least \"poll_interval\" (2s)");
        assertThat(problems(c -> c.put("start_position", "middle"))).containsExactly(
                "\"start_position\" must be one of \"earliest\", \"latest\", got \"middle\"");
        assertThat(problems(c -> c.put("output_format", "xml"))).containsExactly(
                "\"output_format\" must be one of \"envelope\", \"dstream\", got \"xml\"");
        assertThat(problems(c -> c.put("max_message_bytes", 100))).containsExactly("\"max_message_bytes\" must be at least 1024, got 100");
        assertThat(problems(c -> c.put("max_rows_per_query", "many"))).containsExactly("\"max_rows_per_query\" must be an integer, got a string");
        assertThat(problems(c -> c.put("on_data_loss", "ignore"))).containsExactly(
                "\"on_data_loss\" must be one of \"fail\", \"resume\", got \"ignore\"");
        assertThat(problems(c -> c.put("confirm_destroy", "yes"))).containsExactly("\"confirm_destroy\" must be true or false, got a string");
        assertThat(problems(c -> c.put("server_name", " "))).containsExactly("\"server_name\" must not be empty");
        assertThat(problems(c -> c.putArray("tables").add("cdc_offsets"))).singleElement().asString()
                .contains("checkpoint table dbo.cdc_offsets");
    }

    @Test
    void lockConfigProblems() {
        assertThat(problems(c -> c.putObject("lock_config").put("type", "redis"))).containsExactly(
                "\"lock_config\" type must be one of \"none\", \"azure_blob\", got \"redis\"");
        assertThat(problems(c -> c.putObject("lock_config"))).containsExactly(
                "\"lock_config\" needs \"type\": \"none\" or \"azure_blob\"");
        assertThat(problems(c -> c.putObject("lock_config").put("type", "azure_blob"))).containsExactly(
                "\"lock_config\" connection_string is required for type \"azure_blob\", or instead account_url with sas_token, or"
                        + " account_url alone to sign in with Microsoft Entra ID (managed identity, workload identity, AZURE_* variables,"
                        + " az login); container_name is required for type \"azure_blob\"");
        assertThat(problems(c -> c.putObject("lock_config").put("type", "azure_blob").put("connection_string", "x")
                .put("container_name", "c").put("lease_duration", "5s"))).containsExactly(
                "\"lock_config\" lease_duration must be between 15s and 60s (Azure Blob leases), got \"5s\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ObjectNode config = minimal();
        config.put("poll_interval", "soon").put("max_message_bytes", 10).put("start_position", "middle").remove("tables");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ProviderConfig.from(config));

        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage()).startsWith("4 configuration problems: ")
                .contains("tables").contains("poll_interval").contains("max_message_bytes").contains("start_position");
    }

    @Test
    void anUnknownKeyIsAWarningWithTheNearestKey() throws ConfigException {
        ObjectNode config = minimal();
        config.put("pol_interval", "1s").put("zzz", 1);

        ProviderConfig c = ProviderConfig.from(config);

        assertThat(c.warnings()).hasSize(2);
        assertThat(c.warnings().get(0)).isEqualTo("unknown config key \"pol_interval\" is ignored; did you mean \"poll_interval\"?");
        assertThat(c.warnings().get(1)).startsWith("unknown config key \"zzz\" is ignored; known keys: db_connection_string, tables");
    }

    @Test
    void theSecretNeverReachesMessagesOrToString() throws ConfigException {
        ObjectNode config = minimal();
        config.put("db_connection_string", "server=h;password=Secret123;colour=blue");

        assertThatThrownBy(() -> ProviderConfig.from(config)).hasMessageNotContaining("Secret123");
        assertThat(ProviderConfig.from(minimal()).toString()).doesNotContain("Secret123");
    }

    @Test
    void theReadmeTableListsEveryKeyOnce() {
        String table = ConfigKeys.markdownTable();

        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertThat(table).containsOnlyOnce("| `" + key.name() + "` |");
        }
        assertThat(table.lines()).hasSize(ConfigKeys.ALL.size() + 2);
    }
}
