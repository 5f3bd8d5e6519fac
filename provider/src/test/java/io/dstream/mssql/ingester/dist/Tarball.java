package io.dstream.mssql.ingester.dist;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A folder as one layer, the way ORAS carries folders: {@code oras push} packs a directory as a gzip'd tar whose
 * entries are named {@code <folder>/...} (the folder itself first, every directory before its contents), and
 * {@code oras pull} unpacks such a layer (annotation {@code io.deis.oras.content.unpack: "true"}) back into
 * {@code <output>/<folder>}, creating regular files with the entry's mode (so {@code bin/java} stays executable),
 * restoring modification times, and keeping symlinks that stay inside the folder (oras-go
 * {@code content/file/utils.go}: {@code tarDirectory}, {@code extractTarDirectory}). Modification times matter
 * here: Java 17 refuses a class-data-sharing archive whose jar has another mtime than when it was built.
 */
final class Tarball {

    private Tarball() {
    }

    /**
     * Writes {@code folder} as a gzip'd tar with entries named {@code <folder name>/...}, in name order; returns the
     * {@code sha256:<hex>} digest of the uncompressed tar (ORAS's {@code io.deis.oras.content.digest}).
     */
    static String pack(Path folder, OutputStream out) throws IOException {
        DigestOutputStream tarDigest = new DigestOutputStream(OutputStream.nullOutputStream(), Digests.sha256());
        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new TeeStream(gzip, tarDigest))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            String prefix = folder.getFileName().toString();
            for (Path path : walk(folder)) {
                String name = path.equals(folder) ? prefix : prefix + "/" + folder.relativize(path).toString().replace('\\', '/');
                addEntry(tar, path, name);
            }
            tar.finish();
        }
        return Digests.of(tarDigest.getMessageDigest());
    }

    private static List<Path> walk(Path folder) throws IOException {
        // Files.walk visits a directory before its contents; sorting by path keeps that and makes the tar repeatable
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.sorted().toList();
        }
    }

    private static void addEntry(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            entry = new TarArchiveEntry(path, Files.isDirectory(path) ? name + "/" : name, LinkOption.NOFOLLOW_LINKS);
        }
        entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
        entry.setMode(mode(path));
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
    }

    /** The tar mode: file type bits (as {@code st_mode}) and permission bits. */
    private static int mode(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return 0120777;
        }
        int type = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 040000 : 0100000;
        int bits = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(path)) {
            bits |= 1 << (8 - p.ordinal());
        }
        return type | bits;
    }

    /**
     * Unpacks a layer made by {@link #pack} (or by {@code oras push}) into {@code output}, as {@code oras pull} does:
     * every entry must lie under {@code <name>/}; returns the {@code sha256:<hex>} digest of the uncompressed tar so that the caller
     * can check ORAS's {@code io.deis.oras.content.digest}.
     */
    static String unpack(InputStream gzipped, String name, Path output) throws IOException {
        DigestInputStream digesting = new DigestInputStream(new GZIPInputStream(gzipped, 1 << 16));
        Path base = output.resolve(name).normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(digesting)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = output.resolve(entry.getName()).normalize();
                if (!target.startsWith(base)) {
                    throw new IOException("tar entry " + entry.getName() + " is outside of " + name + "/");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Path link = Path.of(entry.getLinkName());
                    if (!target.getParent().resolve(link).normalize().startsWith(base)) {
                        throw new IOException("symlink " + entry.getName() + " points outside of " + name + "/");
                    }
                    Files.createSymbolicLink(target, link);
                    continue;
                } else if (entry.isFile()) {
                    Files.copy(tar, target);
                } else {
                    continue; // as oras: other entry types are skipped
                }
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
            }
            return digesting.digest(); // before closing: the padding after the last entry counts too
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    /** Writes to two streams: the gzip that becomes the blob, and the digest of the plain tar. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            first.close();
            second.close();
        }
    }

    /** Hashes every byte read (the tar reader stops before the end-of-archive padding, which counts too). */
    private static final class DigestInputStream extends java.security.DigestInputStream {
        DigestInputStream(InputStream in) {
            super(in, Digests.sha256());
        }

        /** Reads what is left, then returns {@code sha256:<hex>} of everything. */
        String digest() throws IOException {
            transferTo(OutputStream.nullOutputStream());
            return Digests.of(getMessageDigest());
        }
    }
}
