package io.dstream.mssql.ingester.dist;

import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Run on the bundled runtime ({@code lib/jre-linux_amd64/bin/java -cp target/test-classes ...RuntimeProbe}) to
 * check what the provider needs there but the emulator test cannot reach: TLS as Azure SQL and Azure Storage
 * speak it (TLS 1.2/1.3 with ECDHE, the CA certificates), the code pages of non-Unicode collations, Kerberos,
 * JNDI DNS, JMX, the metrics endpoint's HTTP server, and {@code sun.misc.Unsafe} (netty). Prints one line per problem; exits 1 if there is any.
 * Only {@code java.*}/{@code javax.*} classes: it runs without the provider jar.
 */
public final class RuntimeProbe {

    private RuntimeProbe() {
    }

    public static void main(String[] args) {
        List<String> problems = new ArrayList<>();
        check(problems, "TLS 1.2 and 1.3 with ECDHE suites (jdk.crypto.ec)", () -> {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine("sql.example.com", 1433);
            engine.setUseClientMode(true);
            List<String> protocols = Arrays.asList(engine.getEnabledProtocols());
            List<String> suites = Arrays.asList(engine.getEnabledCipherSuites());
            return protocols.containsAll(List.of("TLSv1.3", "TLSv1.2"))
                    && suites.contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                    && suites.contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        });
        check(problems, "EC and X25519 key agreement", () -> KeyAgreement.getInstance("ECDH") != null
                && KeyAgreement.getInstance("X25519") != null);
        check(problems, "the CA certificates (lib/security/cacerts)", () -> {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers().length >= 50;
        });
        for (String codePage : List.of("windows-1252", "MS932", "GBK", "x-windows-949", "Big5", "windows-874")) {
            check(problems, "charset " + codePage + " (jdk.charsets)", () -> Charset.isSupported(codePage));
        }
        check(problems, "Kerberos (java.security.jgss, jdk.security.auth)", () ->
                org.ietf.jgss.GSSManager.getInstance() != null
                        && Class.forName("com.sun.security.auth.module.Krb5LoginModule") != null);
        check(problems, "JNDI dns provider (jdk.naming.dns)", () ->
                Class.forName("com.sun.jndi.dns.DnsContextFactory") != null);
        check(problems, "JMX (java.management)", () -> ManagementFactory.getRuntimeMXBean().getUptime() >= 0);
        check(problems, "the metrics endpoint's HTTP server (jdk.httpserver)", () -> {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.start();
            boolean bound = server.getAddress().getPort() > 0;
            server.stop(0);
            return bound;
        });
        check(problems, "process CPU and file descriptors for the JVM metrics (jdk.management)", () ->
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean);
        check(problems, "sun.misc.Unsafe (jdk.unsupported)", () -> Class.forName("sun.misc.Unsafe") != null);
        check(problems, "java.sql", () -> Class.forName("java.sql.DriverManager") != null);
        problems.forEach(System.out::println);
        System.out.println(problems.isEmpty() ? "runtime ok" : problems.size() + " problem(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void check(List<String> problems, String what, Check check) {
        try {
            if (!check.holds()) {
                problems.add("missing: " + what);
            }
        } catch (Exception | LinkageError e) {
            problems.add("missing: " + what + " (" + e + ")");
        }
    }
}
