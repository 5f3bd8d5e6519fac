package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A managed identity endpoint as Azure App Service runs one for its apps: the Azure SDK's
 * DefaultAzureCredential finds it through {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}
 * ({@link #environment()}) and asks it for a token ({@code GET ?resource=…&api-version=2019-08-01} with the
 * header {@code X-IDENTITY-HEADER}). It answers with a JWT carrying the claims Azurite's {@code --oauth basic}
 * checks (issuer, audience = the requested resource, not before, expiry); Azurite does not check the
 * signature, so the token is signed with nothing a real service would accept. Every request is recorded.
 */
final class ManagedIdentityEndpoint implements AutoCloseable {

    /** A request the endpoint answered: the resource asked for and whether the identity header was right. */
    record TokenRequest(String resource, boolean identityHeader) {
    }

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final HttpServer server;
    private final String header = UUID.randomUUID().toString();
    private final String audience;
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();

    private ManagedIdentityEndpoint(String audience) throws IOException {
        this.audience = audience;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/msi/token", this::answer);
        server.start();
    }

    /** Issues tokens for the resource each request names (as Azure does). */
    static ManagedIdentityEndpoint start() throws IOException {
        return new ManagedIdentityEndpoint(null);
    }

    /** Issues every token for this audience, whatever was asked: a token the storage service must refuse. */
    static ManagedIdentityEndpoint issuingTokensFor(String audience) throws IOException {
        return new ManagedIdentityEndpoint(audience);
    }

    /** The variables that point the Azure SDK's managed identity credential at this endpoint. */
    Map<String, String> environment() {
        return Map.of("IDENTITY_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort() + "/msi/token",
                "IDENTITY_HEADER", header);
    }

    List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    /** The access tokens handed out, to check that none reaches a log. */
    List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI());
            String resource = query.getOrDefault("resource", "");
            boolean headerOk = header.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"));
            requests.add(new TokenRequest(resource, headerOk));
            if (!headerOk || resource.isEmpty()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Instant now = Instant.now();
            String token = jwt(audience != null ? audience : resource, now);
            issued.add(token);
            ObjectNode answer = Json.MAPPER.createObjectNode()
                    .put("access_token", token)
                    .put("expires_on", Long.toString(now.plus(LIFETIME).getEpochSecond()))
                    .put("resource", resource)
                    .put("token_type", "Bearer")
                    .put("client_id", UUID.randomUUID().toString());
            byte[] body = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String jwt(String audience, Instant now) {
        ObjectNode claims = Json.MAPPER.createObjectNode()
                .put("aud", audience)
                .put("iss", "https://sts.windows.net/" + TENANT + "/")
                .put("iat", now.getEpochSecond())
                .put("nbf", now.minusSeconds(60).getEpochSecond())
                .put("exp", now.plus(LIFETIME).getEpochSecond())
                .put("tid", TENANT)
                .put("oid", UUID.randomUUID().toString());
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
