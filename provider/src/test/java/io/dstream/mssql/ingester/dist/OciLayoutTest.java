package io.dstream.mssql.ingester.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OCI layout the package step writes, on a small artifact: what {@code oras cp --from-oci-layout} would push
 * (blobs named by their digest with the sizes their descriptors say, the media types ORAS uses, the tag in
 * {@code index.json}) and what {@code oras pull} would leave in a folder (files by title, a folder unpacked with
 * its modes, times and symlinks).
 */
class OciLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileTime JAR_TIME = FileTime.from(Instant.parse("2026-01-02T03:04:05Z"));

    @TempDir
    Path temp;
    Path source;
    Path layout;
    OciLayout.Artifact written;

    @BeforeEach
    void writeSmallArtifact() throws IOException {
        source = Files.createDirectories(temp.resolve("source"));
        Path launcher = Files.writeString(source.resolve("plugin.linux_amd64"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path json = Files.writeString(source.resolve("provider.json"), "{\"name\":\"x\"}\n");
        Path lib = Files.createDirectories(source.resolve("lib"));
        Path java = Files.writeString(Files.createDirectories(lib.resolve("jre/bin")).resolve("java"), "binary");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(lib.resolve("app.jar"), "jar bytes");
        Files.setLastModifiedTime(jar, JAR_TIME);
        Files.createDirectories(lib.resolve("jre/legal/java.base"));
        Files.writeString(lib.resolve("jre/legal/java.base/LICENSE"), "GPLv2 + CPE");
        Files.createDirectories(lib.resolve("jre/legal/java.sql"));
        Files.createSymbolicLink(lib.resolve("jre/legal/java.sql/LICENSE"), Path.of("../java.base/LICENSE"));

        layout = temp.resolve("oci");
        written = OciLayout.write(layout, "1.2.3", List.of(launcher, json), List.of(lib), Map.of("org.opencontainers.image.version", "1.2.3"));
    }

    @Test
    void manifestIsADstreamProviderArtifactWithOneTitledLayerPerName() throws IOException {
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("1.2.3");
        JsonNode manifest = JSON.readTree(Digests.blobPath(layout, entry.path("digest").asText()).toFile());
        assertThat(manifest.path("artifactType").asText()).isEqualTo("application/vnd.dstream.provider");
        assertThat(manifest.path("config").path("digest").asText())
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"); // sha256 of {}
        assertThat(manifest.path("layers").findValuesAsText("org.opencontainers.image.title"))
                .containsExactly("plugin.linux_amd64", "provider.json", "lib");
        assertThat(manifest.path("layers").findValuesAsText("mediaType")).containsExactly(
                "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar",
                "application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(Files.readString(layout.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    @Test
    void readChecksEveryBlobAgainstItsDescriptor() throws IOException {
        OciLayout.Artifact read = OciLayout.read(layout, "1.2.3");
        assertThat(read.layers()).isEqualTo(written.layers());
        assertThat(read.manifestDigest()).isEqualTo(written.manifestDigest());
        for (OciLayout.Layer layer : read.layers()) {
            Path blob = OciLayout.blob(layout, layer);
            assertThat(Files.size(blob)).isEqualTo(layer.size());
            assertThat(Digests.of(blob)).isEqualTo(layer.digest());
        }
        assertThat(read.layer("plugin.linux_amd64").size()).isEqualTo(Files.size(source.resolve("plugin.linux_amd64")));
    }

    @Test
    void aBlobThatDoesNotHashToItsNameIsRefused() throws IOException {
        Path blob = OciLayout.blob(layout, written.layer("provider.json"));
        Files.writeString(blob, "{\"name\":\"y\"}\n"); // same size, other content
        assertThatThrownBy(() -> OciLayout.read(layout, "1.2.3"))
                .hasMessageContaining("does not hash to its name");
    }

    @Test
    void aBlobOfAnotherSizeIsRefused() throws IOException {
        Files.writeString(OciLayout.blob(layout, written.layer("provider.json")), "{}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OciLayout.read(layout, "1.2.3")).hasMessageContaining("bytes, its descriptor says");
    }

    @Test
    void anUnknownTagIsRefused() {
        assertThatThrownBy(() -> OciLayout.read(layout, "9.9.9")).hasMessageContaining("no manifest tagged 9.9.9");
    }

    @Test
    void pullWritesFilesByTitleAndUnpacksTheFolderAsOrasDoes() throws IOException {
        Path out = temp.resolve("pulled");
        OrasPull.pull(layout, "1.2.3", out);

        assertThat(Files.readString(out.resolve("plugin.linux_amd64"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(Files.isExecutable(out.resolve("plugin.linux_amd64"))).as("file layers come without exec bit").isFalse();
        assertThat(Files.readString(out.resolve("provider.json"))).isEqualTo("{\"name\":\"x\"}\n");
        assertThat(Files.readString(out.resolve("lib/jre/bin/java"))).isEqualTo("binary");
        assertThat(Files.isExecutable(out.resolve("lib/jre/bin/java"))).as("the tar keeps modes").isTrue();
        assertThat(Files.getLastModifiedTime(out.resolve("lib/app.jar"))).as("the tar keeps mtimes (CDS checks them)")
                .isEqualTo(JAR_TIME);
        assertThat(Files.isSymbolicLink(out.resolve("lib/jre/legal/java.sql/LICENSE"))).isTrue();
        assertThat(Files.readString(out.resolve("lib/jre/legal/java.sql/LICENSE"))).isEqualTo("GPLv2 + CPE");
    }

    @Test
    void theFolderTarNamesEveryEntryUnderTheFolderParentsFirst() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(Files.newInputStream(OciLayout.blob(layout, written.layer("lib")))))) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).allMatch(n -> n.equals("lib/") || n.startsWith("lib/"));
        assertThat(names.indexOf("lib/jre/")).isLessThan(names.indexOf("lib/jre/bin/"));
        assertThat(names.indexOf("lib/jre/bin/")).isLessThan(names.indexOf("lib/jre/bin/java"));
    }

    @Test
    void aTarThatDoesNotMatchItsContentDigestIsRefusedOnPull() throws IOException {
        Path index = layout.resolve("index.json");
        String manifestDigest = written.manifestDigest();
        String manifest = Files.readString(Digests.blobPath(layout, manifestDigest));
        String tarDigest = written.layer("lib").annotations().get(OciLayout.TAR_DIGEST);
        String tampered = manifest.replace(tarDigest, "sha256:" + "0".repeat(64));
        String tamperedDigest = Digests.of(tampered.getBytes(StandardCharsets.UTF_8));
        Files.writeString(Digests.blobPath(layout, tamperedDigest), tampered);
        Files.writeString(index, Files.readString(index).replace(manifestDigest, tamperedDigest));

        assertThatThrownBy(() -> OrasPull.pull(layout, "1.2.3", temp.resolve("pulled")))
                .hasMessageContaining("content digest mismatch in lib");
    }
}
