package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.internal.launch.Launcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, the last "Missing" items: parentProcess() one can join, the pool's start method, through the
 * public API with real child JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue14RemainingTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    // ---- 7. parentProcess() as a handle; Pool start method ----------------------------------------------

    @Test
    void parentProcess_inAChild_isAliveAndDoesNotEnd_andAnEndedChildJoinsAtOnce() throws Exception {
        Queue<List<Object>> seen = new Queue<>();
        Process child = new Process((Queue<List<Object>> out) -> {
            ProcessInfo parent = Multiprocessing.parentProcess().orElseThrow();
            out.put(List.of(parent.pid(), parent.isAlive(), parent.join(Duration.ofMillis(20)),
                    Multiprocessing.currentProcess().pid()));
        }, seen);
        child.start();
        List<Object> report = seen.get(LONG);
        child.join();

        assertThat(report.subList(0, 3)).containsExactly(ProcessHandle.current().pid(), true, false);
        ProcessInfo ended = new ProcessInfo(child.name(), (Long) report.get(3));
        assertThat(ended.join(LONG)).isTrue();
        assertThat(ended.isAlive()).isFalse();
        assertThatThrownBy(() -> Multiprocessing.currentProcess().join(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("current process");
    }

    @Test
    void poolStartMethodCold_neverTakesAWaitingSpare() throws Exception {
        JvmOptions options = JvmOptions.builder().systemProperty("mp4j.test.startMethod", "cold").build();
        Multiprocessing.prestart(1, options).get(30, TimeUnit.SECONDS);
        List<Long> spares = Launcher.get().readySparePids(options);
        assertThat(spares).hasSize(1);

        try (Pool pool = Pool.builder().processes(1).jvmOptions(options).startMethod(Pool.StartMethod.COLD).build()) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            assertThat(worker).isNotEqualTo(spares.get(0));
        }
        assertThat(Launcher.get().readySparePids(options)).containsExactlyElementsOf(spares);
        assertThatThrownBy(() -> Pool.builder().startMethod(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("method");
    }
}
