package io.dstream.mssql.ingester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.ChangeReader;
import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.config.Command;
import io.dstream.mssql.ingester.config.ConfigException;
import io.dstream.mssql.ingester.config.ConfigKeys;
import io.dstream.mssql.ingester.config.OutputFormat;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.config.Request;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.SqlAdvice;
import io.dstream.mssql.ingester.locking.Locker;
import io.dstream.mssql.ingester.metrics.MetricsServer;
import io.dstream.mssql.ingester.metrics.ProviderMetrics;
import io.dstream.mssql.ingester.output.ChangeFormat;
import io.dstream.mssql.ingester.output.DstreamFormat;
import io.dstream.mssql.ingester.output.EnvelopeFormat;
import io.dstream.mssql.ingester.output.Json;
import io.dstream.mssql.ingester.output.Stdout;
import io.dstream.mssql.ingester.stream.Pacer;
import io.dstream.mssql.ingester.stream.StreamContext;
import io.dstream.mssql.ingester.stream.Streamer;
import io.dstream.mssql.ingester.stream.TableSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The provider process: reads the request from stdin, validates, connects, resolves the tables,
 * answers {@code {"status":"ready"}} and runs the command. Exit codes are decided here and only here:
 * 0 clean stop, 1 runtime failure, 2 configuration or startup error.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_RUNTIME_FAILURE = 1;
    static final int EXIT_STARTUP_FAILURE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** The DStream CLI waits 30 s for the first line; we answer within 15 s whatever the server does. */
    private static final long STARTUP_DEADLINE_MILLIS = 14_000;
    /** The CLI kills 10 s after SIGTERM; we promise 5 s. */
    private static final long SHUTDOWN_DEADLINE_MILLIS = 4_500;
    /** Connections kept open: the loop uses one at a time; a spare covers a checkpoint save or a reconnect. */
    private static final int POOL_SIZE = 2;

    private final Stdout out;
    private final AtomicBoolean answered = new AtomicBoolean();

    Main(Stdout out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Stdout stdout = new Stdout(new FileOutputStream(FileDescriptor.out));
        System.setOut(System.err); // nothing but our JSON lines may reach stdout, whatever a library prints
        JulToSlf4j.install();
        Signals.install(() -> {
            // before streaming nothing is held and nothing needs saving
            LOG.info("stop requested before streaming began; exiting");
            System.exit(EXIT_OK);
        });
        int code;
        try {
            code = new Main(stdout).run(System.in);
        } catch (RuntimeException e) {
            LOG.error("stopped by an unexpected error: {}", String.valueOf(e).replace('\n', ' '));
            code = EXIT_RUNTIME_FAILURE;
        }
        System.exit(code);
    }

    int run(InputStream stdin) {
        ProviderConfig config;
        Command command;
        try {
            LOG.info("waiting for the config line on stdin (giving up after {} s)", Request.LINE_DEADLINE.toSeconds());
            Request request = Request.read(stdin);
            ProviderConfig.logFormatOf(request.config()).ifPresent(StderrAppender::use);
            command = request.command();
            config = ProviderConfig.from(request.config());
            LogMask.hide(config.secrets());
        } catch (ConfigException e) {
            return startupFailed("invalid configuration: " + e.getMessage());
        }
        config.warnings().forEach(LOG::warn);
        LOG.info("config loaded: command {}, {}", command.name().toLowerCase(Locale.ROOT), config);
        Optional<ProviderMetrics> metrics = command == Command.RUN
                ? config.get(ConfigKeys.METRICS_ADDRESS).map(address -> new ProviderMetrics()) : Optional.empty();
        MetricsServer server = null;
        if (metrics.isPresent()) {
            try {
                // before connecting: a port in use is a startup error at once, and a scraper sees the start (ready 0)
                server = MetricsServer.start(config.get(ConfigKeys.METRICS_ADDRESS).get(), metrics.get());
            } catch (IOException e) {
                return startupFailed(e.getMessage());
            }
            LOG.info("metrics on {}", server.url());
        }
        try {
            return connectAndRun(config, command, metrics);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private int connectAndRun(ProviderConfig config, Command command, Optional<ProviderMetrics> metrics) {
        StartupProgress progress = StartupProgress.connecting(config.target().address());
        Thread watchdog = startupWatchdog(progress);
        try (Database db = new Database(config.target(), POOL_SIZE)) {
            Startup startup = Startup.prepare(db, config, command, progress);
            if (!answer(ready())) {
                return EXIT_STARTUP_FAILURE; // the watchdog answered first
            }
            watchdog.interrupt();
            metrics.ifPresent(ProviderMetrics::ready);
            return switch (command) {
                case RUN -> stream(db, config, startup, metrics);
                default -> runCommand(db, config, startup, command);
            };
        } catch (StartupException e) {
            return startupFailed(e.getMessage());
        } catch (IOException e) {
            LOG.error("cannot write to stdout: {}", e.getMessage());
            return EXIT_RUNTIME_FAILURE;
        } catch (SQLException e) {
            LOG.error("{}", SqlAdvice.explain(e));
            return EXIT_RUNTIME_FAILURE;
        }
    }

    private int runCommand(Database db, ProviderConfig config, Startup startup, Command command)
            throws SQLException, IOException {
        try {
            new Commands(db, config, startup, out).run(command);
            return EXIT_OK;
        } finally {
            startup.locker().close();
        }
    }

    private int stream(Database db, ProviderConfig config, Startup startup, Optional<ProviderMetrics> metrics) {
        Locker locker = startup.locker();
        ChangeFormat format = config.outputFormat() == OutputFormat.DSTREAM
                ? new DstreamFormat(config.serverName(), config.database(), config.maxMessageBytes(), config.oversizedChange())
                : new EnvelopeFormat(config.serverName(), config.database(),
                config.get(ConfigKeys.POLL_INTERVAL).text(), config.maxMessageBytes(), config.oversizedChange());
        TableSource source = TableSource.of(db, new ChangeReader(startup.serverOffset()), new CheckpointStore(config.checkpointTable()),
                startup.watermark());
        StreamContext ctx = new StreamContext(config, db, locker, source, format, out, Pacer.system(Clock.systemUTC()),
                startup.maxLsn());
        List<TableName> tables = List.copyOf(startup.resolution().tables().keySet());
        Streamer streamer = new Streamer(ctx, tables);
        metrics.ifPresent(m -> m.tables(streamer::status));
        CountDownLatch finished = new CountDownLatch(1);
        Signals.onStop(() -> {
            LOG.info("stop requested: finishing the batch in hand, saving checkpoints, releasing locks");
            streamer.stop();
            awaitOrExit(finished);
        });
        LOG.info("streaming {} table(s) {}; locking: {}", tables.size(), tables, locker.describe());
        Streamer.Outcome outcome;
        try {
            outcome = streamer.run();
        } finally {
            locker.close();
            finished.countDown();
        }
        LOG.info("stopped: {}", outcome);
        return outcome == Streamer.Outcome.STOPPED || outcome == Streamer.Outcome.SNAPSHOTS_DONE ? EXIT_OK : EXIT_RUNTIME_FAILURE;
    }

    /**
     * Gives the loop its shutdown time. A statement that does not return in time is abandoned: the
     * checkpoint covers only flushed lines, so nothing is lost, and the exit is still clean.
     */
    private static void awaitOrExit(CountDownLatch finished) {
        try {
            if (!finished.await(SHUTDOWN_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the poll in hand did not finish within {} ms; exiting without waiting for it "
                        + "(its changes were not checkpointed and will be sent again)", SHUTDOWN_DEADLINE_MILLIS);
                Runtime.getRuntime().halt(EXIT_OK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread startupWatchdog(StartupProgress progress) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(STARTUP_DEADLINE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (answered.compareAndSet(false, true)) {
                String message = progress.overdue(STARTUP_DEADLINE_MILLIS);
                LOG.error(message);
                writeQuietly(error(message));
                Runtime.getRuntime().halt(EXIT_STARTUP_FAILURE);
            }
        }, "startup-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private int startupFailed(String message) {
        LOG.error(message);
        if (answered.compareAndSet(false, true)) {
            writeQuietly(error(message));
        }
        return EXIT_STARTUP_FAILURE;
    }

    private boolean answer(ObjectNode line) throws IOException {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        out.write(line);
        return true;
    }

    private void writeQuietly(ObjectNode line) {
        try {
            out.write(line);
        } catch (IOException e) {
            LOG.error("cannot write to stdout: {}", e.getMessage());
        }
    }

    static ObjectNode ready() {
        ObjectNode node = Json.object();
        node.put("status", "ready");
        return node;
    }

    static ObjectNode error(String message) {
        ObjectNode node = Json.object();
        node.put("status", "error");
        node.put("message", message);
        return node;
    }
}
