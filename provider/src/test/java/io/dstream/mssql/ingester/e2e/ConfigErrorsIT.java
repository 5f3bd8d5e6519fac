package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every startup mistake of the contract: the first stdout line is {@code {"status":"error","message":…}}, the
 * message names what to fix, the exit code is 2, and the password appears nowhere.
 */
class ConfigErrorsIT extends EmulatorTestBase {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)\\s*=\\s*([^;]*)");
    private static final String WRONG_PASSWORD = "Wr0ng-Secret-4711";

    @BeforeAll
    static void tables() {
        db.createTracked("dbo", "cfg_ok", "id INT PRIMARY KEY, name NVARCHAR(20)");
        db.exec("CREATE TABLE dbo.cfg_plain (id INT PRIMARY KEY, name NVARCHAR(20))");
    }

    static Stream<Arguments> configMistakes() {
        return Stream.of(
                mistake("db_connection_string missing", c -> c.remove("db_connection_string"), "db_connection_string"),
                mistake("db_connection_string not a string", c -> c.put("db_connection_string", 42), "db_connection_string"),
                mistake("db_connection_string unparsable", c -> c.put("db_connection_string", "this is not a connection string"),
                        "db_connection_string"),
                mistake("JDBC connection string with an unknown property",
                        c -> c.put("db_connection_string", server.jdbcUrl() + ";colour=blue"), "unsupported JDBC property \"colour\""),
                mistake("connection string without a database",
                        c -> c.put("db_connection_string", withoutDatabase(connectionString())), "database"),
                mistake("tables missing", c -> c.remove("tables"), "tables"),
                mistake("tables empty", c -> c.putArray("tables"), "tables"),
                mistake("tables not an array", c -> c.put("tables", "dbo.cfg_ok"), "tables"),
                mistake("tables duplicated", c -> c.putArray("tables").add("dbo.cfg_ok").add("cfg_ok"), "dbo.cfg_ok"),
                mistake("a table listed three times", c -> c.putArray("tables").add("dbo.cfg_ok").add("cfg_ok").add("[dbo].[cfg_ok]"),
                        "lists \"dbo.cfg_ok\" (3 times); list each table once"),
                mistake("poll_interval a number", c -> c.put("poll_interval", 5), "poll_interval"),
                mistake("poll_interval not a Go duration", c -> c.put("poll_interval", "5 seconds"), "poll_interval"),
                mistake("poll_interval zero", c -> c.put("poll_interval", "0s"), "poll_interval"),
                mistake("max_poll_interval beyond Go's largest duration", c -> c.put("max_poll_interval", "2562048h"),
                        "max_poll_interval", "larger than the largest Go duration (2562047h47m16.854775807s"),
                mistake("max_poll_interval below poll_interval",
                        c -> c.put("poll_interval", "2s").put("max_poll_interval", "1s"), "max_poll_interval"),
                mistake("lock type unknown", c -> c.putObject("lock_config").put("type", "redis"), "lock_config"),
                mistake("azure_blob without its keys", c -> c.putObject("lock_config").put("type", "azure_blob"),
                        "connection_string", "container_name"),
                mistake("lease_duration out of range", c -> c.putObject("lock_config").put("type", "azure_blob")
                        .put("connection_string", "UseDevelopmentStorage=true").put("container_name", "locks")
                        .put("lease_duration", "5s"), "lease_duration"),
                mistake("start_position unknown", c -> c.put("start_position", "middle"), "start_position"),
                mistake("output_format unknown", c -> c.put("output_format", "xml"), "output_format"),
                mistake("max_message_bytes below 1024", c -> c.put("max_message_bytes", 100), "max_message_bytes"),
                mistake("max_rows_per_query not a number", c -> c.put("max_rows_per_query", "many"), "max_rows_per_query"),
                mistake("on_data_loss unknown", c -> c.put("on_data_loss", "ignore"), "on_data_loss"),
                mistake("heartbeat_interval not a duration", c -> c.put("heartbeat_interval", "often"), "heartbeat_interval"),
                mistake("confirm_destroy not a boolean", c -> c.put("confirm_destroy", "yes"), "confirm_destroy"),
                mistake("every problem at once", c -> c.put("poll_interval", "soon").put("max_message_bytes", 10)
                        .put("start_position", "middle"), "poll_interval", "max_message_bytes", "start_position"),
                mistake("table not found", c -> c.putArray("tables").add("dbo.cfg_ok").add("dbo.nope"), "dbo.nope"),
                mistake("table without CDC", c -> c.putArray("tables").add("dbo.cfg_plain"),
                        "dbo.cfg_plain", "sp_cdc_enable_table"),
                mistake("login failed", c -> c.put("db_connection_string", withPassword(connectionString(),
                        WRONG_PASSWORD)), "password"));
    }

    private static Arguments mistake(String name, Consumer<ObjectNode> change, String... mentions) {
        return Arguments.of(name, change, List.of(mentions));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configMistakes")
    void aMistakeIsReportedWithItsFix(String name, Consumer<ObjectNode> change, List<String> mentions) {
        ObjectNode config = config("dbo.cfg_ok");
        change.accept(config);
        ProviderProcess provider = track(ProviderProcess.start("run", config));

        JsonNode error = assertStartupError(provider, Duration.ofSeconds(15));
        for (String mention : mentions) {
            assertThat(error.path("message").asText()).as("the message names %s", mention).containsIgnoringCase(mention);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"300ms", "1.5s", "1m30s", "1h", "2h45m", "500000us", "500000µs", "250000000ns"})
    void goDurationsAreAccepted(String duration) {
        ObjectNode config = config("dbo.cfg_ok");
        config.put("poll_interval", duration);
        config.put("max_poll_interval", "3h");
        ProviderProcess provider = start("plan", config).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
    }

    @Test
    void malformedJson() {
        ProviderProcess provider = track(ProviderProcess.startWithStdin("{\"command\":\"run\",\"config\":{\"tables\":[",
                "malformed"));

        JsonNode error = assertStartupError(provider, Duration.ofSeconds(15));
        assertThat(error.path("message").asText()).containsIgnoringCase("JSON");
    }

    static Stream<Arguments> linesPastTheLimits() {
        String config = Json.write(config("dbo.cfg_ok"));
        String head = config.substring(0, config.length() - 1);
        return Stream.of(
                Arguments.of("a 2,000-digit number", head + ",\"max_message_bytes\":" + "7".repeat(2_000) + "}", "Number value length"),
                Arguments.of("2,000 nested arrays", head + ",\"x\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}", "nesting depth"),
                Arguments.of("a 60k-character key", head + ",\"" + "k".repeat(60_000) + "\":1}", "Name length"),
                Arguments.of("a 21 MB string", head + ",\"x\":\"" + "x".repeat(21_000_000) + "\"}", "longer than 1048576 bytes"));
    }

    /** Past Jackson's limits the provider used to die of a NullPointerException: exit 1, nothing on stdout. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("linesPastTheLimits")
    void aConfigLinePastTheLimitsIsReportedWithoutItsValue(String name, String line, String mention) {
        ProviderProcess provider = track(ProviderProcess.startWithStdin(line, "limits"));

        JsonNode error = assertStartupError(provider, Duration.ofSeconds(15));
        assertThat(error.path("message").asText()).contains(mention).contains("a config line may hold at most 1048576 bytes")
                .doesNotContain("7777777", "kkkkkkk", "xxxxxxx").hasSizeLessThan(1_000);
    }

    /** DStream writes the config line at once; a stdin that stays open and silent used to hold the provider forever. */
    @Test
    void aSilentStdinIsAnErrorAfter30Seconds() {
        ProviderProcess provider = track(ProviderProcess.startWithSilentStdin("silent"));
        provider.awaitStderr(line -> line.contains("INFO") && line.contains("waiting for the config line on stdin"), STARTUP);

        JsonNode error = assertStartupError(provider, Duration.ofSeconds(45));
        assertThat(error.path("message").asText()).contains("no complete config line on stdin within 30 s");
    }

    @Test
    void databaseWithoutCdc() {
        try (Emulator plain = Emulator.builder().database("nocdc").start()) {
            new Db(plain.jdbcUrl()).exec("CREATE TABLE dbo.t (id INT PRIMARY KEY)");
            ObjectNode config = config("dbo.t");
            config.put("db_connection_string", plain.connectionString());
            ProviderProcess provider = track(ProviderProcess.start("run", config));

            JsonNode error = assertStartupError(provider, Duration.ofSeconds(15));
            assertThat(error.path("message").asText()).contains("sp_cdc_enable_db");
        }
    }

    @Test
    void serverNotListening() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ObjectNode config = config("dbo.cfg_ok");
        config.put("db_connection_string", "server=127.0.0.1," + port + ";database=testdb;user id=sa;password="
                + WRONG_PASSWORD + ";encrypt=false");
        ProviderProcess provider = track(ProviderProcess.start("run", config));

        JsonNode error = assertStartupError(provider, Duration.ofSeconds(15));
        assertThat(error.path("message").asText()).as("names where it tried").contains(Integer.toString(port));
    }

    /** A server that accepts TCP connections but never answers: the login timeout must bound the startup. */
    @Test
    void serverNotAnswering() throws IOException {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            ObjectNode config = config("dbo.cfg_ok");
            config.put("db_connection_string", "server=127.0.0.1," + silent.getLocalPort()
                    + ";database=testdb;user id=sa;password=" + WRONG_PASSWORD + ";encrypt=false");
            long started = System.nanoTime();
            ProviderProcess provider = track(ProviderProcess.start("run", config));

            assertStartupError(provider, Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void unknownKeyIsAWarningNamingTheNearestKey() {
        ObjectNode config = config("dbo.cfg_ok");
        config.put("pol_interval", "1s");
        ProviderProcess provider = start("plan", config).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line)
                .contains("WARN").contains("pol_interval").contains("did you mean \"poll_interval\"?"));
    }

    /** The contract's checks for a startup failure; returns the error line. */
    private static JsonNode assertStartupError(ProviderProcess provider, Duration within) {
        String first = provider.firstLine(within);
        JsonNode error = Json.read(first);
        assertThat(error.path("status").asText()).as("first line %s", first).isEqualTo("error");
        assertThat(error.path("message").asText()).as("message").isNotBlank();
        assertThat(error.size()).as("only status and message in %s", first).isEqualTo(2);
        assertThat(provider.awaitExit(Duration.ofSeconds(10))).as("exit code").isEqualTo(2);
        assertThat(provider.stdout()).as("stdout after the error line").hasSize(1);
        assertThat(provider.stderr()).as("details on stderr").isNotEmpty();
        for (String secret : List.of(WRONG_PASSWORD, password(connectionString()))) {
            if (secret.length() >= 4) {
                assertThat(provider.stdout()).noneMatch(line -> line.contains(secret));
                assertThat(provider.stderr()).noneMatch(line -> line.contains(secret));
            }
        }
        return error;
    }

    static String password(String connectionString) {
        Matcher m = PASSWORD.matcher(connectionString);
        return m.find() ? m.group(2).trim() : "";
    }

    static String withPassword(String connectionString, String password) {
        return PASSWORD.matcher(connectionString).replaceFirst("$1=" + Matcher.quoteReplacement(password));
    }

    private static String withoutDatabase(String connectionString) {
        return connectionString.replaceAll("(?i)(databaseName|database|initial catalog)\\s*=\\s*[^;]*;?", "");
    }
}
