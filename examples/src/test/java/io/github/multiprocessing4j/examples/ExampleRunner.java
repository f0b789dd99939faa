package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs an example's main as its own program, as a user would, and returns its standard output lines. */
final class ExampleRunner {
    private ExampleRunner() {}

    static List<String> run(Class<?> main) throws Exception {
        java.lang.Process program = new ProcessBuilder(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, program.waitFor(), main.getSimpleName() + " failed; its output:\n" + out);
        return out.lines().toList();
    }
}
