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
