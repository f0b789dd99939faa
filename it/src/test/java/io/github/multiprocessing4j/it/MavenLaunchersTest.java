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
 * Issue 12: a Maven project that uses the library, run by {@code mvn exec:java} and tested by Surefire with
 * {@code forkCount=0}. In both, the JVM's class path is Maven's own ({@code plexus-classworlds.jar}) and the
 * project's classes come from a URL class loader; children must get the project's class path. One real
 * Maven run (offline, with this build's wrapper) does both.
 */
@Timeout(180)
class MavenLaunchersTest {
    static final String POM = Packaging.pom("demo", "<configuration><forkCount>0</forkCount></configuration>", """
            <plugin>
              <groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.1</version>
              <configuration><mainClass>app.Main</mainClass><classpathScope>compile</classpathScope></configuration>
            </plugin>
            """);

    static final String TEST = """
            package app;

            import io.github.multiprocessing4j.Pool;
            import java.util.List;
            import org.junit.jupiter.api.Test;

            class MainTest {
                @Test
                void poolRunsALambdaOfThisTest() throws Exception {
                    try (Pool pool = new Pool(2)) {
                        List<Integer> cubes = pool.map(x -> x * x * x, List.of(1, 2, 3));
                        if (!cubes.equals(List.of(1, 8, 27))) {
                            throw new AssertionError(cubes);
                        }
                        System.out.println("surefire in-process cubes " + cubes);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    static Packaging.Run run;

    @BeforeAll
    static void runMaven() throws IOException, InterruptedException {
        Path project = dir.resolve("demo");
        Path core = Packaging.coreJar(dir);
        Files.createDirectories(project.resolve("src/main/java/app"));
        Files.createDirectories(project.resolve("src/test/java/app"));
        Files.writeString(project.resolve("pom.xml"), POM);
        Files.writeString(project.resolve("src/main/java/app/Main.java"), SpringBootJarTest.APP);
        Files.writeString(project.resolve("src/test/java/app/MainTest.java"), TEST);
        run = Packaging.mavenOffline(project, core, "test", "exec:java", "-Dexec.args=x");
    }

    @Test
    void surefireForkCountZero_poolRunsTheTestsLambda() {
        assertThat(run.output()).contains("surefire in-process cubes [1, 8, 27]", "Tests run: 1, Failures: 0, Errors: 0");
    }

    @Test
    void execJava_poolAndProcessRunInChildren_andMavenDoesNotWaitForLibraryThreads() {
        assertThat(run.output()).contains("squares [2, 5, 10]", "hello from the child, boot", "process exit code 0",
                "BUILD SUCCESS");
        assertThat(run.output()).doesNotContain("still alive", "mp4j-");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
