package io.github.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Whether a child JVM asks for transparent huge pages for its heap ({@code -XX:+UseTransparentHugePages}).
 *
 * <p>A fresh JVM touches most of its young generation for the first time while G1 grows it, and on some
 * machines, virtual ones especially, each first touch of a 4 KiB page is dear. Measured on the project's
 * 2-core VM: 7–12 µs a page, so a pool worker whose eden grows to 224 MiB spends about half a second of CPU
 * in page faults during its first seconds of work. A huge page maps 2 MiB in one fault.
 *
 * <p>HotSpot asks the Linux kernel for huge pages by {@code madvise}, so the flag is added when the kernel's
 * mode is {@code madvise}. In mode {@code always} the heap gets them without asking; in mode {@code never},
 * HotSpot would print a warning into the child's output, and off Linux it would not know the flag. The
 * mode is read once, when this JVM first launches a child. A choice the user may have made is left alone:
 * any flag naming huge, large or shared-memory pages among the JVM arguments or in the variables the
 * {@code java} launcher reads options from, and any argument file, whose contents are not looked into.
 */
final class TransparentHugePages {
    static final String FLAG = "-XX:+UseTransparentHugePages";
    /** The variables in which HotSpot or the {@code java} launcher reads more options. */
    static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    /** This machine's mode line, such as {@code always [madvise] never}; empty off Linux or where there is none. */
    static final String KERNEL_MODE_NOW = System.getProperty("os.name", "").startsWith("Linux") ? readKernelMode() : "";

    private TransparentHugePages() {}

    /**
     * Whether {@link #FLAG} belongs on a child's command line here.
     *
     * @param userJvmArgs the JVM arguments from the user's options
     * @param childEnvironment the variables the user's options add to this JVM's environment for the child
     */
    static boolean wanted(List<String> userJvmArgs, Map<String, String> childEnvironment) {
        return wanted(KERNEL_MODE_NOW, userJvmArgs,
                name -> childEnvironment.containsKey(name) ? childEnvironment.get(name) : System.getenv(name));
    }

    /** As {@link #wanted(List, Map)} for a kernel mode line (the bracketed word is the mode in force). */
    static boolean wanted(String kernelMode, List<String> userJvmArgs, UnaryOperator<String> environment) {
        return kernelMode.contains("[madvise]")
                && userJvmArgs.stream().noneMatch(TransparentHugePages::mayChoosePages)
                && OPTION_VARIABLES.stream().map(environment).noneMatch(value -> value != null && mayChoosePages(value));
    }

    private static boolean mayChoosePages(String options) {
        return options.contains("HugePages") || options.contains("LargePage") || options.contains("HugeTLBFS")
                || options.contains("UseSHM") || options.startsWith("@") || options.contains(" @")
                || options.contains("-XX:Flags=") || options.contains("-XX:VMOptionsFile=");
    }

    private static String readKernelMode() {
        try {
            return Files.readString(KERNEL_MODE);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
