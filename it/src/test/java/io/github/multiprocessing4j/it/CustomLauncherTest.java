package io.github.multiprocessing4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a launcher whose class loader cannot be read (not a {@code URLClassLoader}, as in some plugin
 * hosts): {@code start()} says so in one sentence naming the loader and the launcher, the child's failure
 * points to {@code JvmOptions.classPath}, and with that option the child runs.
 */
@Timeout(120)
class CustomLauncherTest {
    static final String LAUNCHER = """
            package launch;

            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.jar.JarFile;

            /** Loads the application from jars through a class loader of its own, then runs its main. */
            public class Launch {
                static final class JarsLoader extends ClassLoader {
                    private final List<JarFile> jars = new ArrayList<>();

                    JarsLoader(String[] paths) throws IOException {
                        super("jars", ClassLoader.getPlatformClassLoader());
                        for (String path : paths) {
                            jars.add(new JarFile(path));
                        }
                    }

                    @Override
                    protected Class<?> findClass(String name) throws ClassNotFoundException {
                        String entry = name.replace('.', '/') + ".class";
                        for (JarFile jar : jars) {
                            var found = jar.getJarEntry(entry);
                            if (found != null) {
                                try (var in = jar.getInputStream(found)) {
                                    byte[] bytes = in.readAllBytes();
                                    return defineClass(name, bytes, 0, bytes.length);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }
                        }
                        throw new ClassNotFoundException(name);
                    }
                }

                public static void main(String[] args) throws Exception {
                    ClassLoader loader = new JarsLoader(args[0].split(java.io.File.pathSeparator));
                    Thread.currentThread().setContextClassLoader(loader);
                    loader.loadClass("app.Main").getMethod("main", String[].class)
                            .invoke(null, (Object) new String[] {args[1], args[0]});
                }
            }
            """;

    static final String APP = """
            package app;

            import io.github.multiprocessing4j.JvmOptions;
            import io.github.multiprocessing4j.Process;
            import io.github.multiprocessing4j.ProcessStartException;
            import java.nio.file.Path;
            import java.util.Arrays;

            public class Main {
                static void hello() {
                    System.out.println("hello from the child");
                }

                public static void main(String[] args) throws Exception {
                    JvmOptions options = args[0].equals("explicit")
                            ? JvmOptions.builder().classPath(Arrays.stream(args[1].split(java.io.File.pathSeparator))
                                    .map(Path::of).toList()).build()
                            : JvmOptions.defaults();
                    Process p = new Process(Main::hello, options);
                    p.start();
                    try {
                        p.join();
                        System.out.println("exit code " + p.exitCode());
                    } catch (ProcessStartException e) {
                        System.out.println("start failed: " + e.getMessage());
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    static Path launcherJar;
    static String appPath;

    @BeforeAll
    static void build() throws IOException {
        Path core = Packaging.coreJar(dir);
        Path app = Packaging.jar(Packaging.compile(dir.resolve("app"), Map.of("app.Main", APP), List.of(core)),
                dir.resolve("app.jar"), null);
        launcherJar = Packaging.jar(Packaging.compile(dir.resolve("launcher"), Map.of("launch.Launch", LAUNCHER),
                List.of()), dir.resolve("launcher.jar"), null);
        appPath = core + File.pathSeparator + app;
    }

    private static Packaging.Run launch(String mode) throws Exception {
        return Packaging.run(dir, List.of(Packaging.java(), "-cp", launcherJar.toString(), "launch.Launch", appPath, mode), 90);
    }

    @Test
    void unreadableClassLoader_warnsAtStartNamingLoaderAndLauncher_andTheFailurePointsToClassPath() throws Exception {
        Packaging.Run run = launch("default");

        assertThat(run.output()).contains("cannot reproduce this JVM's class path", "launch.Launch$JarsLoader",
                "started by launch.Launch", "JvmOptions.builder().classPath(...)");
        assertThat(run.output()).contains("start failed:", "Could not find or load main class",
                "pass the class path with JvmOptions.builder().classPath(...)");
    }

    @Test
    void unreadableClassLoader_explicitClassPath_childRuns() throws Exception {
        Packaging.Run run = launch("explicit");

        assertThat(run.output()).contains("hello from the child", "exit code 0").doesNotContain("cannot reproduce");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
