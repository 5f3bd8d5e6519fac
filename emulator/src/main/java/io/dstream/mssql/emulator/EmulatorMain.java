package io.dstream.mssql.emulator;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line: starts the emulator, prints {@code listening on <host>:<port>} on stdout once
 * clients can connect (logs go to stderr), and runs until SIGTERM/SIGINT.
 */
@Command(name = "mssql-cdc-emulator", mixinStandardHelpOptions = true, versionProvider = EmulatorMain.Version.class,
        description = "A SQL Server CDC emulator: TDS 7.4 on loopback in front of H2. Connect with encrypt=false (no TLS)"
                + " or encrypt=true (TLS 1.2 with a self-signed certificate unless --tls-keystore is given; clients"
                + " trust it with trustServerCertificate=true).")
public final class EmulatorMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorMain.class);

    @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = 0;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--database", description = "default database, created at start (default: ${DEFAULT-VALUE})")
    String database = "testdb";

    @Option(names = "--user", description = "the only login accepted (default: any login)")
    String user;

    @Option(names = "--password", description = "password of --user")
    String password;

    @Option(names = "--capture-latency", converter = DurationConverter.class,
            description = "delay between commit and capture, e.g. 200ms, 1s, PT2S (default: 200ms)")
    Duration captureLatency = Emulator.DEFAULT_CAPTURE_LATENCY;

    @Option(names = "--init", description = "T-SQL script with GO separators run at start")
    Path init;

    @Option(names = "--data-dir", description = "keep databases (tables, data, CDC state) in this directory across "
            + "restarts; default: in memory, gone at exit")
    Path dataDir;

    @Option(names = "--pid-file", description = "write the process id to this file once clients can connect "
            + "(for build tools that stop the emulator with a signal); deleted at exit")
    Path pidFile;

    @Option(names = "--tls-keystore", description = "PKCS#12 file whose first key and certificate serve TLS to "
            + "encrypt=true clients (default: a self-signed certificate for localhost and 127.0.0.1)")
    Path tlsKeyStore;

    @Option(names = "--tls-keystore-password", description = "password of --tls-keystore (default: empty)")
    String tlsKeyStorePassword = "";

    @Option(names = "--entra-sign-in", description = "accept Microsoft Entra sign-in (e.g. authentication="
            + "ActiveDirectoryManagedIdentity) with any token whose claims are for https://database.windows.net/ and "
            + "not expired, signature unchecked (default: refused with 18456, as by a SQL Server without Entra)")
    boolean entraSignIn;

    @Option(names = "--verbose", description = "log every request (DEBUG)")
    boolean verbose;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        int code = new CommandLine(new EmulatorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (verbose) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.dstream.mssql.emulator")).setLevel(Level.DEBUG);
        }
        if ((user == null) != (password == null)) {
            System.err.println("mssql-cdc-emulator: --user and --password go together; give both or neither");
            return 2;
        }
        Emulator.Builder builder = Emulator.builder().host(host).port(port).database(database).captureLatency(captureLatency)
                .entraSignIn(entraSignIn);
        if (user != null) {
            builder.credentials(user, password);
        }
        if (init != null) {
            builder.initScript(init);
        }
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        if (tlsKeyStore != null) {
            try {
                builder.tlsKeyStore(tlsKeyStore, tlsKeyStorePassword.toCharArray());
            } catch (IllegalArgumentException e) {
                System.err.println("mssql-cdc-emulator: " + e.getMessage());
                return 2;
            }
        }
        Emulator emulator;
        try {
            emulator = builder.start();
        } catch (RuntimeException e) {
            System.err.println("mssql-cdc-emulator: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            emulator.close();
            deletePidFile();
            stopped.countDown();
        }, "emulator-shutdown"));
        // before the listening line: whoever reads it finds the file
        if (pidFile != null) {
            try {
                Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
            } catch (IOException e) {
                System.err.println("mssql-cdc-emulator: cannot write --pid-file " + pidFile + ": " + e.getMessage());
                return 1;
            }
        }
        System.out.println("mssql-cdc-emulator listening on " + emulator.host() + ":" + emulator.port()
                + " (database " + emulator.database() + ")");
        System.out.println("jdbc: " + emulator.jdbcUrl());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private void deletePidFile() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                LOG.warn("cannot delete --pid-file {}: {}", pidFile, e.getMessage());
            }
        }
    }

    /** The jar's version (from its manifest), for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EmulatorMain.class.getPackage().getImplementationVersion();
            return new String[] {"mssql-cdc-emulator " + (version == null ? "(development build)" : version)
                    + ", emulating SQL Server " + io.dstream.mssql.emulator.engine.H2Engine.PRODUCT_VERSION};
        }
    }

    /** Go/ISO style durations: {@code 200ms}, {@code 1s}, {@code 2m}, {@code 1h}, {@code 500us}, {@code PT1S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern GO_STYLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = GO_STYLE.matcher(v);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find()) {
                if (m.start() != end) {
                    break;
                }
                double amount = Double.parseDouble(m.group(1));
                long nanos = switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                total = total.plusNanos(Math.round(amount * nanos));
                end = m.end();
            }
            if (end != v.length() || end == 0) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration; use e.g. 200ms, 1s, 1m30s or PT1S");
            }
            return total;
        }
    }
}
