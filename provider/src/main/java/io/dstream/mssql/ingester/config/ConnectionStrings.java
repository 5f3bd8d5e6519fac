package io.dstream.mssql.ingester.config;

import com.microsoft.sqlserver.jdbc.SQLServerDriver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Turns the three connection-string forms users already have into a {@link JdbcTarget}:
 * ADO.NET ({@code server=host,1433;database=db;user id=u;password=p;...}), go-mssqldb URLs
 * ({@code sqlserver://u:p@host:1433/instance?database=db&encrypt=disable}) and JDBC
 * ({@code jdbc:sqlserver://host:1433;databaseName=db;...}), with Microsoft Entra ID sign-in in any of
 * them ({@link EntraAuthentication}). Errors never quote the string (it holds a password); they name
 * the part that is wrong.
 */
public final class ConnectionStrings {

    static final String PASSWORD = "password";
    static final String USER = "user";
    static final String DATABASE = "databaseName";
    /** Short enough that startup answers well within the DStream CLI's 30 s even when nobody listens. */
    static final String DEFAULT_LOGIN_TIMEOUT_SECONDS = "10";
    /** No statement of ours should run this long; the driver cancels it (ATTENTION) and the table retries. */
    static final String DEFAULT_QUERY_TIMEOUT_SECONDS = "60";
    /** A connection that silently died (no RST) would block a read forever; this bounds it above the query timeout. */
    static final String DEFAULT_SOCKET_TIMEOUT_MILLIS = "90000";

    /** ADO.NET / go-mssqldb option names (lower case, spaces removed) → mssql-jdbc property names. */
    private static final Map<String, String> OPTION_TO_PROPERTY = Map.ofEntries(
            Map.entry("database", DATABASE), Map.entry("initialcatalog", DATABASE), Map.entry("databasename", DATABASE),
            Map.entry("userid", USER), Map.entry("uid", USER), Map.entry("user", USER), Map.entry("username", USER),
            Map.entry("password", PASSWORD), Map.entry("pwd", PASSWORD),
            Map.entry("encrypt", "encrypt"),
            Map.entry("trustservercertificate", "trustServerCertificate"),
            Map.entry("hostnameincertificate", "hostNameInCertificate"),
            Map.entry("connectiontimeout", "loginTimeout"), Map.entry("connecttimeout", "loginTimeout"),
            Map.entry("dialtimeout", "loginTimeout"), Map.entry("logintimeout", "loginTimeout"),
            Map.entry("applicationname", "applicationName"), Map.entry("app", "applicationName"),
            Map.entry("applicationintent", "applicationIntent"),
            Map.entry("multisubnetfailover", "multiSubnetFailover"),
            Map.entry("instancename", "instanceName"),
            Map.entry("portnumber", "portNumber"), Map.entry("port", "portNumber"),
            Map.entry("servername", "serverName"),
            Map.entry("integratedsecurity", "integratedSecurity"), Map.entry("trustedconnection", "integratedSecurity"),
            Map.entry("packetsize", "packetSize"), Map.entry("workstationid", "workstationID"),
            Map.entry("failoverpartner", "failoverPartner"), Map.entry("columnencryptionsetting", "columnEncryptionSetting"),
            Map.entry("appname", "applicationName"), Map.entry("serverspn", "serverSpn"),
            Map.entry("authentication", EntraAuthentication.AUTHENTICATION), Map.entry("fedauth", EntraAuthentication.AUTHENTICATION));
    /**
     * ADO.NET / go-mssqldb options with no mssql-jdbc counterpart that users copy along (the Azure
     * portal's string has several): accepted and ignored rather than refused.
     */
    private static final Set<String> IGNORED_OPTIONS = Set.of("persistsecurityinfo", "multipleactiveresultsets",
            "pooling", "maxpoolsize", "minpoolsize", "connectretrycount", "connectretryinterval", "loadbalancetimeout",
            "connectionlifetime", "enlist", "transactionbinding", "typesystemversion", "keepalive", "log", "protocol",
            "poolblockingperiod", "replication", "contextconnection", "userinstance", "asynchronousprocessing", "async",
            "currentlanguage", "language", "networklibrary", "net");
    /**
     * mssql-jdbc's connection properties, by lower-case name (the driver matches names ignoring case), as the
     * driver itself lists them: the ones its documentation describes, for the version we ship.
     */
    private static final Map<String, String> DRIVER_PROPERTIES = driverProperties();
    /** Synonyms mssql-jdbc accepts in a URL that its property list does not name. */
    private static final Map<String, String> DRIVER_SYNONYMS = Map.of("server", "serverName", "domainname", "domain");
    private static final String DRIVER_PROPERTIES_DOC =
            "https://learn.microsoft.com/sql/connect/jdbc/setting-the-connection-properties";
    private static final List<String> SERVER_KEYS = List.of("server", "datasource", "address", "addr", "networkaddress");

    private ConnectionStrings() {
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, without the string's content
     */
    public static JdbcTarget parse(String connectionString) {
        String s = connectionString.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlserver://")) {
            return fromJdbc(s.substring("jdbc:sqlserver://".length()));
        }
        if (lower.startsWith("sqlserver://")) {
            return fromUrl(s.substring("sqlserver://".length()));
        }
        if (s.contains("=")) {
            return fromAdo(s);
        }
        throw new IllegalArgumentException("db_connection_string is not in a known form: use "
                + "\"server=host,1433;database=db;user id=u;password=p\", \"sqlserver://u:p@host:1433?database=db\" "
                + "or \"jdbc:sqlserver://host:1433;databaseName=db\"");
    }

    private static JdbcTarget fromAdo(String s) {
        Map<String, String> props = new LinkedHashMap<>();
        String server = null;
        for (Map.Entry<String, String> option : splitOptions(s).entrySet()) {
            String key = normalise(option.getKey());
            if (SERVER_KEYS.contains(key)) {
                server = option.getValue();
            } else if (!IGNORED_OPTIONS.contains(key)) {
                props.put(property(key, "ADO.NET keyword"), adoValue(key, option.getValue()));
            }
        }
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("db_connection_string names no server: add server=host[,port]");
        }
        String host = server.strip();
        if (host.toLowerCase(Locale.ROOT).startsWith("tcp:")) {
            host = host.substring(4);
        }
        String port = null;
        int comma = host.indexOf(',');
        if (comma >= 0) {
            port = host.substring(comma + 1).strip();
            host = host.substring(0, comma).strip();
        }
        return build(host, port, props);
    }

    private static JdbcTarget fromUrl(String rest) {
        Map<String, String> props = new LinkedHashMap<>();
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            props.put(USER, decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo));
            if (colon >= 0) {
                props.put(PASSWORD, decode(userInfo.substring(colon + 1)));
            }
        }
        String instance = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            instance = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }
        String host = rest;
        String port = null;
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        if (instance != null && !instance.isBlank()) {
            host = host + "\\" + instance;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = normalise(decode(eq >= 0 ? pair.substring(0, eq) : pair));
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            if (!IGNORED_OPTIONS.contains(key)) {
                props.put(property(key, "URL parameter"), adoValue(key, value));
            }
        }
        return build(host, port, props);
    }

    private static JdbcTarget fromJdbc(String rest) {
        int semi = rest.indexOf(';');
        String server = semi >= 0 ? rest.substring(0, semi) : rest;
        Map<String, String> props = new LinkedHashMap<>();
        if (semi >= 0) {
            for (Map.Entry<String, String> option : splitOptions(rest.substring(semi + 1)).entrySet()) {
                props.put(jdbcProperty(option.getKey()), option.getValue());
            }
        }
        String host = server;
        String port = null;
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        return build(host, port, props);
    }

    private static JdbcTarget build(String hostAndInstance, String port, Map<String, String> props) {
        String host = hostAndInstance.strip();
        String instance = null;
        int backslash = host.indexOf('\\');
        if (backslash >= 0) {
            instance = host.substring(backslash + 1);
            host = host.substring(0, backslash);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("db_connection_string names no server host");
        }
        if (host.equals(".") || host.equalsIgnoreCase("(local)")) {
            host = "localhost";
        }
        StringBuilder url = new StringBuilder("jdbc:sqlserver://").append(host);
        if (instance != null && !instance.isEmpty()) {
            url.append('\\').append(instance);
        }
        if (port != null && !port.isEmpty()) {
            if (!port.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("db_connection_string has a port that is not a number");
            }
            url.append(':').append(port);
        }
        String database = props.get(DATABASE);
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("db_connection_string names no database: add database=<name> "
                    + "(ADO.NET), ?database=<name> (URL) or ;databaseName=<name> (JDBC)");
        }
        EntraAuthentication.apply(props);
        props.putIfAbsent("loginTimeout", DEFAULT_LOGIN_TIMEOUT_SECONDS);
        props.putIfAbsent("queryTimeout", DEFAULT_QUERY_TIMEOUT_SECONDS);
        props.putIfAbsent("socketTimeout", DEFAULT_SOCKET_TIMEOUT_MILLIS);
        props.putIfAbsent("applicationName", "dstream-ingester-mssql");
        return new JdbcTarget(url.toString(), props, host, database);
    }

    private static String property(String key, String kind) {
        String property = OPTION_TO_PROPERTY.get(key);
        if (property == null) {
            throw new IllegalArgumentException("db_connection_string has an unsupported " + kind + " \"" + key
                    + "\"; supported: server, database, user id, password, encrypt, trustservercertificate, "
                    + "hostnameincertificate, connection timeout, application name, applicationintent, multisubnetfailover, "
                    + "authentication (fedauth)");
        }
        return property;
    }

    /**
     * A JDBC URL's property: an ADO.NET alias we rename, or a property mssql-jdbc knows. Anything else is
     * refused, as in the other two forms: the driver would ignore it, and a misspelt option (say
     * {@code trustServerCertficate}) would silently not apply.
     */
    private static String jdbcProperty(String written) {
        String alias = OPTION_TO_PROPERTY.get(normalise(written));
        if (alias != null) {
            return alias;
        }
        String lower = written.strip().toLowerCase(Locale.ROOT);
        String property = DRIVER_PROPERTIES.getOrDefault(lower, DRIVER_SYNONYMS.get(lower));
        if (property != null) {
            return property;
        }
        String suggestion = KeySuggestions.nearest(written.strip(), DRIVER_PROPERTIES.values())
                .map(best -> "did you mean \"" + best + "\"? ").orElse("");
        throw new IllegalArgumentException("db_connection_string has an unsupported JDBC property \"" + written.strip()
                + "\"; " + suggestion + "mssql-jdbc's properties are listed at " + DRIVER_PROPERTIES_DOC);
    }

    private static Map<String, String> driverProperties() {
        try {
            Map<String, String> byLowerCase = new HashMap<>();
            for (DriverPropertyInfo p : new SQLServerDriver().getPropertyInfo("jdbc:sqlserver://localhost", new Properties())) {
                byLowerCase.put(p.name.toLowerCase(Locale.ROOT), p.name);
            }
            return Map.copyOf(byLowerCase);
        } catch (SQLException e) {
            throw new IllegalStateException("mssql-jdbc cannot list its connection properties", e);
        }
    }

    /** go-mssqldb / ADO.NET spell encryption modes differently from mssql-jdbc. */
    private static String adoValue(String key, String value) {
        if (!key.equals("encrypt")) {
            return value;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "disable", "false", "no", "optional" -> "false";
            case "true", "yes", "mandatory" -> "true";
            case "strict" -> "strict";
            default -> throw new IllegalArgumentException("db_connection_string has encrypt=" + value.strip()
                    + "; use true, false, strict or disable");
        };
    }

    /** Splits {@code k=v;k2="v;2"} (values may be quoted with " or ', quotes doubled inside); keys as written. */
    private static Map<String, String> splitOptions(String s) {
        Map<String, String> options = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                if (!s.substring(i).isBlank()) {
                    throw new IllegalArgumentException("db_connection_string has an option without '=' (write key=value;...)");
                }
                break;
            }
            String key = s.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            while (j < s.length() && s.charAt(j) == ' ') {
                j++;
            }
            if (j < s.length() && (s.charAt(j) == '"' || s.charAt(j) == '\'' || s.charAt(j) == '{')) {
                char close = s.charAt(j) == '{' ? '}' : s.charAt(j);
                j++;
                while (true) {
                    if (j >= s.length()) {
                        throw new IllegalArgumentException("db_connection_string has an unclosed quote in the value of " + key);
                    }
                    char c = s.charAt(j++);
                    if (c == close && j < s.length() && s.charAt(j) == close) {
                        value.append(c);
                        j++;
                    } else if (c == close) {
                        break;
                    } else {
                        value.append(c);
                    }
                }
                while (j < s.length() && s.charAt(j) != ';') {
                    j++;
                }
            } else {
                int end = s.indexOf(';', j);
                end = end < 0 ? s.length() : end;
                value.append(s, j, end);
                j = end;
            }
            if (!key.isEmpty()) {
                options.put(key, value.toString().strip());
            }
            i = j + 1;
        }
        return options;
    }

    private static String normalise(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
