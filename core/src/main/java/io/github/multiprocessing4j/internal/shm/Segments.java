package io.github.multiprocessing4j.internal.shm;

import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named shared-memory segments: files in {@code /dev/shm} (a RAM file system on Linux; the temp directory
 * elsewhere) mapped into every process that uses them, so all see the same bytes without copying.
 *
 * <p>Each segment {@code mp4j-NAME} has an owner record {@code mp4j-NAME.owner} holding its creator's pid
 * and start time; creating the record exclusively reserves the name. A segment is sized under a temporary
 * name and then renamed, so nobody attaches it half-made. The creator unlinks its segments when it exits
 * normally (in the {@link ExitSequence}, after its children ended); when it crashes, the next {@link #reapOrphans()}
 * removes them: its parent runs one whenever a child ends, and every process runs one when it first uses
 * shared memory (so a crashed root's blocks go at the next use on this machine). Files are readable by
 * this user only (0600).
 *
 * <p>{@code /dev/shm} is writable by every user, so names may be taken by files someone else planted. As
 * {@code shm_open} does, a segment is opened without following symbolic links, and what was opened is
 * checked: a regular file of this user with one link (the directory is sticky, so nobody else can swap a
 * file of ours for theirs). Files of other users are never attached, written, reaped or removed; a name
 * they hold makes {@link #create} fail with a message naming them, whereas a stale record of ours (its
 * creator is gone) is reclaimed.
 */
public final class Segments {
    private static final String PREFIX = "mp4j-";
    private static final String OWNER_SUFFIX = ".owner";
    private static final Set<String> createdHere = ConcurrentHashMap.newKeySet();
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static volatile boolean started;

    private Segments() {}

    static Path directory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Path segment(String name) {
        return directory().resolve(PREFIX + name);
    }

    private static Path temporary(String name) {
        return directory().resolve(PREFIX + name + ".new");
    }

    private static Path owner(String name) {
        return directory().resolve(PREFIX + name + OWNER_SUFFIX);
    }

    private static synchronized void startOnce() {
        if (!started) {
            started = true;
            reapOrphans();
            // After the children ended (ExitSequence orders it so): a child still starting may need to attach.
            ExitSequence.add(ExitSequence.Step.RELEASE_SHARED_MEMORY, () -> createdHere.forEach(Segments::unlink));
        }
    }

    /**
     * Creates a segment of {@code size} bytes, zero-filled, and maps it.
     *
     * @throws IllegalStateException if a segment of that name exists
     */
    public static MappedByteBuffer create(String name, int size) {
        startOnce();
        reserve(name, true);
        createdHere.add(name);
        try {
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(owner(name), self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("?"),
                    StandardCharsets.UTF_8);
            // Sized under a temporary name, then renamed: nobody can attach it before it has its full size.
            Path pending = Files.createFile(temporary(name), PRIVATE);
            MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(pending, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
            Files.move(pending, segment(name), StandardCopyOption.ATOMIC_MOVE);
            return mapped;
        } catch (IOException e) {
            unlink(name);
            throw new UncheckedIOException("cannot create shared memory block '" + name + "' in " + directory(), e);
        }
    }

    /** Creates the owner record exclusively, reclaiming a stale one of ours once; refuses other users' files. */
    private static void reserve(String name, boolean reclaimStale) {
        Path record = owner(name);
        try {
            // The owner record, created first and exclusively, reserves the name.
            Files.createFile(record, PRIVATE);
            return;
        } catch (FileAlreadyExistsException e) {
            // Whose it is decides, below.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory block '" + name + "' in " + directory(), e);
        }
        String stranger;
        boolean stale;
        try {
            stranger = strangerOwning(record);
            stale = stranger == null && !ownerAlive(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory block '" + name + "' in " + directory(), e);
        }
        if (stranger != null) {
            throw new IllegalStateException("the name of shared memory block '" + name + "' is held by " + stranger
                    + " that multiprocessing4j did not create for this user: " + record
                    + "; not touching it (choose another name, or have it removed)");
        }
        if (stale && reclaimStale) {
            unlink(name);
            reserve(name, false);
            return;
        }
        throw new IllegalStateException("a shared memory block named '" + name + "' already exists");
    }

    /**
     * Null if {@code file} is a file of ours: a regular file (not a link) owned by this user with one name;
     * else what it is ("a symbolic link", "a file of user bob"). Not following links.
     */
    static String strangerOwning(Path file) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null;   // no owners here (not a POSIX file system): the temp directory is this user's own
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (!attributes.isRegularFile()) {
            return "something that is not a regular file";
        }
        String owner = attributes.owner().getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            return "a file of user " + owner;
        }
        Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer count && count != 1) {
            return "a file with " + count + " hard links";
        }
        return null;
    }

    /**
     * Maps an existing segment.
     *
     * @throws IllegalArgumentException if there is none of that name
     */
    public static MappedByteBuffer attach(String name) {
        startOnce();
        Path segment = segment(name);
        // Never follows a link (O_NOFOLLOW); what was opened is then checked before a byte is mapped.
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            String stranger = strangerOwning(segment);
            if (stranger != null) {
                throw new IllegalArgumentException("shared memory block '" + name + "' is " + stranger
                        + ", not a block of this process's user: " + segment + "; not attaching it");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no shared memory block named '" + name + "' (it was never "
                    + "created, or its creator unlinked it or exited)");
        } catch (IOException e) {
            if (Files.isSymbolicLink(segment)) {   // the open failed with ELOOP
                throw new IllegalArgumentException("shared memory block '" + name + "' is a symbolic link, not a "
                        + "block of this process's user: " + segment + "; not attaching it");
            }
            throw new UncheckedIOException("cannot attach shared memory block '" + name + "'", e);
        }
    }

    /**
     * Removes the name; processes that mapped the segment keep their mapping until they drop it.
     *
     * @return whether the name existed
     */
    public static boolean unlink(String name) {
        boolean existed;
        try {
            existed = Files.deleteIfExists(segment(name));
            Files.deleteIfExists(temporary(name));
            Files.deleteIfExists(owner(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared memory block '" + name + "'", e);
        }
        createdHere.remove(name);
        return existed;
    }

    /** Unlinks every segment whose creator is no longer running. */
    public static void reapOrphans() {
        try (DirectoryStream<Path> owners = Files.newDirectoryStream(directory(), PREFIX + "*" + OWNER_SUFFIX)) {
            for (Path ownerFile : owners) {
                String file = ownerFile.getFileName().toString();
                String name = file.substring(PREFIX.length(), file.length() - OWNER_SUFFIX.length());
                try {
                    if (strangerOwning(ownerFile) == null && !ownerAlive(ownerFile)) {
                        unlink(name);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // Not ours to remove, or gone meanwhile: go on with the others.
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Reaping is best effort; a later reap tries again.
        }
    }

    private static boolean ownerAlive(Path ownerFile) throws IOException {
        String[] record;
        try {
            record = Files.readString(ownerFile, StandardCharsets.UTF_8).trim().split(" ");
        } catch (NoSuchFileException e) {
            return true;
        }
        Optional<ProcessHandle> process;
        try {
            process = ProcessHandle.of(Long.parseLong(record[0]));
        } catch (NumberFormatException e) {
            return true;
        }
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        String started = process.get().info().startInstant().map(Instant::toString).orElse("?");
        return record.length < 2 || record[1].equals("?") || started.equals("?") || record[1].equals(started);
    }
}
