package io.github.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPoolExampleTest {

    private static List<Long> numbers(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines.stream().map(pattern::matcher).filter(Matcher::matches).map(m -> Long.parseLong(m.group(1))).toList();
    }

    @Test
    void poolExample_onATwoMemberLocalCluster_runsInWorkersOfTheMembers_withTheTalksResults() throws Exception {
        List<String> lines = ExampleRunner.run(ClusterPoolExample.class);
        long main = numbers(lines, "Main process: (\\d+)").get(0);
        Set<Long> members = Set.copyOf(numbers(lines, "Cluster member 127\\.0\\.0\\.1:\\d+ pid (\\d+)"));
        assertThat(members).hasSize(2).doesNotContain(main);

        assertThat(numbers(lines, "parent process: (\\d+)")).singleElement().isIn(members);
        assertThat(numbers(lines, "Parent id: (\\d+)")).singleElement().isIn(members);
        assertThat(numbers(lines, "Current id: (\\d+)")).singleElement().isNotIn(members).isNotEqualTo(main);
        assertThat(lines).contains("f(3) = 6", "map(f, [1, 2, 3]) = [2, 4, 6]");

        Pattern ran = Pattern.compile("id\\(1\\) ran in (\\d+), child of (\\d+)");
        List<Matcher> idLines = lines.stream().map(ran::matcher).filter(Matcher::matches).toList();
        assertThat(idLines).hasSize(3);
        assertThat(idLines.stream().map(m -> Long.parseLong(m.group(2))).collect(Collectors.toSet())).isSubsetOf(members);
    }
}
