package io.dstream.mssql.ingester.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The package step ({@code mvn package}, after the shaded jar): the provider as DStream installs providers, in
 * {@code target/dist/}:
 * <pre>
 * plugin.linux_amd64      launcher on the bundled runtime, with the class-data-sharing archive
 * plugin.linux_arm64      launchers on the machine's Java 17+ (JAVA_HOME or PATH)
 * plugin.darwin_amd64
 * plugin.darwin_arm64
 * provider.json           name, version, platforms
 * lib/                    one folder layer: dstream-ingester-mssql.jar, jre-linux_amd64/ (jlink'd, with provider.jsa)
 * oci/                    all of the above as an OCI image layout, tagged with the version, ready for oras cp
 * </pre>
 * (the class list and the dump's log go to {@code target/dist-work/}). DStream's CLI runs
 * {@code oras pull <ref> --output <cache>/<goos>_<goarch>}, then renames {@code plugin.<goos>_<goarch>} to
 * {@code plugin} and runs it with no arguments.
 *
 * <p>Arguments: the shaded jar, the launchers folder ({@code src/dist}), the output folder, the version.
 */
public final class Packager {

    static final String NAME = "dstream-ingester-mssql";
    static final String BUNDLED_PLATFORM = "linux_amd64";
    /** Platforms whose launcher runs the machine's Java; windows_amd64 has none (no sound .exe launcher here). */
    static final List<String> SYSTEM_JAVA_PLATFORMS = List.of("linux_arm64", "darwin_amd64", "darwin_arm64");

    private Packager() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Packager <shaded jar> <launchers folder> <output folder> <version>");
            System.exit(2);
        }
        build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), args[3]);
    }

    static void build(Path jar, Path launchers, Path out, String version) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path work = out.resolveSibling(out.getFileName() + "-work");
        deleteRecursively(out);
        deleteRecursively(work);
        Path lib = out.resolve("lib");
        Files.createDirectories(lib);
        Files.createDirectories(work);
        // COPY_ATTRIBUTES keeps the jar's mtime, which the archive records and the lib/ tar layer carries
        Files.copy(jar, out.resolve(ClassDataSharing.JAR), StandardCopyOption.COPY_ATTRIBUTES);

        Set<String> modules = JavaRuntime.modulesFor(jar);
        log("linking a Java runtime with %s", modules);
        JavaRuntime.link(modules, out.resolve(ClassDataSharing.RUNTIME));
        log("training and dumping the class-data-sharing archive");
        ClassDataSharing.build(out, work);

        List<Path> files = new ArrayList<>();
        files.add(launcher(launchers.resolve("plugin-bundled-runtime.sh"), out.resolve("plugin." + BUNDLED_PLATFORM)));
        for (String platform : SYSTEM_JAVA_PLATFORMS) {
            files.add(launcher(launchers.resolve("plugin-system-java.sh"), out.resolve("plugin." + platform)));
        }
        files.add(providerJson(out.resolve("provider.json"), version));

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.opencontainers.image.description", "SQL Server CDC input provider for DStream");
        annotations.put("org.opencontainers.image.version", version);
        annotations.put("org.opencontainers.image.created", Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
        OciLayout.Artifact artifact = OciLayout.write(out.resolve("oci"), version, files, List.of(lib), annotations);
        log("%s: OCI layout %s tagged %s, manifest %s, %d layers (%s MB), in %d s", NAME, out.resolve("oci"), version,
                artifact.manifestDigest(), artifact.layers().size(),
                artifact.layers().stream().mapToLong(OciLayout.Layer::size).sum() / 1_000_000,
                (System.nanoTime() - started) / 1_000_000_000);
    }

    private static Path launcher(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }

    private static Path providerJson(Path target, String version) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("name", NAME);
        manifest.put("version", version);
        manifest.put("description", "SQL Server CDC input provider for DStream: changes as JSON lines on stdout");
        manifest.put("type", "input");
        List<String> platforms = new ArrayList<>(List.of(BUNDLED_PLATFORM));
        platforms.addAll(SYSTEM_JAVA_PLATFORMS);
        platforms.forEach(manifest.putArray("platforms")::add);
        ObjectNode java = manifest.putObject("java");
        java.put(BUNDLED_PLATFORM, "bundled: Java " + Runtime.version().feature() + " runtime (jlink) in "
                + ClassDataSharing.RUNTIME);
        java.put("others", "Java 17 or newer from JAVA_HOME or the PATH");
        Files.writeString(target, json.writeValueAsString(manifest) + "\n");
        return target;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[dist] " + format + "%n", args);
    }
}
