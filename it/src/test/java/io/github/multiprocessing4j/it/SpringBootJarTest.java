package io.github.multiprocessing4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.Repackager;

/**
 * Issue 12: an application packaged as a Spring Boot executable jar (nested jars under {@code BOOT-INF/lib},
 * repackaged by Spring Boot's own {@link Repackager}, as {@code spring-boot-maven-plugin} does) starts
 * children with {@code java -jar app.jar}. The jar is built once for the class.
 */
@Timeout(120)
class SpringBootJarTest {
    static final String APP = """
            package app;

            import io.github.multiprocessing4j.Pool;
            import io.github.multiprocessing4j.Process;
            import java.util.List;

            public class Main {
                static void hello(String who) {
                    System.out.println("hello from the child, " + who);
                }

                public static void main(String[] args) throws Exception {
                    try (Pool pool = new Pool(2)) {
                        int offset = args.length;
                        System.out.println("squares " + pool.map(x -> x * x + offset, List.of(1, 2, 3)));
                    }
                    Process p = new Process(Main::hello, "boot");
                    p.start();
                    p.join();
                    System.out.println("process exit code " + p.exitCode());
                }
            }
            """;

    @TempDir
    static Path dir;
    static Path bootJar;

    @BeforeAll
    static void buildExecutableJar() throws IOException {
        Path core = Packaging.coreJar(dir);
        Path classes = Packaging.compile(dir, Map.of("app.Main", APP), List.of(core));
        bootJar = Packaging.jar(classes, dir.resolve("app.jar"), "app.Main");
        new Repackager(bootJar.toFile()).repackage(callback -> callback.library(
                new Library(core.toFile(), LibraryScope.COMPILE)));
        assertThat(Files.size(bootJar)).isPositive();
    }

    @Test
    void javaJar_nestedLibrary_poolAndProcessRunInChildren() throws Exception {
        Packaging.Run run = Packaging.run(dir, List.of(Packaging.java(), "-jar", bootJar.toString()), 90);

        assertThat(run.output()).contains("squares [1, 4, 9]", "hello from the child, boot", "process exit code 0");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
