package io.github.multiprocessing4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>demo</groupId>
              <artifactId>modular</artifactId>
              <version>1</version>
              <properties>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                <maven.compiler.release>17</maven.compiler.release>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>io.github.multiprocessing4j</groupId>
                  <artifactId>multiprocessing4j-core</artifactId>
                  <version>0</version>
                  <scope>system</scope>
                  <systemPath>${core.jar}</systemPath>
                </dependency>
                <dependency>
                  <groupId>org.junit.jupiter</groupId>
                  <artifactId>junit-jupiter</artifactId>
                  <version>%s</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                  <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
                </plugins>
              </build>
            </project>
            """;

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
        Files.writeString(project.resolve("pom.xml"), POM.formatted(
                org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion()));
        Files.writeString(project.resolve("src/main/java/module-info.java"), MODULE_INFO);
        Files.writeString(project.resolve("src/main/java/demo/Work.java"), WORK);
        Files.writeString(project.resolve("src/test/java/demo/WorkTest.java"), TEST);
        Path mvnw = Path.of("..", "mvnw").toAbsolutePath().normalize();
        run = Packaging.run(project, List.of(mvnw.toString(), "-B", "-o", "-Dcore.jar=" + core, "test"), 170);
    }

    @Test
    void surefireDefaults_childrenSeeThePatchedModule() {
        assertThat(run.output()).contains("modular squares [1, 4, 9] [1@demo]", "Tests run: 1, Failures: 0, Errors: 0");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
