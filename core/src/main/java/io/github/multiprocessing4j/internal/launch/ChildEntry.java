package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.JvmOptions;
import java.io.File;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * How a child JVM finds the library and the user's classes: the end of its command line, from the class
 * path to the main class.
 *
 * <p>The child must see what this JVM sees. Where that is depends on how this JVM was started:
 * <ol>
 *   <li>an explicit {@link JvmOptions#classPath()}: that, as given;
 *   <li>the library on the module path ({@code java -p … -m}, a modular test run): the same module path,
 *       patches, reads, opens and exports ({@link ModuleFlags}), and {@code -m};
 *   <li>the library loaded by the JVM's class path loader: {@code java.class.path};
 *   <li>a Spring Boot executable jar ({@code java -jar app.jar}, nested jars): the same jar, started through
 *       Spring Boot's own {@code PropertiesLauncher} with {@code loader.main} naming our main class;
 *   <li>a launcher that loads the application through {@link URLClassLoader}s of its own ({@code mvn
 *       exec:java}, Surefire with {@code forkCount=0}, IDE runners): the URLs of those loaders, from the
 *       one that loaded the user's code (the thread's context class loader when it sees ours) up to the
 *       JVM's class path loader;
 *   <li>anything else: {@code java.class.path}, with a warning naming the loader and the launcher, and
 *       pointing to {@link JvmOptions.Builder#classPath}.
 * </ol>
 */
final class ChildEntry {
    static final System.Logger LOG = System.getLogger("io.github.multiprocessing4j");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ChildEntry() {}

    /** The arguments after the JVM options: class path (or module path), properties it needs, main class. */
    static List<String> arguments(JvmOptions options, String mainClass) {
        List<String> args = new ArrayList<>();
        if (!options.classPath().isEmpty()) {
            args.add("-cp");
            args.add(options.classPath().stream().map(p -> p.toAbsolutePath().toString())
                    .collect(Collectors.joining(File.pathSeparator)));
            args.add(mainClass);
            return args;
        }
        Module ours = ChildEntry.class.getModule();
        ClassLoader loader = ChildEntry.class.getClassLoader();
        if (ours.isNamed()) {
            addClassPath(args, absolute(System.getProperty("java.class.path", "")));
            args.addAll(ModuleFlags.ofThisJvm());
            args.add("-m");
            args.add(ours.getName() + "/" + mainClass);
            return args;
        }
        if (loader == ClassLoader.getSystemClassLoader()) {
            addClassPath(args, absolute(System.getProperty("java.class.path", "")));
            args.addAll(ModuleFlags.ofThisJvm());
            args.add(mainClass);
            return args;
        }
        String loaderType = loader.getClass().getName();
        if (loaderType.startsWith("org.springframework.boot.loader.")) {
            // Spring Boot's loader sees the nested jars; its PropertiesLauncher starts any main class in them.
            addClassPath(args, absolute(System.getProperty("java.class.path", "")));
            System.getProperties().stringPropertyNames().stream().sorted()
                    .filter(key -> key.startsWith("loader.") && !key.equals("loader.main"))
                    .forEach(key -> args.add("-D" + key + "=" + System.getProperty(key)));
            args.add("-Dloader.main=" + mainClass);
            args.add(loader.getClass().getPackageName() + ".PropertiesLauncher");
            return args;
        }
        List<String> entries = new ArrayList<>();
        String unreadable = urlClassPath(startingLoader(loader), entries);
        if (unreadable != null) {
            warnOnce(unreadable);
            addClassPath(args, absolute(System.getProperty("java.class.path", "")));
        } else {
            addClassPath(args, String.join(File.pathSeparator, entries));
        }
        args.add(mainClass);
        return args;
    }

    /** The thread's context loader when it delegates to ours (it then sees the user's code too), else ours. */
    private static ClassLoader startingLoader(ClassLoader ours) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader l = context; l != null; l = l.getParent()) {
            if (l == ours) {
                return context;
            }
        }
        return ours;
    }

    /**
     * Adds the entries seen by {@code start} and its parents to {@code entries}; returns the name of the
     * first loader whose entries cannot be read, or null when all could.
     */
    private static String urlClassPath(ClassLoader start, List<String> entries) {
        Set<String> seen = new LinkedHashSet<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (ClassLoader l = start; l != null && l != platform; l = l.getParent()) {
            if (l == system) {
                String classPath = absolute(System.getProperty("java.class.path", ""));
                if (!classPath.isEmpty()) {
                    seen.addAll(List.of(classPath.split(File.pathSeparator)));
                }
                break;
            }
            if (!(l instanceof URLClassLoader urls)) {
                return l.getClass().getName();
            }
            for (URL url : urls.getURLs()) {
                if (!"file".equals(url.getProtocol())) {
                    return l.getClass().getName() + " (entry " + url + ")";
                }
                try {
                    seen.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return l.getClass().getName() + " (entry " + url + ")";
                }
            }
        }
        entries.addAll(seen);
        return null;
    }

    private static void warnOnce(String loader) {
        if (WARNED.add(loader)) {
            String command = System.getProperty("sun.java.command", "");
            String launcher = command.isBlank() ? "an unknown launcher" : command.split(" ", 2)[0];
            LOG.log(Level.WARNING, "multiprocessing4j cannot reproduce this JVM's class path for its child JVMs: "
                    + "its classes were loaded by " + loader + ", started by " + launcher + ", so children get "
                    + "java.class.path (" + System.getProperty("java.class.path", "") + ") and may not find "
                    + "your classes; pass the class path with JvmOptions.builder().classPath(...).");
        }
    }

    private static void addClassPath(List<String> args, String classPath) {
        if (!classPath.isEmpty()) {
            args.add("-cp");
            args.add(classPath);
        }
    }

    /** Absolute entries: the child may run in another working directory (JvmOptions.workingDirectory). */
    static String absolute(String path) {
        if (path.isEmpty()) {
            return path;
        }
        return java.util.Arrays.stream(path.split(File.pathSeparator))
                .map(entry -> entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
