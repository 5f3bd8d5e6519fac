package io.dstream.mssql.ingester.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code oras pull --output <folder>} leaves in the folder, for an artifact read from an OCI layout: each file
 * layer written as a plain file named by its title (not executable: DStream chmods {@code plugin} itself), each
 * folder layer unpacked into a folder of that name with its tar digest checked (oras-go {@code content/file}
 * store, {@code pushFile} and {@code pushDir}).
 */
public final class OrasPull {

    private OrasPull() {
    }

    /**
     * Pulls the artifact tagged {@code tag} of {@code layout} (checked by {@link OciLayout#read}) into {@code output};
     * returns the titles of its layers, in order.
     */
    public static List<String> pull(Path layout, String tag, Path output) throws IOException {
        OciLayout.Artifact artifact = OciLayout.read(layout, tag);
        Files.createDirectories(output);
        for (OciLayout.Layer layer : artifact.layers()) {
            Path blob = OciLayout.blob(layout, layer);
            if (layer.isFolder()) {
                String tarDigest;
                try (InputStream in = Files.newInputStream(blob)) {
                    tarDigest = Tarball.unpack(in, layer.title(), output);
                }
                if (!tarDigest.equals(layer.annotations().get(OciLayout.TAR_DIGEST))) {
                    throw new IllegalStateException("content digest mismatch in " + layer.title() + ": the tar hashes to "
                            + tarDigest + ", the layer says " + layer.annotations().get(OciLayout.TAR_DIGEST));
                }
            } else {
                Files.copy(blob, output.resolve(layer.title()));
            }
        }
        return artifact.layers().stream().map(OciLayout.Layer::title).toList();
    }
}
