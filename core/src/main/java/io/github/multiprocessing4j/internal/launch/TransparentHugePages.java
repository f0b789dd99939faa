package io.github.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a child JVM asks for transparent huge pages for its heap ({@code -XX:+UseTransparentHugePages}).
 *
 * <p>A fresh JVM touches most of its young generation for the first time while G1 grows it, and on some
 * machines, virtual ones especially, each first touch of a 4 KiB page is dear. Measured on the project's
 * 2-core VM: 7–12 µs a page, so a pool worker whose eden grows to 224 MiB spends about half a second of CPU
 * in page faults during its first seconds of work. A huge page maps 2 MiB in one fault.
 *
 * <p>HotSpot asks the kernel for huge pages by {@code madvise}, so the flag is added when the kernel's mode
 * is {@code madvise}. In mode {@code always} the heap gets them without asking; in mode {@code never}, or
 * off Linux, HotSpot would print a warning into the child's output. A choice the user made among the JVM
 * arguments (any flag naming huge or large pages) is left alone.
 */
final class TransparentHugePages {
    static final String FLAG = "-XX:+UseTransparentHugePages";
    private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    /** This machine's mode line, such as {@code always [madvise] never}; empty where there is none. */
    static final String KERNEL_MODE_NOW = readKernelMode();

    private TransparentHugePages() {}

    /** Whether {@link #FLAG} belongs on a child's command line here, given the user's JVM arguments. */
    static boolean wanted(List<String> userJvmArgs) {
        return wanted(KERNEL_MODE_NOW, userJvmArgs);
    }

    /** As {@link #wanted(List)} for a kernel mode line, in which the bracketed word is the mode in force. */
    static boolean wanted(String kernelMode, List<String> userJvmArgs) {
        return kernelMode.contains("[madvise]") && userJvmArgs.stream().noneMatch(TransparentHugePages::choosesPages);
    }

    private static boolean choosesPages(String jvmArg) {
        return jvmArg.contains("HugePages") || jvmArg.contains("LargePage");
    }

    private static String readKernelMode() {
        try {
            return Files.readString(KERNEL_MODE);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
