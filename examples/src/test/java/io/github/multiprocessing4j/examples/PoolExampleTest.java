package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolExampleTest {

    private static long number(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no line matches " + regex + " in " + lines);
    }

    @Test
    void poolWorkersAreChildrenOfTheExample_andResultsAreThoseOfTheTalk() throws Exception {
        List<String> lines = ExampleRunner.run(PoolExample.class);
        long main = number(lines, "Main process: (\\d+)");

        assertEquals(main, number(lines, "parent process: (\\d+)"), "the printing task runs in a child of main");
        long printer = number(lines, "current process: (\\d+)");
        assertNotEquals(main, printer);

        assertEquals(main, number(lines, "Parent id: (\\d+)"));
        assertNotEquals(main, number(lines, "Current id: (\\d+)"));
        assertTrue(lines.contains("f(3) = 6"), lines.toString());
        assertTrue(lines.contains("map(f, [1, 2, 3]) = [2, 4, 6]"), lines.toString());

        Pattern ran = Pattern.compile("id\\(1\\) ran in (\\d+), child of (\\d+)");
        long idLines = lines.stream().map(ran::matcher).filter(Matcher::matches).peek(m -> {
            assertEquals(main, Long.parseLong(m.group(2)), "map ran in a worker of the example");
            assertNotEquals(main, Long.parseLong(m.group(1)));
        }).count();
        assertEquals(3, idLines);
    }
}
