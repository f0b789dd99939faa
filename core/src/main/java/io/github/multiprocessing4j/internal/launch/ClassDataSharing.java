package io.github.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An archive of the classes a child JVM loads while it starts (class-data sharing), so that the next
 * children map those classes instead of loading, parsing and verifying them: a dynamic AppCDS archive on
 * JDK 17 to 24, the AOT cache on JDK 25 and later.
 *
 * <p>One archive per JDK and child command line (which holds the class path and JVM options), in the
 * user's own cache directory ({@code ~/.cache/multiprocessing4j/cds}, 0700, never a shared temporary
 * directory: an archive is code the JVM maps). It is made once, in the background, by a training child
 * that starts like any other, warms up, and exits normally, which is when the JVM writes the archive; the
 * archive then gets a checksum file next to it. Only class paths made entirely of jar files qualify (the
 * JVM refuses archives for class-path directories), and only commands that do not choose a sharing mode
 * themselves.
 *
 * <h2>Never breaking a start</h2>
 * A missing, stale or refused archive must not stop a child, and on JDK 17 a truncated archive crashes the
 * JVM that maps it (SIGBUS, seen here), so an archive is used only when its checksum matches the one
 * written after it was made whole (checked once per JVM); otherwise it is deleted and made again. The
 * flag naming an archive is added only when the file exists: a missing file would silently turn off the
 * JDK's own class-data sharing too. Set {@value #PROPERTY}{@code =false} to turn all of this off.
 *
 * <h2>A bounded cache</h2>
 * Each class path (its jars' sizes and times included) and option set gets its own archive, 2.5 MB and up,
 * so every rebuild of an application's jar makes another. The directory keeps the {@value #KEPT}
 * archives used most recently: a JVM marks an archive used (its checksum file's modification time) when it
 * first checks it and every few minutes while it goes on starting children with it, and each new archive
 * removes the least recently used beyond that number, with the leftovers of training runs killed before
 * they finished. A child already mapping a removed archive keeps
 * its mapping (the file lives on until unmapped); a JVM looks for the file before each child it starts with
 * it, so the next such child starts without it.
 */
final class ClassDataSharing {
    static final String PROPERTY = "multiprocessing4j.cds";
    /** How many archives the directory keeps: the ones used most recently. */
    static final int KEPT = 16;
    /**
     * A training's partial file, or a checksum file without its archive (two trainings of one archive
     * raced), older than this is a leftover.
     */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    /** A JVM that goes on using an archive marks it used again after this long. */
    private static final Duration MARK_EVERY = Duration.ofMinutes(5);
    /** JVM options by which a command chooses its own sharing mode; such commands are left alone. */
    private static final List<String> OWN_SHARING_CHOICE = List.of("-Xshare", "-XX:SharedArchiveFile",
            "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive", "-XX:AOTCache", "-XX:AOTMode",
            "-XX:AOTConfiguration", "-XX:-UseSharedSpaces");

    /** An archive of one command line: where it lives and how a JVM makes or uses it. */
    record Archive(Path file, boolean aotCache) {
        Path checksum() {
            return file.resolveSibling(file.getFileName() + ".sha256");
        }

        String useFlag() {
            return (aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + file;
        }
    }

    /**
     * One training run: the file its JVM writes at exit, of its own (two JVMs training at once never write
     * the same file), moved into place only once whole.
     */
    record Training(Archive archive, Path partial) {
        /** {@code command} with the flag that writes the archive at exit. */
        List<String> command(List<String> command) {
            List<String> training = new ArrayList<>(command);
            training.add(1, (archive.aotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + partial);
            return training;
        }
    }

    private final Path directory;
    private final boolean enabled;
    /* Accessed only while holding this. */
    private final Map<List<String>, Optional<Archive>> archives = new HashMap<>();
    private final Set<Path> verified = new HashSet<>();
    private final Set<Path> training = new HashSet<>();

    ClassDataSharing(Path directory, boolean enabled) {
        this.directory = directory;
        this.enabled = enabled;
    }

    /** The user's archive directory, on unless {@value #PROPERTY} is {@code false}. */
    static ClassDataSharing forThisUser() {
        return new ClassDataSharing(Path.of(System.getProperty("user.home"), ".cache", "multiprocessing4j", "cds"),
                !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim()));
    }

    /**
     * The archive for children started with {@code command} (the {@code java} binary first, the main class
     * last), or empty when such children cannot share classes this way.
     */
    synchronized Optional<Archive> archiveFor(List<String> command) {
        return archives.computeIfAbsent(List.copyOf(command), this::locate);
    }

    private Optional<Archive> locate(List<String> command) {
        if (!enabled || command.stream().anyMatch(arg -> OWN_SHARING_CHOICE.stream().anyMatch(arg::startsWith))) {
            return Optional.empty();
        }
        int classPathAt = command.indexOf("-cp");
        if (classPathAt < 0 || command.contains("--module-path")) {
            return Optional.empty();
        }
        MessageDigest key = sha256();
        key.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        command.forEach(arg -> key.update((arg + "\n").getBytes(StandardCharsets.UTF_8)));
        for (String entry : command.get(classPathAt + 1).split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!Files.isRegularFile(jar)) {
                return Optional.empty(); // a directory or a missing entry: the JVM would refuse the archive
            }
            try {
                key.update((Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        boolean aotCache = Runtime.version().feature() >= 25;
        String name = HexFormat.of().formatHex(key.digest(), 0, 16) + (aotCache ? ".aot" : ".jsa");
        return Optional.of(new Archive(directory.resolve(name), aotCache));
    }

    /**
     * The flag that makes a child use {@code archive}, when it is whole; empty when it is missing or
     * damaged (a damaged one is deleted).
     */
    synchronized Optional<String> useFlag(Archive archive) {
        if (verified.contains(archive.file())) {
            if (Files.isRegularFile(archive.file())) {
                markUsedIfStale(archive); // still in use here: keep it among the ones used most recently
                return Optional.of(archive.useFlag());
            }
            // Pruned by another JVM: a flag naming it would fail the child's sharing. This JVM may make it again.
            verified.remove(archive.file());
            training.remove(archive.file());
        }
        if (!Files.isRegularFile(archive.file()) || !Files.isRegularFile(archive.checksum())) {
            return Optional.empty();
        }
        try {
            String expected = Files.readString(archive.checksum(), StandardCharsets.US_ASCII).trim();
            if (!expected.equals(checksumOf(archive.file()))) {
                Files.deleteIfExists(archive.checksum());
                Files.deleteIfExists(archive.file());
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        verified.add(archive.file());
        markUsed(archive);
        return Optional.of(archive.useFlag());
    }

    /** Records that {@code archive} was used now, for {@link #prune}; best effort. */
    private static void markUsed(Archive archive) {
        try {
            Files.setLastModifiedTime(archive.checksum(), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // It may be pruned sooner than its use deserves; it is made again if needed.
        }
    }

    /** As {@link #markUsed}, unless it was marked within {@link #MARK_EVERY}: one file lookup per child start. */
    private static void markUsedIfStale(Archive archive) {
        try {
            if (Files.getLastModifiedTime(archive.checksum()).toInstant().isBefore(Instant.now().minus(MARK_EVERY))) {
                markUsed(archive);
            }
        } catch (IOException e) {
            // The checksum went with a prune; the next start finds the archive gone.
        }
    }

    /**
     * Removes the archives beyond the {@value #KEPT} used most recently (an archive counts as used when its
     * checksum file was last modified: made or first checked by a JVM), and partial files of trainings
     * that died. Best effort: a file that cannot be read or removed is left.
     */
    void prune() {
        List<Path> archivesByUse = new ArrayList<>();
        Map<Path, FileTime> lastUsed = new HashMap<>();
        Instant abandoned = Instant.now().minus(ABANDONED_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                try {
                    if (name.endsWith(".jsa") || name.endsWith(".aot")) {
                        Path checksum = entry.resolveSibling(name + ".sha256");
                        lastUsed.put(entry, Files.getLastModifiedTime(Files.exists(checksum) ? checksum : entry));
                        archivesByUse.add(entry);
                    } else if ((name.endsWith(".partial") || name.endsWith(".sha256")
                            && !Files.exists(entry.resolveSibling(name.substring(0, name.length() - ".sha256".length()))))
                            && Files.getLastModifiedTime(entry).toInstant().isBefore(abandoned)) {
                        Files.deleteIfExists(entry);
                    }
                } catch (IOException e) {
                    // Gone meanwhile (another JVM pruned it), or unreadable: leave it.
                }
            }
        } catch (IOException e) {
            return;
        }
        archivesByUse.sort(Comparator.comparing(lastUsed::get, Comparator.reverseOrder()));
        for (Path stale : archivesByUse.subList(Math.min(KEPT, archivesByUse.size()), archivesByUse.size())) {
            try {
                Files.deleteIfExists(stale.resolveSibling(stale.getFileName() + ".sha256"));
                Files.deleteIfExists(stale);
            } catch (IOException e) {
                // Left for the next prune.
            }
        }
    }

    /**
     * Claims the training of {@code archive} for this JVM: once per archive and JVM, and only when the cache
     * directory can be made private to this user; empty otherwise.
     */
    synchronized Optional<Training> claimTraining(Archive archive) {
        if (verified.contains(archive.file()) || !training.add(archive.file())) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory.getParent());
            if (!Files.isDirectory(directory)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path partial = Files.createTempFile(directory, archive.file().getFileName() + ".", ".partial");
            Files.delete(partial); // the JVM creates it at exit
            return Optional.of(new Training(archive, partial));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** A training child ended: keeps its archive if it exited normally and wrote one. */
    void trainingEnded(Training run, int exitValue) {
        Archive archive = run.archive();
        Path partial = run.partial();
        try {
            if (exitValue == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                String checksum = checksumOf(partial);
                Files.move(partial, archive.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Path checksumPartial = Files.createTempFile(directory, archive.checksum().getFileName() + ".", ".partial");
                Files.writeString(checksumPartial, checksum + "\n", StandardCharsets.US_ASCII);
                Files.move(checksumPartial, archive.checksum(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                prune();
            } else {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            // No archive this time; children start without one.
        }
    }

    private static String checksumOf(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
