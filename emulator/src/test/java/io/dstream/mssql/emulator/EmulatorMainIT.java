package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a user runs it: bin/mssql-cdc-emulator --port 0, then JDBC, then SIGTERM. */
class EmulatorMainIT {

    private static final Pattern LISTENING = Pattern.compile("listening on ([^:\\s]+):(\\d+)");

    @TempDir
    Path dir;

    @Test
    void launcherPrintsItsPortServesJdbcAndStopsOnSigterm() throws Exception {
        Path launcher = Path.of("..", "bin", "mssql-cdc-emulator").toAbsolutePath().normalize();
        assertThat(launcher).exists();
        Path init = dir.resolve("init.sql");
        Files.writeString(init, "CREATE TABLE dbo.hello (id INT)\nGO\nINSERT INTO dbo.hello VALUES (42)\nGO\n");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(launcher.toString(), "--port", "0", "--database", "demo", "--init", init.toString(),
                "--capture-latency", "50ms")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            Matcher m = null;
            while ((line = out.readLine()) != null) {
                m = LISTENING.matcher(line);
                if (m.find()) {
                    break;
                }
            }
            assertThat(m).as("a 'listening on' line on stdout").isNotNull();
            long startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(startupMillis).as("startup time in ms").isLessThan(15_000);
            String url = "jdbc:sqlserver://" + m.group(1) + ":" + m.group(2) + ";databaseName=demo;encrypt=false";
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM dbo.hello")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    /** With a capture latency of an hour, only the capture at SIGTERM can put the insert in the change table. */
    @Test
    void dataDirKeepsTablesAndCdcAcrossASigtermRestart() throws Exception {
        Path data = dir.resolve("data");
        Process first = launch("--data-dir", data.toString(), "--capture-latency", "1h");
        try (Connection c = DriverManager.getConnection(jdbcUrl(first)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.kept (id INT NOT NULL PRIMARY KEY, note NVARCHAR(20) NULL)");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'kept', @role_name = NULL");
            s.execute("INSERT INTO dbo.kept VALUES (1, N'kept')");
        } finally {
            stop(first);
        }
        assertThat(data.resolve("demo.mv.db")).exists();
        Process second = launch("--data-dir", data.toString());
        try (Connection c = DriverManager.getConnection(jdbcUrl(second)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT k.note, ct.__$operation FROM dbo.kept k JOIN cdc.dbo_kept_CT ct ON ct.id = k.id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
            assertThat(rs.getInt(2)).isEqualTo(2);
            assertThat(rs.next()).isFalse();
        } finally {
            stop(second);
        }
    }

    private final Map<Process, String> urls = new HashMap<>();

    /** --pid-file: the process id is in the file once the listening line is out; the file is gone after SIGTERM. */
    @Test
    void pidFileNamesTheProcessUntilItStops() throws Exception {
        Path pidFile = dir.resolve("emulator.pid");
        Process p = launch("--pid-file", pidFile.toString());
        try {
            assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(p.pid()));
        } finally {
            stop(p);
        }
        assertThat(pidFile).as("deleted at exit").doesNotExist();
    }

    /** Starts the launcher on a free port with database demo and reads its JDBC URL from stdout. */
    private Process launch(String... options) throws Exception {
        Path launcher = Path.of("..", "bin", "mssql-cdc-emulator").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--port", "0",
                "--database", "demo"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr-" + urls.size() + ".log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                urls.put(p, "jdbc:sqlserver://" + m.group(1) + ":" + m.group(2) + ";databaseName=demo;encrypt=false");
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the emulator exited (" + p.waitFor() + ") without a 'listening on' line");
    }

    private String jdbcUrl(Process p) {
        return urls.get(p);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBrokenInitScriptFailsStartupWithTheLine() throws Exception {
        Path launcher = Path.of("..", "bin", "mssql-cdc-emulator").toAbsolutePath().normalize();
        Path init = dir.resolve("bad.sql");
        Files.writeString(init, "SELECT 1\nGO\nSELEC 2\n");
        Process p = new ProcessBuilder(launcher.toString(), "--port", "0", "--init", init.toString()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isNotZero();
            assertThat(err).contains("bad.sql:3");
        } finally {
            p.destroyForcibly();
        }
    }
}
