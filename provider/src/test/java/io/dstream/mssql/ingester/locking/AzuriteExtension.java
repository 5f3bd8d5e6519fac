package io.dstream.mssql.ingester.locking;

import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.ssl.SslContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.netty.http.client.HttpClient;

/**
 * Runs Azurite's Blob service (pinned in {@code tools/azurite}, installed by {@code npm ci}) for a
 * test class: {@code @RegisterExtension static AzuriteExtension azurite = new AzuriteExtension();}.
 * It listens on a free loopback port and keeps its data on disk in a temporary directory, so that
 * {@link #restart()} (same port) is an outage of the service that keeps the blobs. Unlike the Azure
 * service, Azurite does not keep leases across it: afterwards every lease reads as expired, so
 * another client can take it at once, while its old holder may still renew it if nobody did
 * (measured with Azurite 3.x). {@link #restartWithoutData()} loses the blobs too, like a deleted
 * container. {@link #withEntraSignIn()} serves HTTPS with a certificate made for the run and accepts
 * Microsoft Entra ID bearer tokens ({@code --oauth basic}: issuer, audience and lifetime are checked, not the
 * signature), as well as the account key. Without node or
 * the package the class is skipped with a message, except when
 * {@code CI=true}, where that is a failure.
 */
public final class AzuriteExtension implements BeforeAllCallback, AfterAllCallback {

    /** Azurite's fixed development account (public, documented by Microsoft). */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** Printed even with --silent: the only way to learn the port chosen for --blobPort 0. */
    private static final Pattern LISTENING = Pattern.compile("successfully listens on https?://127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 30;

    private final boolean entra;
    private Path mainJs;
    private SelfSignedCertificate certificate;
    private Path dataDir;
    private Process process;
    private int port;
    private Thread shutdownHook;

    /** Azurite over HTTP with the account key (and SAS) only. */
    public AzuriteExtension() {
        this(false);
    }

    private AzuriteExtension(boolean entra) {
        this.entra = entra;
    }

    /** Azurite over HTTPS that also takes Microsoft Entra ID bearer tokens; clients trust it through {@link #trustOptions()}. */
    public static AzuriteExtension withEntraSignIn() {
        return new AzuriteExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        mainJs = locateAzurite();
        dataDir = Files.createTempDirectory("azurite-");
        if (entra) {
            certificate = SelfSignedCertificate.create(Files.createTempDirectory("azurite-tls-"));
        }
        start(0);
        shutdownHook = new Thread(this::stop, "azurite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        if (shutdownHook != null) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        deleteData();
        if (certificate != null) {
            certificate.delete();
        }
    }

    private void deleteData() throws IOException {
        if (dataDir != null && Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The explicit devstoreaccount1 connection string ({@code UseDevelopmentStorage=true} only works on port 10000). */
    public String connectionString() {
        return "DefaultEndpointsProtocol=" + scheme() + ";AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** Puts the provider's {@code lock_config} for this Azurite into {@code config}: a lease per table in {@code container}. */
    public void putLockConfig(ObjectNode config, String container, Duration lease) {
        ObjectNode lock = config.putObject("lock_config");
        lock.put("type", "azure_blob");
        lock.put("connection_string", connectionString());
        lock.put("container_name", container);
        lock.put("lease_duration", lease.toSeconds() + "s");
    }

    public String blobEndpoint() {
        return scheme() + "://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    private String scheme() {
        return entra ? "https" : "http";
    }

    /** JVM options under which a Java process trusts this Azurite's certificate (none for plain HTTP). */
    public List<String> trustOptions() {
        return certificate == null ? List.of() : certificate.trustOptions();
    }

    /** A client for the test's own checks, signed in with the account key (and trusting the certificate over HTTPS). */
    public BlobServiceClient serviceClient() {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().connectionString(connectionString());
        if (certificate != null) {
            SslContext tls = certificate.clientContext();
            builder.httpClient(new NettyAsyncHttpClientBuilder(HttpClient.create().secure(spec -> spec.sslContext(tls))).build());
        }
        return builder.buildClient();
    }

    public String accountKey() {
        return KEY;
    }

    public int port() {
        return port;
    }

    /** A container name no other test uses. */
    public static String uniqueContainer() {
        return "locks-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Stops the service (SIGTERM; Azurite exits in ~0.1 s with telemetry off). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts it again on the same port, with the same data. */
    public synchronized void startAgain() throws IOException {
        start(port);
    }

    public void restart() throws IOException {
        stop();
        startAgain();
    }

    /** Stops the service, deletes its data (every container, blob and lease) and starts it again on the same port. */
    public void restartWithoutData() throws IOException {
        stop();
        deleteData();
        Files.createDirectories(dataDir);
        startAgain();
    }

    private synchronized void start(int wantedPort) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", mainJs.toString(), "--blobHost", "127.0.0.1",
                "--blobPort", Integer.toString(wantedPort), "--location", dataDir.toString(), "--silent", "--disableTelemetry"));
        if (certificate != null) {
            command.addAll(certificate.azuriteOptions());
            command.addAll(List.of("--oauth", "basic"));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> readOutput(started, listening), "azurite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            port = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Azurite did not start listening within " + START_TIMEOUT_SECONDS + " s: "
                    + String.join(" ", command), e);
        }
    }

    /** Drains Azurite's output for the whole run (a full pipe would stall it) and reports the port once. */
    private static void readOutput(Process process, CompletableFuture<Integer> listening) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                } else if (!listening.isDone()) {
                    System.err.println("[azurite] " + line);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        // the output may end a moment before the process does (a stop): exitValue() would throw then
        listening.completeExceptionally(new IllegalStateException("Azurite's output ended"
                + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")));
    }

    private static Path locateAzurite() {
        Path dir = Path.of("").toAbsolutePath();
        Path mainJs = null;
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/azurite/package.json"))) {
                mainJs = d.resolve("tools/azurite/node_modules/azurite/dist/src/blob/main.js");
                break;
            }
        }
        String problem = null;
        if (mainJs == null) {
            problem = "tools/azurite/package.json not found above " + dir;
        } else if (!Files.isRegularFile(mainJs)) {
            problem = "Azurite is not installed (" + mainJs + " missing): run npm ci --prefix tools/azurite --no-audit --no-fund";
        } else if (!nodeWorks()) {
            problem = "node is not on the PATH: install Node.js 20 or later to run the Azure Blob locking tests";
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(problem);
            }
            Assumptions.abort("skipped: " + problem);
        }
        return mainJs;
    }

    private static boolean nodeWorks() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
