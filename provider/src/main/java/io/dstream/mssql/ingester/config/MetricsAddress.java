package io.dstream.mssql.ingester.config;

import java.util.Optional;

/**
 * Where the metrics endpoint listens ({@code metrics_address}): {@code host:port}, {@code :port} for every
 * interface, {@code [::1]:port} for an IPv6 literal. Port 0 means any free port (the provider logs the one it got).
 *
 * @param host the host name or address to bind; empty = every interface
 * @param port 0-65535
 */
public record MetricsAddress(String host, int port) {

    private static final String EXPECTED = "must be \"host:port\" (e.g. \"127.0.0.1:9464\"), or \":port\" for every interface";

    /** The host as a URL spells it (an IPv6 literal in brackets); {@code 0.0.0.0} for every interface. */
    public String urlHost() {
        if (host.isEmpty()) {
            return "0.0.0.0";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return (host.isEmpty() ? "" : urlHost()) + ":" + port;
    }

    /** Parses {@code host:port}; throws what to fix (without the key name). */
    static Optional<MetricsAddress> parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (no port)");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (empty brackets)");
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (write an IPv6 address in brackets: \"[::1]:9464\")");
        }
        if (host.chars().anyMatch(Character::isWhitespace) || host.contains("/")) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (not a host name)");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (the port is not a number)");
        }
        if (number < 0 || number > 65535 || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\" (the port must be 0-65535; 0 = any free port)");
        }
        return Optional.of(new MetricsAddress(host, number));
    }
}
