package io.dstream.mssql.ingester.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.dstream.mssql.ingester.config.MetricsAddress;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The metrics endpoint ({@code metrics_address}), on the JDK's HTTP server (module {@code jdk.httpserver}) through
 * the Prometheus client's exporter: {@code /metrics} in the Prometheus text format or OpenMetrics, as the scraper's
 * {@code Accept} header asks, and liveness at {@code /-/healthy} (the exporter's) and {@code /healthz}, both 200
 * while the process runs. Its threads are daemons: it never keeps the process alive.
 */
public final class MetricsServer implements AutoCloseable {

    /** Liveness, besides the exporter's own {@code /-/healthy}. */
    public static final String HEALTHZ = "/healthz";
    private static final String HEALTHY = "Exporter is healthy.\n";

    private final HTTPServer server;
    private final String url;

    private MetricsServer(HTTPServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Listens on {@code address} (port 0: any free port).
     *
     * @throws IOException saying what to fix: the host does not resolve, the port is taken, ...
     */
    public static MetricsServer start(MetricsAddress address, ProviderMetrics metrics) throws IOException {
        HTTPServer.Builder builder = HTTPServer.builder().port(address.port()).registry(metrics.registry())
                .defaultHandler(MetricsServer::other);
        if (!address.host().isEmpty()) {
            try {
                builder.inetAddress(InetAddress.getByName(address.host()));
            } catch (UnknownHostException e) {
                throw new IOException("metrics_address " + address + ": unknown host \"" + address.host() + "\"", e);
            }
        }
        HTTPServer server;
        try {
            server = builder.buildAndStart();
        } catch (IOException e) { // BindException: the port is taken, or the address is not this host's
            throw new IOException("metrics_address " + address + ": cannot listen there (" + e.getMessage()
                    + "); choose a free port (or an address of this host), or leave metrics_address out", e);
        }
        return new MetricsServer(server, "http://" + address.urlHost() + ":" + server.getPort() + "/metrics");
    }

    /** The port it listens on (the one it got for port 0). */
    public int port() {
        return server.getPort();
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return url;
    }

    /** Every path but {@code /metrics} and {@code /-/healthy}: {@code /healthz}, an index at {@code /}, else 404. */
    private static void other(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals(HEALTHZ)) {
            respond(exchange, 200, HEALTHY);
        } else if (path.equals("/")) {
            respond(exchange, 200, "dstream-ingester-mssql: metrics at /metrics, liveness at /-/healthy and /healthz\n");
        } else {
            respond(exchange, 404, "not found: metrics are at /metrics, liveness at /-/healthy and /healthz\n");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.close();
    }
}
