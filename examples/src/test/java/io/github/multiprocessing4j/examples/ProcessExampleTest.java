package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessExampleTest {
    private static final Pattern CURRENT = Pattern.compile("Current process: (\\d+)");
    private static final Pattern CHILD = Pattern.compile("\\[(Process-\\d+)] (parent|current) process: (\\d+)");

    @Test
    void everyChildReportsTheExampleAsParent_andHasItsOwnPid() throws Exception {
        List<String> lines = ExampleRunner.run(ProcessExample.class);

        Matcher current = CURRENT.matcher(lines.get(0));
        assertTrue(current.matches(), lines.get(0));
        long example = Long.parseLong(current.group(1));

        Map<String, Long> parents = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            Matcher m = CHILD.matcher(line);
            assertTrue(m.matches(), "unexpected line: " + line);
            (m.group(2).equals("parent") ? parents : pids).put(m.group(1), Long.parseLong(m.group(3)));
        }
        assertEquals(List.of("Process-1", "Process-2"), List.copyOf(parents.keySet()).subList(0, 2),
                "the two joined children run one after the other");
        assertEquals(4, parents.size());
        assertEquals(parents.keySet(), pids.keySet());
        parents.values().forEach(parent -> assertEquals(example, parent));
        Set<Long> distinct = new HashSet<>(pids.values());
        distinct.add(example);
        assertEquals(5, distinct.size(), "child pids differ from each other and from the example's: " + pids);
    }
}
