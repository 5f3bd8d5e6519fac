package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first stdin line: a DStream envelope {@code {"command":"run","config":{...}}} or, as a fallback,
 * the bare config object. Only that one line is read: DStream may keep stdin open or close it right
 * away, and neither means anything.
 *
 * <p>The line is bounded so that no input can exhaust memory or break the parser: at most
 * {@link #MAX_LINE_BYTES}, nested at most {@link #MAX_NESTING_DEPTH} levels, numbers of at most
 * {@link #MAX_NUMBER_DIGITS} digits, keys of at most {@link #MAX_KEY_CHARS} characters. A real config
 * is a few kilobytes, three levels deep, with keys of under 30 characters.
 */
public record Request(Command command, JsonNode config) {

    /** DStream writes the line as soon as it starts the provider; a silent stdin is a mistake, not a slow sender. */
    public static final Duration LINE_DEADLINE = Duration.ofSeconds(30);
    /** 1 MiB: room for thousands of table names. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_NUMBER_DIGITS = 100;
    public static final int MAX_KEY_CHARS = 256;

    static final String LIMITS = "a config line may hold at most " + MAX_LINE_BYTES + " bytes (1 MiB), nest objects and "
            + "arrays at most " + MAX_NESTING_DEPTH + " levels deep, and use numbers of at most " + MAX_NUMBER_DIGITS
            + " digits and keys of at most " + MAX_KEY_CHARS + " characters";
    private static final String EXPECTED = "send one JSON line, {\"command\":\"run\",\"config\":{...}} or the bare config object";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_LINE_BYTES)
                    .maxStringLength(MAX_LINE_BYTES)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .maxNameLength(MAX_KEY_CHARS)
                    .build())
            .build());

    /**
     * Reads one line from {@code in}, waiting at most {@link #LINE_DEADLINE}.
     *
     * @throws ConfigException when there is no line in time or it is not a usable request
     */
    public static Request read(InputStream in) throws ConfigException {
        return read(in, LINE_DEADLINE);
    }

    /**
     * Reads one line from {@code in}, waiting at most {@code deadline} for it.
     *
     * @throws ConfigException when there is no line in time or it is not a usable request
     */
    public static Request read(InputStream in, Duration deadline) throws ConfigException {
        String line = awaitLine(in, deadline);
        if (line == null || line.isBlank()) {
            throw new ConfigException("no config on stdin: " + EXPECTED);
        }
        return parse(line);
    }

    /**
     * A blocking read cannot be given a timeout, so a daemon thread reads and we wait for it; when the
     * deadline passes it stays blocked until the process exits, which it does at once.
     */
    private static String awaitLine(InputStream in, Duration deadline) throws ConfigException {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                line.complete(readLine(in));
            } catch (IOException | ConfigException | RuntimeException e) {
                line.completeExceptionally(e);
            }
        }, "stdin-config-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return line.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ConfigException("no complete config line on stdin within " + deadline.toSeconds() + " s: " + EXPECTED
                    + ", ended by a newline (DStream sends it as soon as it starts the provider)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("cannot read the config from stdin: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while waiting for the config on stdin");
        }
    }

    /**
     * The bytes up to the first newline (or the end of input), decoded as UTF-8. Byte by byte, so that
     * nothing after the line is consumed, and never more than {@link #MAX_LINE_BYTES}.
     *
     * @return null at the end of input without a byte
     */
    private static String readLine(InputStream in) throws IOException, ConfigException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == MAX_LINE_BYTES) {
                throw new ConfigException("the config line is longer than " + MAX_LINE_BYTES + " bytes (1 MiB); "
                        + LIMITS + ": send only the provider's config on the first stdin line");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    public static Request parse(String line) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (StreamConstraintsException e) {
            // Jackson's text names the limit and the size met, never the value (which might be a secret)
            throw new ConfigException("the config line is past a limit (" + withoutJacksonReference(e.getOriginalMessage())
                    + "): " + LIMITS);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new ConfigException("stdin is not valid JSON (" + e.getOriginalMessage() + where
                    + "); send one JSON object on one line");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("stdin must hold a JSON object: {\"command\":\"run\",\"config\":{...}} or the bare config");
        }
        JsonNode command = root.get("command");
        if (command == null) {
            return new Request(Command.RUN, root);
        }
        if (!command.isTextual()) {
            throw new ConfigException("\"command\" must be a string: run, init, plan, status or destroy");
        }
        Command c;
        try {
            c = Command.parse(command.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        JsonNode config = root.get("config");
        if (config == null || !config.isObject()) {
            throw new ConfigException("the envelope has no \"config\" object: send {\"command\":\"" + command.asText() + "\",\"config\":{...}}");
        }
        return new Request(c, config);
    }

    /** "Number value length (2000) exceeds the maximum allowed (100, from `StreamReadConstraints...`)" without the "from" part. */
    private static String withoutJacksonReference(String message) {
        return message.replaceAll(", from `[^`]*`\\)", ")");
    }
}
