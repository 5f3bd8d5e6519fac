package io.dstream.mssql.ingester.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where and how to connect: a {@code jdbc:sqlserver://host[:port]} URL plus driver properties
 * (credentials among them), the host (the default {@code server_name}) and the database.
 * {@link #toString()} never shows the password.
 */
public final class JdbcTarget {

    private final String url;
    private final Map<String, String> properties;
    private final String host;
    private final String database;

    JdbcTarget(String url, Map<String, String> properties, String host, String database) {
        this.url = url;
        this.properties = Map.copyOf(properties);
        this.host = host;
        this.database = database;
    }

    public String url() {
        return url;
    }

    public String host() {
        return host;
    }

    /** {@code host[\\instance][:port]}, for messages. */
    public String address() {
        return url.substring("jdbc:sqlserver://".length());
    }

    public String database() {
        return database;
    }

    /** The driver properties, password included: hand them to the driver, never to a log. */
    public Properties driverProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    /** True when the connection string signs in with Microsoft Entra ID (an {@code Authentication=Active Directory ...} mode). */
    public boolean entraSignIn() {
        return EntraAuthentication.isEntra(properties.get(EntraAuthentication.AUTHENTICATION));
    }

    /** The password, if any: for tests proving it never leaks. */
    String password() {
        return properties.get(ConnectionStrings.PASSWORD);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(properties);
        shown.computeIfPresent(ConnectionStrings.PASSWORD, (k, v) -> "****");
        return url + " " + shown;
    }
}
