package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The server of a test class ({@link TestServer}): by default a new embedded emulator (CDC enabled on its database
 * {@code testdb}); with {@code MSSQL_TEST_URL} set, that server, the tables a class created dropped after it. Short
 * poll intervals, and the providers a test started killed after it. Tests use their own tables, so they do not see
 * each other's changes.
 */
abstract class EmulatorTestBase {

    /** Waits for the provider and the capture job: longer against an external server ({@link TestServer#patience}). */
    static final Duration STARTUP = TestServer.patience(Duration.ofSeconds(20));
    static final Duration STREAM = TestServer.patience(Duration.ofSeconds(20));
    /** The contract: SIGTERM → exit 0 within 5 s. */
    static final Duration STOP = Duration.ofSeconds(5);

    static final String PASSWORD = "E2e-Secret-Passw0rd";
    /** The tables the provider creates by default: dropped with the tests' own on an external server. */
    private static final List<String> PROVIDER_TABLES = List.of("dbo.cdc_offsets", "dbo.dstream_snapshot_watermark");

    static TestServer server;
    /** The embedded emulator, for what only it can do; null against an external server (see {@link #assumeEmbedded}). */
    static Emulator emulator;
    static Db db;

    private final List<ProviderProcess> started = new ArrayList<>();

    @BeforeAll
    static void startEmulator() {
        use(TestServer.forTestClass(PASSWORD));
        PROVIDER_TABLES.forEach(db::own);
    }

    /** Makes this the server of the test class. */
    static void use(TestServer testServer) {
        server = testServer;
        emulator = testServer.emulator().orElse(null);
        db = testServer.db();
    }

    @AfterAll
    static void stopEmulator() {
        if (server != null) {
            server.close();
            server = null;
            emulator = null;
        }
    }

    /** Skips the test (or the class, from {@code @BeforeAll}) unless the server is the embedded emulator. */
    static void assumeEmbedded(String why) {
        Assumptions.assumeTrue(server != null && server.isEmbedded(), () -> "needs the embedded emulator: " + why);
    }

    @AfterEach
    void stopProviders() {
        started.forEach(ProviderProcess::close);
        started.clear();
    }

    /** A valid config for these tables: the server's connection string, 100 ms polls, no checkpoint delay. */
    static ObjectNode config(String... tables) {
        ObjectNode config = Json.object();
        config.put("db_connection_string", connectionString());
        ArrayNode list = config.putArray("tables");
        for (String table : tables) {
            list.add(table);
        }
        config.put("poll_interval", "100ms");
        config.put("max_poll_interval", "200ms");
        // a checkpoint as soon as a line is flushed, so that a restart resumes exactly after the last line
        // (the tests check the resume point); CheckpointDelayIT tests the default delay
        config.put("checkpoint_delay", "0s");
        config.putObject("lock_config").put("type", "none");
        return config;
    }

    /** Starts a provider (killed after the test if still running). */
    ProviderProcess start(String command, ObjectNode config) {
        if (config.hasNonNull("checkpoint_table")) {
            db.own(config.path("checkpoint_table").asText());
        }
        ProviderProcess provider = ProviderProcess.start(command, config);
        started.add(provider);
        return provider;
    }

    /** Starts {@code run} and waits for the handshake. */
    ProviderProcess run(ObjectNode config) {
        return start("run", config).awaitReady();
    }

    ProviderProcess track(ProviderProcess provider) {
        started.add(provider);
        return provider;
    }

    /** Stops a provider the way DStream does and checks the contract: exit 0 within 5 s. */
    static void stopCleanly(ProviderProcess provider) {
        provider.sigterm();
        int code = provider.awaitExit(STOP);
        if (code != 0) {
            throw new AssertionError("SIGTERM must end the provider with exit code 0, got " + code + "; stderr:\n"
                    + String.join("\n", provider.stderr()));
        }
    }

    /**
     * Waits for the change of this table that ends the test's script (the deterministic end of stream), then
     * returns every change of the table streamed so far ({@code envelope} format), in order.
     */
    static List<JsonNode> envelopeChangesUntil(ProviderProcess provider, String table, Predicate<JsonNode> last) {
        provider.awaitJson(line -> Changes.isEnvelopeOf(line, table)
                && stream(line.path("changes")).anyMatch(last), STREAM);
        return Changes.envelopeChanges(provider.stdout(), table);
    }

    /** The same for the {@code dstream} format (one line per change). */
    static List<JsonNode> dstreamChangesUntil(ProviderProcess provider, String table, Predicate<JsonNode> last) {
        provider.awaitJson(line -> table.equals(line.path("metadata").path("TableName").asText()) && last.test(line),
                STREAM);
        return Changes.dstreamChanges(provider.stdout(), table);
    }

    /** A change (either format) of this type for the row with this {@code id}. */
    static Predicate<JsonNode> change(String type, int id) {
        return c -> (type.equals(c.path("change_type").asText()) || type.equals(c.path("type").asText()))
                && c.path("data").path("id").asInt() == id;
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    /** Waits until every change committed so far is in the change tables (the capture job ran). */
    static void awaitCaptured() {
        server.awaitCaptured();
    }

    /** What the provider is given as {@code db_connection_string}. */
    static String connectionString() {
        return server.connectionString();
    }

    /** The server name the envelope carries by default: the host of the connection string. */
    static String serverName() {
        return server.host();
    }

    /** The database the tests' tables are in. */
    static String database() {
        return server.database();
    }
}
