package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The first stdin line: a DStream envelope {@code {"command":"run","config":{...}}} or, as a fallback,
 * the bare config object. Only that one line is read: DStream may keep stdin open or close it right
 * away, and neither means anything.
 */
public record Request(Command command, JsonNode config) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads one line from {@code in}.
     *
     * @throws ConfigException when there is no line or it is not a usable request
     */
    public static Request read(InputStream in) throws ConfigException {
        String line;
        try {
            // no buffering beyond what is needed: the reader is dropped after one line
            line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new ConfigException("cannot read the config from stdin: " + e.getMessage());
        }
        if (line == null || line.isBlank()) {
            throw new ConfigException("no config on stdin: send one JSON line, {\"command\":\"run\",\"config\":{...}} or the bare config object");
        }
        return parse(line);
    }

    public static Request parse(String line) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ConfigException("stdin is not valid JSON (" + e.getOriginalMessage()
                    + " at column " + e.getLocation().getColumnNr() + "); send one JSON object on one line");
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
}
