package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One configuration key, declared once: name, type, default, check and description. The validation,
 * the error messages and the README table all come from these declarations ({@link ConfigKeys#ALL}).
 *
 * @param name         the JSON key
 * @param type         the type as the README shows it
 * @param defaultText  the default as the README shows it, or {@code required}
 * @param description  one line for the README
 * @param parser       turns the JSON value into a checked value, or throws with what to fix
 * @param defaultValue the value when the key is absent; null = the key is required
 */
public record ConfigKey<T>(String name, String type, String defaultText, String description,
                           Parser<T> parser, T defaultValue) {

    /** Checks and converts one JSON value. */
    @FunctionalInterface
    public interface Parser<T> {
        /** @throws IllegalArgumentException saying what is wrong and what is expected (without the key name) */
        T parse(JsonNode value);
    }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
    }

    public boolean required() {
        return defaultValue == null;
    }
}
