package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.dist.OrasPull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged plugin installed as DStream installs a {@code provider_ref} ({@code orasfetch.PullBinary}): the
 * artifact pulled from {@code target/dist/oci} into {@code <cache>/<name>/<tag>/<platform>} as {@code oras pull}
 * would pull it from a registry, {@code plugin.<platform>} renamed {@code plugin} and made executable; then run
 * as DStream's executor runs a provider: that path, no arguments, in the CLI's working directory.
 */
final class PackagedPlugin {

    private PackagedPlugin() {
    }

    /** The project version, which tags the OCI layout: read off the shaded jar's name. */
    static String version() {
        Matcher m = Pattern.compile("dstream-ingester-mssql-(.+)-all\\.jar").matcher(ProviderProcess.jar().getFileName().toString());
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    /** Pulls, renames and chmods as DStream does, into a cache under {@code home}; returns the plugin. */
    static Path install(Path home, String platform) throws IOException {
        Path cache = home.resolve(".dstream/plugins/dstream-ingester-mssql/" + version() + "/" + platform);
        Path layout = ProviderProcess.jar().getParent().resolve("dist/oci");
        List<String> titles = OrasPull.pull(layout, version(), cache);
        assertThat(titles).contains("plugin." + platform, "provider.json", "lib");
        Path plugin = Files.move(cache.resolve("plugin." + platform), cache.resolve("plugin"));
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        JsonNode manifest = Json.read(Files.readString(cache.resolve("provider.json")));
        assertThat(manifest.path("version").asText()).isEqualTo(version());
        return plugin;
    }

    /** The command DStream runs: the plugin, no arguments, from {@code workingDir}; no PROVIDER_JAVA_OPTS of ours. */
    static ProcessBuilder command(Path plugin, Path workingDir) throws IOException {
        ProcessBuilder command = new ProcessBuilder(plugin.toString()).directory(Files.createDirectories(workingDir).toFile());
        command.environment().remove("PROVIDER_JAVA_OPTS");
        return command;
    }
}
