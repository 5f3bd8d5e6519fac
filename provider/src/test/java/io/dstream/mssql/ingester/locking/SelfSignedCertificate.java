package io.dstream.mssql.ingester.locking;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * A certificate for {@code 127.0.0.1} and {@code localhost}, made for one test run with the JDK's keytool:
 * the key pair in a PKCS#12 file for the server (Azurite's {@code --cert}/{@code --pwd}), the certificate alone
 * in a trust store for Java clients ({@link #trustOptions()}) and in PEM for Netty ({@link #clientContext()}).
 */
final class SelfSignedCertificate {

    private final Path dir;
    private final String password = UUID.randomUUID().toString();

    private SelfSignedCertificate(Path dir) {
        this.dir = dir;
    }

    static SelfSignedCertificate create(Path dir) throws IOException {
        SelfSignedCertificate certificate = new SelfSignedCertificate(dir);
        String pass = certificate.password;
        certificate.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", certificate.serverFile().toString(), "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
        certificate.keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", certificate.serverFile().toString(),
                "-storetype", "PKCS12", "-storepass", pass, "-file", certificate.pemFile().toString());
        certificate.keytool("-importcert", "-noprompt", "-alias", "azurite", "-file", certificate.pemFile().toString(),
                "-keystore", certificate.trustFile().toString(), "-storetype", "PKCS12", "-storepass", pass);
        return certificate;
    }

    /** Azurite's options to serve HTTPS with this certificate. */
    List<String> azuriteOptions() {
        return List.of("--cert", serverFile().toString(), "--pwd", password);
    }

    /** JVM options that make a Java process trust this certificate (and only it) for TLS. */
    List<String> trustOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustFile(), "-Djavax.net.ssl.trustStorePassword=" + password,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** A Netty client context trusting this certificate, for the Azure SDK clients of the test itself. */
    SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().trustManager(pemFile().toFile()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot read the test certificate " + pemFile(), e);
        }
    }

    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private Path serverFile() {
        return dir.resolve("server.p12");
    }

    private Path pemFile() {
        return dir.resolve("server.pem");
    }

    private Path trustFile() {
        return dir.resolve("trust.p12");
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
