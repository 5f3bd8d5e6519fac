package io.dstream.mssql.ingester.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider as an OCI artifact in an OCI image layout folder ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/...}), shaped as {@code oras push --artifact-type application/vnd.dstream.provider} shapes it:
 * an image manifest with that {@code artifactType}, the empty config, and one layer per pushed name, each carrying
 * its name in {@code org.opencontainers.image.title} (the file name {@code oras pull} writes). A file is a layer
 * as it is; a folder is a gzip'd tar marked for unpacking ({@link Tarball}). The manifest is tagged in
 * {@code index.json} ({@code org.opencontainers.image.ref.name}), so that
 * {@code oras cp --from-oci-layout <folder>:<tag> <registry>/<repo>:<tag>} pushes it unchanged and
 * {@code oras pull --oci-layout <folder>:<tag>} reads it like a registry.
 */
final class OciLayout {

    /** What DStream's own providers are pushed as (katasec/dstream-ingester-mssql {@code scripts/push.sh}). */
    static final String ARTIFACT_TYPE = "application/vnd.dstream.provider";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    /** The config of an artifact that has none (image-spec 1.1), whose content is {@code {}}. */
    static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.US_ASCII);
    /** The media type {@code oras push} gives a file when none is named. */
    static final String FILE_LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    /** The media type {@code oras push} gives a folder (a gzip'd tar). */
    static final String FOLDER_LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String TITLE = "org.opencontainers.image.title";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** oras-go {@code content/file}: a layer that {@code oras pull} unpacks into a folder named by its title. */
    static final String UNPACK = "io.deis.oras.content.unpack";
    /** oras-go {@code content/file}: the digest of the uncompressed tar, checked by {@code oras pull} when unpacking. */
    static final String TAR_DIGEST = "io.deis.oras.content.digest";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Blobs are content, not programs: a launcher's exec bit is not copied (DStream chmods {@code plugin} itself). */
    private static final Set<PosixFilePermission> BLOB_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    /** A layer's descriptor as the manifest lists it. */
    record Layer(String title, String mediaType, String digest, long size, Map<String, String> annotations) {

        boolean isFolder() {
            return "true".equals(annotations.get(UNPACK));
        }
    }

    /** The tagged manifest of a layout: its digest, its layers in order, its annotations. */
    record Artifact(String tag, String manifestDigest, List<Layer> layers, Map<String, String> annotations) {

        Layer layer(String title) {
            return layers.stream().filter(l -> l.title().equals(title)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no layer titled " + title + " in " + layers));
        }
    }

    private OciLayout() {
    }

    /**
     * Writes a new layout into the empty or missing folder {@code layout}: the files and folders as layers (in that
     * order, titled by their file names), the manifest with these annotations, tagged {@code tag}.
     */
    static Artifact write(Path layout, String tag, List<Path> files, List<Path> folders, Map<String, String> annotations)
            throws IOException {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        List<Layer> layers = new ArrayList<>();
        for (Path file : files) {
            String digest = Digests.of(file);
            Files.copy(file, Digests.blobPath(layout, digest), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(Digests.blobPath(layout, digest), BLOB_PERMISSIONS);
            layers.add(new Layer(file.getFileName().toString(), FILE_LAYER_TYPE, digest, Files.size(file),
                    Map.of(TITLE, file.getFileName().toString())));
        }
        for (Path folder : folders) {
            layers.add(writeFolder(layout, folder));
        }
        writeBlob(layout, EMPTY);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.put("artifactType", ARTIFACT_TYPE);
        ObjectNode config = manifest.putObject("config");
        config.put("mediaType", EMPTY_TYPE);
        config.put("digest", Digests.of(EMPTY));
        config.put("size", EMPTY.length);
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(l -> layerArray.add(descriptor(l.mediaType(), l.digest(), l.size(), l.annotations())));
        manifest.set("annotations", JSON.valueToTree(annotations));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = writeBlob(layout, manifestBytes);

        ObjectNode entry = descriptor(MANIFEST_TYPE, manifestDigest, manifestBytes.length, Map.of(REF_NAME, tag));
        entry.put("artifactType", ARTIFACT_TYPE);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        index.putArray("manifests").add(entry);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new Artifact(tag, manifestDigest, List.copyOf(layers), Map.copyOf(annotations));
    }

    private static Layer writeFolder(Path layout, Path folder) throws IOException {
        Path temp = Files.createTempFile(layout.resolve("blobs/sha256"), "layer", ".tmp");
        String tarDigest;
        try (OutputStream out = Files.newOutputStream(temp)) {
            tarDigest = Tarball.pack(folder, out);
        }
        String digest = Digests.of(temp);
        Files.move(temp, Digests.blobPath(layout, digest), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(Digests.blobPath(layout, digest), BLOB_PERMISSIONS);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(TITLE, folder.getFileName().toString());
        annotations.put(TAR_DIGEST, tarDigest);
        annotations.put(UNPACK, "true");
        return new Layer(folder.getFileName().toString(), FOLDER_LAYER_TYPE, digest,
                Files.size(Digests.blobPath(layout, digest)), annotations);
    }

    private static String writeBlob(Path layout, byte[] content) throws IOException {
        String digest = Digests.of(content);
        Files.write(Digests.blobPath(layout, digest), content);
        return digest;
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        node.set("annotations", JSON.valueToTree(annotations));
        return node;
    }

    /**
     * Reads the manifest tagged {@code tag} and checks the layout on the way, as a registry would on push: the
     * layout version, the index, and for the manifest, its config and every layer that the blob exists, has the
     * size and sha256 digest its descriptor says, and has the expected media type; titles are present and unique.
     * Throws {@link IllegalStateException} naming the first thing wrong.
     */
    static Artifact read(Path layout, String tag) throws IOException {
        JsonNode version = JSON.readTree(layout.resolve("oci-layout").toFile());
        check("1.0.0".equals(version.path("imageLayoutVersion").asText()), "oci-layout must say imageLayoutVersion 1.0.0, not " + version);
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        check(index.path("schemaVersion").asInt() == 2 && INDEX_TYPE.equals(index.path("mediaType").asText()),
                "index.json must be an image index, schemaVersion 2: " + index);
        JsonNode entry = null;
        for (JsonNode m : index.path("manifests")) {
            if (tag.equals(m.path("annotations").path(REF_NAME).asText())) {
                entry = m;
            }
        }
        check(entry != null, "index.json has no manifest tagged " + tag + ": " + index);
        check(MANIFEST_TYPE.equals(entry.path("mediaType").asText()), "the index entry is not an image manifest: " + entry);
        byte[] manifestBytes = verifiedBlob(layout, entry);
        JsonNode manifest = JSON.readTree(manifestBytes);
        check(manifest.path("schemaVersion").asInt() == 2 && MANIFEST_TYPE.equals(manifest.path("mediaType").asText()),
                "the manifest must be an image manifest, schemaVersion 2: " + manifest);
        check(ARTIFACT_TYPE.equals(manifest.path("artifactType").asText()), "artifactType must be " + ARTIFACT_TYPE);
        JsonNode config = manifest.path("config");
        check(EMPTY_TYPE.equals(config.path("mediaType").asText()), "the config must be " + EMPTY_TYPE + ": " + config);
        check(java.util.Arrays.equals(EMPTY, verifiedBlob(layout, config)), "the empty config blob must hold {}");

        List<Layer> layers = new ArrayList<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode l : manifest.path("layers")) {
            Map<String, String> annotations = JSON.convertValue(l.path("annotations"),
                    JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
            Layer layer = new Layer(annotations.getOrDefault(TITLE, ""), l.path("mediaType").asText(),
                    l.path("digest").asText(), l.path("size").asLong(), annotations);
            check(!layer.title().isEmpty() && !layer.title().contains("/") && titles.add(layer.title()),
                    "every layer needs its own plain file name in " + TITLE + ": " + l);
            check(layer.mediaType().equals(layer.isFolder() ? FOLDER_LAYER_TYPE : FILE_LAYER_TYPE),
                    "unexpected media type for " + layer.title() + ": " + layer.mediaType());
            check(!layer.isFolder() || annotations.getOrDefault(TAR_DIGEST, "").startsWith("sha256:"),
                    "folder layer " + layer.title() + " needs " + TAR_DIGEST);
            verifiedBlobFile(layout, l);
            layers.add(layer);
        }
        Map<String, String> annotations = JSON.convertValue(manifest.path("annotations"),
                JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
        return new Artifact(tag, entry.path("digest").asText(), List.copyOf(layers),
                annotations == null ? Map.of() : annotations);
    }

    /** The blob of a layer, to read it. */
    static Path blob(Path layout, Layer layer) {
        return Digests.blobPath(layout, layer.digest());
    }

    private static byte[] verifiedBlob(Path layout, JsonNode descriptor) throws IOException {
        return Files.readAllBytes(verifiedBlobFile(layout, descriptor));
    }

    private static Path verifiedBlobFile(Path layout, JsonNode descriptor) throws IOException {
        String digest = descriptor.path("digest").asText();
        Path blob = Digests.blobPath(layout, digest);
        check(Files.isRegularFile(blob), "blob " + digest + " is missing");
        check(Files.size(blob) == descriptor.path("size").asLong(),
                "blob " + digest + " has " + Files.size(blob) + " bytes, its descriptor says " + descriptor.path("size"));
        check(digest.equals(Digests.of(blob)), "blob " + digest + " does not hash to its name (" + Digests.of(blob) + ")");
        return blob;
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException("OCI layout: " + problem);
        }
    }
}
