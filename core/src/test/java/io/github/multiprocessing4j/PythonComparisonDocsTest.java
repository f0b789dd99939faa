package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README promises that each public class's Javadoc has a "Comparison with Python" section. This reads
 * the sources of the exported packages (this module's, and those of the junit and cluster modules beside
 * it) and checks that the Javadoc of every public top-level type has an {@code <h2>} heading starting with
 * "Comparison with Python". The rest of the Javadoc (every parameter, result and exception documented) is
 * checked by doclint when the build makes the Javadoc jar.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonComparisonDocsTest {
    /** The exported packages' source directories, relative to this module (the reactor's layout). */
    private static final List<Path> EXPORTED_PACKAGES = List.of(
            Path.of("src/main/java/io/github/multiprocessing4j"),
            Path.of("../junit/src/main/java/io/github/multiprocessing4j/junit"),
            Path.of("../cluster/src/main/java/io/github/multiprocessing4j/cluster"));

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");
    private static final String HEADING = "<h2>Comparison with Python";

    @Test
    void everyPublicClassOfTheExportedPackagesComparesItselfWithPython() throws IOException {
        Map<String, String> javadocByType = new TreeMap<>();
        for (Path directory : EXPORTED_PACKAGES) {
            assertThat(directory).as("source directory of an exported package").isDirectory();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String source = Files.readString(file);
                    Matcher type = PUBLIC_TYPE.matcher(source);
                    if (type.find()) {
                        javadocByType.put(type.group(1), classJavadoc(source, type.start()));
                    }
                }
            }
        }
        // The scan must see the library, or it would pass on nothing.
        assertThat(javadocByType)
                .containsKeys("Pool", "Value", "WorkerDiedException", "MultiprocessingTest", "Cluster");

        List<String> missing = new ArrayList<>();
        javadocByType.forEach((type, javadoc) -> {
            if (!javadoc.contains(HEADING)) {
                missing.add(type);
            }
        });
        assertThat(missing)
                .as("public classes whose Javadoc lacks a '<h2>Comparison with Python</h2>' section (say what the "
                        + "Python counterpart is, or that there is none and what Python users do instead)")
                .isEmpty();
    }

    /** The Javadoc comment that ends just before the declaration at {@code declaration}, or "" if none. */
    private static String classJavadoc(String source, int declaration) {
        String before = source.substring(0, declaration);
        int end = before.lastIndexOf("*/");
        int start = end < 0 ? -1 : before.lastIndexOf("/**", end);
        if (start < 0) {
            return "";
        }
        String between = before.substring(end + 2);
        boolean onlyAnnotations = between.lines().map(String::strip)
                .allMatch(line -> line.isEmpty() || line.startsWith("@"));
        return onlyAnnotations ? before.substring(start, end) : "";
    }
}
