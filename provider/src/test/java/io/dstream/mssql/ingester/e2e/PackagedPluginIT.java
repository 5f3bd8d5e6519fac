package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged plugin installed as DStream installs a {@code provider_ref} ({@link PackagedPlugin}: pulled from the
 * OCI layout of {@code target/dist/oci} into an empty folder as {@code oras pull} would, {@code plugin.<platform>}
 * renamed {@code plugin} and made executable) and run with no arguments, from another working directory, with the
 * config on stdin.
 */
class PackagedPluginIT extends EmulatorTestBase {

    /** DStream's cache folder names hold no spaces, but a user's home may. */
    @TempDir
    static Path temp;

    @Test
    void linuxAmd64PluginStreamsOnItsBundledRuntimeWithNoJavaOnThePath() throws IOException {
        Path plugin = install("linux_amd64");
        db.createTracked("dbo", "packaged", "id INT PRIMARY KEY, name NVARCHAR(40)");
        db.exec("INSERT INTO dbo.packaged VALUES (1, N'before start')");

        ProcessBuilder command = dstreamRuns(plugin);
        // a PATH with no java on it, and no JAVA_HOME: the plugin brings its own runtime
        Path bin = Files.createDirectories(temp.resolve("bin-without-java"));
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        command.environment().put("PATH", bin.toString());
        command.environment().remove("JAVA_HOME");
        // -Xshare:on makes the JVM refuse to start unless the class-data-sharing archive maps and matches the jar:
        // it must survive the pull into another folder (the tar layer keeps the jar's mtime)
        command.environment().put("PROVIDER_JAVA_OPTS", "-Xshare:on");
        ProviderProcess provider = track(ProviderProcess.startCommand(command, Json.envelope("run", config("dbo.packaged")), "plugin-linux_amd64"));

        provider.awaitReady(STARTUP);
        db.exec("INSERT INTO dbo.packaged VALUES (2, N'after start')", "DELETE FROM dbo.packaged WHERE id = 1");
        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.packaged", change("delete", 1));
        assertThat(changes).extracting(c -> c.path("change_type").asText() + " " + c.path("data").path("id").asInt())
                .containsExactly("insert 1", "insert 2", "delete 1");
        stopCleanly(provider);
        assertThat(provider.stderr()).noneMatch(line -> line.contains("[cds]") || line.contains("shared archive"));
    }

    @Test
    void systemJavaPluginRunsOnJavaHome() throws IOException {
        Path plugin = install("linux_arm64"); // the same launcher as darwin_amd64 and darwin_arm64: it runs here too
        db.createTracked("dbo", "packaged_jh", "id INT PRIMARY KEY");
        db.exec("INSERT INTO dbo.packaged_jh VALUES (7)");
        ProcessBuilder command = dstreamRuns(plugin);
        command.environment().put("JAVA_HOME", System.getProperty("java.home"));
        ProviderProcess provider = track(ProviderProcess.startCommand(command, Json.envelope("run", config("dbo.packaged_jh")), "plugin-linux_arm64"));

        provider.awaitReady(STARTUP);
        envelopeChangesUntil(provider, "dbo.packaged_jh", change("insert", 7));
        stopCleanly(provider);
    }

    @Test
    void systemJavaPluginSaysSoWhenJavaIsMissingOrTooOld() throws IOException {
        Path plugin = install("darwin_arm64");

        ProcessBuilder missing = dstreamRuns(plugin);
        missing.environment().put("JAVA_HOME", temp.resolve("no such java").toString());
        assertStartupError(missing, "JAVA_HOME is", "not an executable");

        Path oldJavaHome = Files.createDirectories(temp.resolve("java8/bin"));
        Path oldJava = Files.writeString(oldJavaHome.resolve("java"), "#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder tooOld = dstreamRuns(plugin);
        tooOld.environment().put("JAVA_HOME", oldJavaHome.getParent().toString());
        assertStartupError(tooOld, "is Java 1.8.0_392", "needs Java 17 or newer");
    }

    private void assertStartupError(ProcessBuilder command, String... words) {
        ProviderProcess provider = track(ProviderProcess.startCommand(command, Json.envelope("run", config("dbo.x")), "plugin-no-java"));
        JsonNode first = Json.read(provider.firstLine(STARTUP));
        assertThat(first.path("status").asText()).isEqualTo("error");
        assertThat(first.path("message").asText()).contains(words);
        assertThat(provider.awaitExit(STOP)).as("a startup error exits 2").isEqualTo(2);
        assertThat(provider.stderr()).anyMatch(line -> line.startsWith("[MSSQL-CDC] ERROR") && line.contains(words[0]));
    }

    private static Path install(String platform) throws IOException {
        return PackagedPlugin.install(temp.resolve("home with space"), platform);
    }

    private static ProcessBuilder dstreamRuns(Path plugin) throws IOException {
        return PackagedPlugin.command(plugin, temp.resolve("where dstream runs"));
    }
}
