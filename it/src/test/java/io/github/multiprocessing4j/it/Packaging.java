package io.github.multiprocessing4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.Pool;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Builds small applications with the JDK's own tools and runs them as a user would, in a real JVM. */
final class Packaging {
    private Packaging() {}

    /** The library as a jar: the reactor's jar, or one made from its classes folder. */
    static Path coreJar(Path workDir) throws IOException {
        Path location = locationOf(Pool.class);
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = workDir.resolve("multiprocessing4j-core.jar");
        jar(location, jar, null);
        return jar;
    }

    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code sources} (class name → text) under {@code dir} and compiles them against {@code classPath}. */
    static Path compile(Path dir, Map<String, String> sources, List<Path> classPath) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
                String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList())));
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        assertThat(rc).as("javac exit code").isZero();
        return classes;
    }

    /** Jars a folder; with a main class, the manifest names it. */
    static Path jar(Path classes, Path jar, String mainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(path).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** What a finished command wrote (stdout and stderr merged) and its exit code. */
    record Run(int exitCode, String output) {}

    /** Runs a command to its end (killing it after {@code timeoutSeconds}). */
    static Run run(Path dir, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        java.lang.Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s; it wrote:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * The POM of a Maven project named {@code artifactId} that uses this build's core jar (passed as
     * {@code -Dcore.jar}, see {@link #mavenOffline}) and JUnit Jupiter, with {@code surefireConfiguration}
     * (empty for Surefire's defaults) and {@code morePlugins} added to its build.
     */
    static String pom(String artifactId, String surefireConfiguration, String morePlugins) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>%s</artifactId>
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
                      <plugin>
                        <artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version>
                        %s
                      </plugin>
                      %s
                    </plugins>
                  </build>
                </project>
                """.formatted(artifactId, org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion(),
                surefireConfiguration, morePlugins);
    }

    /** Runs this build's Maven wrapper offline in {@code project} with {@code goals}, the library being {@code coreJar}. */
    static Run mavenOffline(Path project, Path coreJar, String... goals) throws IOException, InterruptedException {
        Path mvnw = Path.of("..", "mvnw").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(mvnw.toString(), "-B", "-o", "-Dcore.jar=" + coreJar));
        command.addAll(List.of(goals));
        return run(project, command, 170);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
