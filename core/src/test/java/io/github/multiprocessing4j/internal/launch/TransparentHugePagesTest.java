package io.github.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransparentHugePagesTest {
    @Test
    void asksOnlyWhenTheKernelGivesHugePagesByMadvise() {
        assertThat(TransparentHugePages.wanted("always [madvise] never\n", List.of())).isTrue();
        assertThat(TransparentHugePages.wanted("[always] madvise never\n", List.of())).isFalse();
        assertThat(TransparentHugePages.wanted("always madvise [never]\n", List.of())).isFalse();
        assertThat(TransparentHugePages.wanted("", List.of())).as("no such file: not Linux, or no THP").isFalse();
    }

    @Test
    void leavesTheUsersOwnPageChoiceAlone() {
        String madvise = "always [madvise] never";
        assertThat(TransparentHugePages.wanted(madvise, List.of("-Xmx64m", "-XX:+UseG1GC"))).isTrue();
        assertThat(TransparentHugePages.wanted(madvise, List.of("-XX:-UseTransparentHugePages"))).isFalse();
        assertThat(TransparentHugePages.wanted(madvise, List.of("-XX:+UseLargePages"))).isFalse();
        assertThat(TransparentHugePages.wanted(madvise, List.of("-XX:LargePageSizeInBytes=2m"))).isFalse();
    }
}
