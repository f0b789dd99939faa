package io.github.multiprocessing4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a modular Maven project tested with Surefire's defaults: the library and the project are on the
 * module path and the test classes are patched into the project's module ({@code --patch-module},
 * {@code --add-reads}, {@code --add-opens} in an argument file). Children must resolve the same modules and
 * patches to run the test's lambdas. One real Maven run, offline.
 */
@Timeout(180)
class ModularSurefireTest {
    static final String POM = Packaging.pom("modular", "", "");

    static final String MODULE_INFO = """
            module demo {
                requires io.github.multiprocessing4j.core;
                exports demo;
            }
            """;

    static final String WORK = """
            package demo;

            public class Work {
                public static int square(int x) {
                    return x * x;
                }
            }
            """;

    static final String TEST = """
            package demo;

            import io.github.multiprocessing4j.Pool;
            import java.util.List;
            import org.junit.jupiter.api.Test;

            class WorkTest {
                @Test
                void poolRunsTheModulesCodeAndThisTestsLambda() throws Exception {
                    if (!WorkTest.class.getModule().isNamed()) {
                        throw new AssertionError("the test is expected to run inside module demo");
                    }
                    try (Pool pool = new Pool(2)) {
                        List<Integer> squares = pool.map(Work::square, List.of(1, 2, 3));
                        List<String> modules = pool.map(x -> x + "@" + WorkTest.class.getModule().getName(), List.of(1));
                        System.out.println("modular squares " + squares + " " + modules);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    static Packaging.Run run;

    @BeforeAll
    static void runMaven() throws IOException, InterruptedException {
        Path project = dir.resolve("modular");
        Path core = Packaging.coreJar(dir);
        Files.createDirectories(project.resolve("src/main/java/demo"));
        Files.createDirectories(project.resolve("src/test/java/demo"));
        Files.writeString(project.resolve("pom.xml"), POM);
        Files.writeString(project.resolve("src/main/java/module-info.java"), MODULE_INFO);
        Files.writeString(project.resolve("src/main/java/demo/Work.java"), WORK);
        Files.writeString(project.resolve("src/test/java/demo/WorkTest.java"), TEST);
        run = Packaging.mavenOffline(project, core, "test");
    }

    @Test
    void surefireDefaults_childrenSeeThePatchedModule() {
        assertThat(run.output()).contains("modular squares [1, 4, 9] [1@demo]", "Tests run: 1, Failures: 0, Errors: 0");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
