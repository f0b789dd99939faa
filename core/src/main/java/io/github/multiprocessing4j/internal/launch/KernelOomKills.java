package io.github.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many processes the kernel's OOM killer has killed in this JVM's memory cgroup (children start in
 * it too), read from cgroup v2's {@code memory.events} or v1's {@code memory.oom_control}: a child killed
 * by SIGKILL that this JVM did not send, while the count rose, was most likely killed for memory.
 */
final class KernelOomKills {
    /** The count could not be read (not Linux, no memory controller, no access). */
    static final long UNKNOWN = -1;

    private static final Path FILE = find();

    private KernelOomKills() {}

    /** The current count, or {@link #UNKNOWN}. */
    static long count() {
        if (FILE == null) {
            return UNKNOWN;
        }
        try {
            for (String line : Files.readAllLines(FILE)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable now: unknown.
        }
        return UNKNOWN;
    }

    private static Path find() {
        try {
            Path cgroups = Path.of("/proc/self/cgroup");
            if (!Files.isReadable(cgroups)) {
                return null;
            }
            List<String> lines = Files.readAllLines(cgroups);
            for (String line : lines) {
                if (line.startsWith("0::")) {
                    Path events = Path.of("/sys/fs/cgroup" + line.substring(3), "memory.events");
                    if (Files.isReadable(events)) {
                        return events;
                    }
                }
            }
            for (String line : lines) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && List.of(fields[1].split(",")).contains("memory")) {
                    Path control = Path.of("/sys/fs/cgroup/memory" + fields[2], "memory.oom_control");
                    if (Files.isReadable(control)) {
                        return control;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cgroup information.
        }
        return null;
    }
}
