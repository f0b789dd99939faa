package io.github.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransparentHugePagesTest {
    private static final String MADVISE = "always [madvise] never\n";

    @Test
    void asksOnlyWhenTheKernelGivesHugePagesByMadvise() {
        assertThat(TransparentHugePages.wanted(MADVISE, List.of(), name -> null)).isTrue();
        assertThat(TransparentHugePages.wanted("[always] madvise never\n", List.of(), name -> null)).isFalse();
        assertThat(TransparentHugePages.wanted("always madvise [never]\n", List.of(), name -> null)).isFalse();
        assertThat(TransparentHugePages.wanted("", List.of(), name -> null)).as("not Linux, or no such file").isFalse();
    }

    @Test
    void leavesTheUsersOwnPageChoiceAlone_inArgumentsOrInTheLaunchersVariables() {
        assertThat(TransparentHugePages.wanted(MADVISE, List.of("-Xmx64m", "-XX:+UseG1GC"), name -> null)).isTrue();
        for (String choice : List.of("-XX:-UseTransparentHugePages", "-XX:+UseLargePages", "-XX:LargePageSizeInBytes=2m",
                "-XX:+UseHugeTLBFS", "-XX:+UseSHM", "@more-options.txt", "-XX:VMOptionsFile=flags.txt")) {
            assertThat(TransparentHugePages.wanted(MADVISE, List.of(choice), name -> null)).as(choice).isFalse();
        }
        for (String variable : TransparentHugePages.OPTION_VARIABLES) {
            Map<String, String> environment = Map.of(variable, "-Xss2m -XX:-UseTransparentHugePages");
            assertThat(TransparentHugePages.wanted(MADVISE, List.of(), environment::get)).as(variable).isFalse();
        }
        assertThat(TransparentHugePages.wanted(MADVISE, List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Xss2m")::get)).isTrue();
    }
}
