package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.Process;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library used as a named module: the talk's process example runs with the core jar on the module path
 * (the example itself on the class path), so children must be launched with {@code -m}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModulePathTest {

    @Test
    void processExample_runsWithTheLibraryOnTheModulePath() throws Exception {
        // The core jar (mvn verify) or its classes folder (mvn test), either of which is a module with its descriptor.
        String coreJar = Path.of(Process.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.equals(coreJar))
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        java.lang.Process program = new ProcessBuilder(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "--module-path", coreJar, "--add-modules", "io.github.multiprocessing4j.core",
                "-cp", classPath, ProcessExample.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, program.waitFor(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("Current process: "), out);
        assertEquals(4, lines.stream().filter(l -> l.matches("\\[Process-\\d] current process: \\d+")).count(), out);
        assertEquals(9, lines.size(), out);
    }
}
