package io.dstream.mssql.ingester.locking;

import io.dstream.mssql.emulator.tds.ServerCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * A certificate for {@code 127.0.0.1} and {@code localhost}, made for one test run (by the emulator's
 * {@link ServerCertificate#writeSelfSigned}): the key pair in a PKCS#12 file for the server (Azurite's
 * {@code --cert}/{@code --pwd}), the certificate alone in a trust store for Java clients ({@link #trustOptions()})
 * and in a Netty context ({@link #clientContext()}).
 */
final class SelfSignedCertificate {

    private final Path dir;
    private final String password = UUID.randomUUID().toString();
    private X509Certificate certificate;

    private SelfSignedCertificate(Path dir) {
        this.dir = dir;
    }

    static SelfSignedCertificate create(Path dir) throws IOException {
        SelfSignedCertificate made = new SelfSignedCertificate(dir);
        ServerCertificate.writeSelfSigned(made.serverFile(), made.password.toCharArray());
        try {
            KeyStore server = made.load(made.serverFile());
            made.certificate = (X509Certificate) server.getCertificate(server.aliases().nextElement());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("azurite", made.certificate);
            try (OutputStream out = Files.newOutputStream(made.trustFile())) {
                trust.store(out, made.password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the test certificate " + made.serverFile(), e);
        }
        return made;
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
            return SslContextBuilder.forClient().trustManager(certificate).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot trust the test certificate", e);
        }
    }

    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private Path serverFile() {
        return dir.resolve("server.p12");
    }

    private Path trustFile() {
        return dir.resolve("trust.p12");
    }
}
