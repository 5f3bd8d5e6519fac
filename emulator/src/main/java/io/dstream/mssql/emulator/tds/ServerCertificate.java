package io.dstream.mssql.emulator.tds;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The key and certificate the emulator shows clients that ask for TLS ({@code encrypt=true}):
 * either the one of a PKCS#12 file the user gives, or a self-signed RSA certificate for
 * {@code localhost} and {@code 127.0.0.1}, made with the JDK's keytool when the first client asks
 * for TLS and kept for the life of the process (keytool takes about a second; the emulator starts
 * in every test class, most of which never use TLS).
 */
public final class ServerCertificate {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    private static final ServerCertificate SELF_SIGNED = new ServerCertificate(null);
    private static final String SELF_SIGNED_NAME = "CN=localhost";
    private static final String SELF_SIGNED_SAN = "SAN=dns:localhost,ip:127.0.0.1";
    private static final int SELF_SIGNED_VALIDITY_DAYS = 365;
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    /** keytool's own JVM needs no optimizing compiler for one key pair: about half its start time. */
    private static final List<String> KEYTOOL_JVM_OPTIONS = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC");

    /** Null until first used for the self-signed certificate; set at once for a user's file. */
    private Identity identity;
    private IllegalStateException failure;

    private ServerCertificate(Identity identity) {
        this.identity = identity;
    }

    /** The self-signed certificate of this process, made on first use. */
    public static ServerCertificate selfSigned() {
        return SELF_SIGNED;
    }

    /**
     * The first key entry of a PKCS#12 file, read now.
     *
     * @throws IllegalArgumentException when the file cannot be read, the password is wrong or it holds no key
     */
    public static ServerCertificate pkcs12(Path file, char[] password) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return new ServerCertificate(Identity.of(store, password, file.toString()));
        } catch (IOException | GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException("cannot use the TLS key store " + file + " (PKCS#12 with a private key "
                    + "and its certificate, and its password): " + e.getMessage(), e);
        }
    }

    /** The certificate clients see, e.g. to put it in a trust store. Makes the self-signed one if needed. */
    public X509Certificate certificate() {
        return identity().certificate();
    }

    /** The TLS context to serve with; makes the self-signed certificate if needed. */
    SSLContext context() {
        return identity().context();
    }

    private synchronized Identity identity() {
        if (identity == null && failure == null) {
            try {
                identity = generate();
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                failure = new IllegalStateException("cannot make the emulator's self-signed TLS certificate: "
                        + e.getMessage(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return identity;
    }

    /** keytool writes the key pair into a private temporary folder, deleted as soon as it is read. */
    private static Identity generate() throws IOException, GeneralSecurityException {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("mssql-cdc-emulator-tls");
        Path file = dir.resolve("emulator.p12");
        char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
        try {
            writeSelfSigned(file, password);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            Identity made = Identity.of(store, password, "the self-signed certificate");
            log.info("made a self-signed TLS certificate for localhost and 127.0.0.1 in {} ms (SHA-256 {})",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), made.fingerprint());
            return made;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Writes a new self-signed RSA key pair and certificate for {@code localhost} and {@code 127.0.0.1} into a
     * PKCS#12 file (with the JDK's keytool), for a server that needs it as a file (the tests' Azurite over HTTPS).
     */
    public static void writeSelfSigned(Path file, char[] password) throws IOException {
        keytool("-genkeypair", "-alias", "emulator", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", Integer.toString(SELF_SIGNED_VALIDITY_DAYS), "-dname", SELF_SIGNED_NAME,
                "-ext", SELF_SIGNED_SAN, "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(password), "-keypass", new String(password));
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException(keytool + " is missing (a JRE without keytool?); give the emulator a PKCS#12 key store");
        }
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(KEYTOOL_JVM_OPTIONS);
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** A key with its certificate, and the TLS context serving them. */
    private record Identity(X509Certificate certificate, SSLContext context) {

        static Identity of(KeyStore store, char[] password, String source) throws GeneralSecurityException {
            String alias = Collections.list(store.aliases()).stream()
                    .filter(a -> isKey(store, a))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(source + " holds no private key"));
            KeyStore single = KeyStore.getInstance("PKCS12");
            try {
                single.load(null, null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            single.setKeyEntry(alias, store.getKey(alias, password), password, store.getCertificateChain(alias));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(single, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new Identity((X509Certificate) store.getCertificate(alias), context);
        }

        private static boolean isKey(KeyStore store, String alias) {
            try {
                return store.isKeyEntry(alias);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        String fingerprint() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                return "unknown";
            }
        }
    }
}
