package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max_message_bytes}: every stdout line stays within it (UTF-8 bytes), however many changes wait; a single
 * change too big for any line is never dropped silently: {@code oversized_change} stops its table before it
 * ({@code fail}), writes it alone ({@code write}) or replaces its large values by markers ({@code truncate}).
 */
class MessageSizeIT extends EmulatorTestBase {

    private static final int LIMIT = 1024;

    @Test
    void noLineIsLongerThanTheLimit() {
        db.createTracked("dbo", "ms_many", "id INT PRIMARY KEY, payload NVARCHAR(200)");
        ObjectNode config = config("dbo.ms_many");
        config.put("max_message_bytes", LIMIT);
        ProviderProcess provider = run(config);

        // multi-byte characters: the limit is in UTF-8 bytes, not in characters
        String payload = "ü✓ ".repeat(20);
        for (int batch = 0; batch < 3; batch++) {
            List<String> statements = new ArrayList<>();
            for (int id = batch * 100 + 1; id <= batch * 100 + 100; id++) {
                statements.add("INSERT INTO dbo.ms_many VALUES (" + id + ", N'" + payload + "')");
            }
            db.tx(statements.toArray(String[]::new));
        }

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_many", change("insert", 300));
        assertThat(Changes.ids(changes)).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
        assertThat(provider.stdout()).allSatisfy(line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).as("bytes of %s", line).isLessThanOrEqualTo(LIMIT));
        assertThat(changes.get(0).path("data").path("payload").asText()).isEqualTo(payload);
    }

    /** The default (65000) keeps lines under the DStream CLI's 64 KiB line limit when much is waiting. */
    @Test
    void theDefaultLimitFitsTheDstreamLineLimit() {
        db.createTracked("dbo", "ms_default", "id INT PRIMARY KEY, payload NVARCHAR(200)");
        ProviderProcess provider = run(config("dbo.ms_default"));

        String payload = "p".repeat(150);
        List<String> statements = new ArrayList<>();
        for (int id = 1; id <= 1000; id++) {
            statements.add("INSERT INTO dbo.ms_default VALUES (" + id + ", N'" + payload + "')");
        }
        db.tx(statements.toArray(String[]::new));

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_default", change("insert", 1000));
        assertThat(changes).hasSize(1000);
        assertThat(provider.stdout()).allSatisfy(line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65000));
    }

    /**
     * {@code oversized_change: fail} (the default): the table stops before the change, writing nothing of it; the
     * other tables go on; a restart stops at the same change again, and exits 1 once no table is left.
     */
    @Test
    void withFailTheTableStopsBeforeTheChangeAndARestartStopsThereAgain() {
        db.createTracked("dbo", "ms_fail", "id INT PRIMARY KEY, payload NVARCHAR(MAX)");
        db.createTracked("dbo", "ms_other", "id INT PRIMARY KEY, v INT");
        ObjectNode config = config("dbo.ms_fail", "dbo.ms_other");
        config.put("max_message_bytes", LIMIT);
        ProviderProcess provider = run(config);

        String big = "x".repeat(3000);
        db.tx("INSERT INTO dbo.ms_fail VALUES (1, N'small')");
        db.tx("INSERT INTO dbo.ms_fail VALUES (2, N'" + big + "')");
        db.tx("INSERT INTO dbo.ms_fail VALUES (3, N'small')");
        String error = provider.awaitStderr(line -> line.contains("ERROR") && line.contains("dbo.ms_fail"), STREAM);
        db.exec("INSERT INTO dbo.ms_other VALUES (1, 1)");

        envelopeChangesUntil(provider, "dbo.ms_other", change("insert", 1));
        assertThat(provider.isAlive()).as("the other table goes on").isTrue();
        List<JsonNode> written = Changes.envelopeChanges(provider.stdout(), "dbo.ms_fail");
        assertThat(Changes.ids(written)).as("the table stops before the oversized change").containsExactly(1);
        assertThat(provider.stdout()).allSatisfy(line -> assertThat(bytes(line)).isLessThanOrEqualTo(LIMIT));
        String lsn = lsnIn(error);
        assertThat(lsn.replace(":", "")).as("the change named is after the last written").isGreaterThan(Changes.lsnHex(written.get(0)));
        assertThat(error).contains("payload (3000 bytes)", "max_message_bytes 1024", "oversized_change", "truncate", "write");
        stopCleanly(provider);
        db.checkpoint("dbo.ms_fail").ifPresent(row -> assertThat(Db.lsnHex(row.get("last_lsn")))
                .as("the checkpoint does not pass the oversized change").isLessThan(lsn.replace(":", "")));

        ObjectNode alone = config("dbo.ms_fail");
        alone.put("max_message_bytes", LIMIT);
        ProviderProcess restarted = run(alone);

        assertThat(restarted.awaitExit(STREAM)).as("exit 1: every table failed").isEqualTo(1);
        assertThat(Changes.ids(Changes.envelopeChanges(restarted.stdout(), "dbo.ms_fail"))).isSubsetOf(1);
        assertThat(restarted.stderr()).anySatisfy(line -> assertThat(line).contains("ERROR", "dbo.ms_fail", "LSN " + lsn));
    }

    /** A table that was retrying an error and then stops before an oversized change is not reported as recovered. */
    @Test
    void aTableStoppedAfterARetriedErrorIsNotReportedRecovered() {
        assumeEmbedded("it pauses the capture job and injects error 1205 into the provider's next statement");
        db.createTracked("dbo", "ms_retried", "id INT PRIMARY KEY, payload NVARCHAR(MAX)");
        ObjectNode config = config("dbo.ms_retried");
        config.put("max_message_bytes", LIMIT);
        ProviderProcess provider = run(config);
        db.exec("INSERT INTO dbo.ms_retried VALUES (1, N'small')");
        envelopeChangesUntil(provider, "dbo.ms_retried", change("insert", 1));

        emulator.pauseCapture();
        db.exec("INSERT INTO dbo.ms_retried VALUES (2, N'" + "x".repeat(3000) + "')");
        emulator.injectError(1205, 0);
        provider.awaitStderr(line -> line.contains("WARN") && line.contains("dbo.ms_retried") && line.contains("retrying"), STREAM);
        emulator.resumeCapture();

        assertThat(provider.awaitExit(STREAM)).as("exit 1: every table failed").isEqualTo(1);
        List<String> stderr = provider.stderr();
        int stopped = stderr.indexOf(stderr.stream().filter(l -> l.contains("ERROR") && l.contains("dbo.ms_retried")).findFirst().orElseThrow());
        assertThat(stderr.subList(stopped, stderr.size())).noneMatch(line -> line.contains("recovered"));
    }

    @Test
    void withWriteAChangeTooLargeForAnyLineIsWrittenAloneWithAWarning() {
        db.createTracked("dbo", "ms_big", "id INT PRIMARY KEY, payload NVARCHAR(MAX)");
        ObjectNode config = config("dbo.ms_big");
        config.put("max_message_bytes", LIMIT);
        config.put("oversized_change", "write");
        ProviderProcess provider = run(config);

        String big = "x".repeat(3000);
        db.tx("INSERT INTO dbo.ms_big VALUES (1, N'small')",
                "INSERT INTO dbo.ms_big VALUES (2, N'" + big + "')",
                "INSERT INTO dbo.ms_big VALUES (3, N'small')");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_big", change("insert", 3));
        assertThat(Changes.ids(changes)).containsExactly(1, 2, 3);
        assertThat(changes.get(1).path("data").path("payload").asText()).isEqualTo(big);
        String bigLine = provider.stdout().stream().filter(l -> l.contains(big)).findFirst().orElseThrow();
        assertThat(Json.read(bigLine).path("changes")).as("the oversized change is alone in its line").hasSize(1);
        assertThat(provider.stdout()).filteredOn(l -> !l.contains(big)).allSatisfy(line ->
                assertThat(bytes(line)).isLessThanOrEqualTo(LIMIT));
        // stderr is read on its own thread: the warning may arrive after the line it warns about
        provider.awaitStderr(line -> line.contains("WARN") && line.contains("dbo.ms_big") && line.contains("oversized_change=write"),
                STREAM);
    }

    /**
     * {@code oversized_change: truncate}, default limit: a 200 KB {@code nvarchar(max)} insert (a 205 KB line) and an
     * update of it (410 KB with both images) arrive with the value replaced by a marker carrying its size and SHA-256.
     */
    @Test
    void withTruncateLargeValuesBecomeMarkersWithTheirSizeAndSha256() throws Exception {
        db.createTracked("dbo", "ms_trunc", "id INT PRIMARY KEY, title NVARCHAR(100), body NVARCHAR(MAX)");
        ObjectNode config = config("dbo.ms_trunc");
        config.put("oversized_change", "truncate");
        config.put("output_format", "dstream");
        ProviderProcess provider = run(config);

        String first = "x".repeat(204800);
        String second = "y".repeat(204800);
        db.tx("INSERT INTO dbo.ms_trunc VALUES (1, N'Manual', N'" + first + "')");
        db.tx("UPDATE dbo.ms_trunc SET body = N'" + second + "' WHERE id = 1");
        db.tx("INSERT INTO dbo.ms_trunc VALUES (2, N'Note', N'short')");

        List<JsonNode> changes = dstreamChangesUntil(provider, "dbo.ms_trunc", change("insert", 2));
        assertThat(changes).extracting(c -> c.path("type").asText()).containsExactly("insert", "update", "insert");
        assertThat(provider.stdout()).allSatisfy(line -> assertThat(bytes(line)).isLessThanOrEqualTo(65000));
        assertThat(changes.get(0).path("data").path("title").asText()).isEqualTo("Manual");
        assertThat(changes.get(0).path("data").path("body")).isEqualTo(marker(first));
        assertThat(changes.get(1).path("data").path("body")).isEqualTo(marker(second));
        assertThat(changes.get(1).path("metadata").path("Before").path("body")).isEqualTo(marker(first));
        assertThat(changes.get(2).path("data").path("body").asText()).isEqualTo("short");
        // stderr is read on its own thread: the second ERROR may arrive after the last stdout line
        await().atMost(STREAM).until(() -> provider.stderr().stream()
                .filter(line -> line.contains("ERROR") && line.contains("dbo.ms_trunc")).count() >= 2);
        assertThat(provider.stderr()).filteredOn(line -> line.contains("ERROR") && line.contains("dbo.ms_trunc"))
                .hasSize(2).allSatisfy(line -> assertThat(line).contains("body (204800 bytes)", "oversized_change=truncate"));
        stopCleanly(provider);
    }

    /** A character outside the BMP reaches stdout as its 4 UTF-8 bytes, not as a 12-byte escaped surrogate pair. */
    @Test
    void anEmojiIsWrittenAsItsFourUtf8Bytes() {
        db.createTracked("dbo", "ms_emoji", "id INT PRIMARY KEY, name NVARCHAR(100)");
        ProviderProcess provider = run(config("dbo.ms_emoji"));

        String text = "smile \uD83D\uDE00 and \uD83D\uDC4D";
        db.exec("INSERT INTO dbo.ms_emoji VALUES (1, " + Db.nstring(text) + ")");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_emoji", change("insert", 1));
        assertThat(changes.get(0).path("data").path("name").asText()).isEqualTo(text);
        String line = provider.stdout().stream().filter(l -> l.contains("dbo.ms_emoji")).findFirst().orElseThrow();
        // a UTF-8 decoder yields U+1F600 only from its 4 bytes F0 9F 98 80; an escape would stay the 12 characters \uD83D\uDE00
        assertThat(line).contains(text).doesNotContain("\\u");
        assertThat(bytes(line)).isEqualTo(line.length() + 2 * 2); // each of the 2 emoji: 2 UTF-16 chars, 4 UTF-8 bytes
        stopCleanly(provider);
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The LSN an oversized-change message names. */
    private static String lsnIn(String message) {
        Matcher m = Pattern.compile("LSN ([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4})").matcher(message);
        assertThat(m.find()).as("an LSN in %s", message).isTrue();
        return m.group(1);
    }

    /** The documented marker of a truncated value. */
    private static JsonNode marker(String value) throws Exception {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        return Json.read("{\"truncated\":true,\"bytes\":" + utf8.length + ",\"sha256\":\"" + sha256 + "\"}");
    }
}
