package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.internal.launch.Launcher;
import java.time.Duration;
import java.util.Arrays;
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

    // ---- 5. ShareableList and SharedMemoryManager -------------------------------------------------------

    @Test
    void shareableList_writtenByAChild_isSeenHere_andSlotsKeepTheirCapacity() throws Exception {
        try (SharedMemoryManager smm = SharedMemoryManager.start()) {
            ShareableList list = smm.shareableList(Arrays.asList(7L, 2.5, "howdy", new byte[] {1, 2}, null, true, 3));
            assertThat(list.toList()).containsExactly(7L, 2.5, "howdy", new byte[] {1, 2}, null, true, 3L);

            Process child = new Process((ShareableList l) -> {
                l.set(0, (Long) l.get(0) + 1);
                l.set(2, "été");                   // 5 UTF-8 bytes: fits the 8 "howdy" was given
                l.set(4, "null no more");          // 12 bytes, but the slot of null has 8: throws
            }, list);
            child.start();
            child.join(LONG);
            assertThat(child.exitCode()).as("the too-long string failed the target").isEqualTo(1);
            assertThat(child.exception().orElseThrow()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("room for 8 bytes").hasMessageContaining("needs 12");

            ShareableList attached = ShareableList.attach(list.sharedMemory().name());
            assertThat(attached.toList()).containsExactly(8L, 2.5, "été", new byte[] {1, 2}, null, true, 3L);
            attached.set(1, "12345678");              // a number's slot holds any 8 bytes, of any type
            attached.set(2, 1.0f);
            assertThat(list.get(1)).isEqualTo("12345678");
            assertThat(list.get(2)).isEqualTo(1.0);
            assertThat(list.count(3)).isEqualTo(1);
            assertThat(list.indexOf(new byte[] {1, 2})).isEqualTo(3);
            assertThat(list.indexOf("absent")).isEqualTo(-1);
            assertThat(list.toString()).startsWith("ShareableList([8, '12345678', 1.0, b[1, 2], null, true, 3]");
            assertThatThrownBy(() -> list.set(6, new Object())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object");
            assertThatThrownBy(() -> list.get(7)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ShareableList.attach(smm.sharedMemory(64).name()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not hold a ShareableList");
        }
    }

    @Test
    void sharedMemoryManager_unlinksEveryBlockItMade_whenClosed() {
        SharedMemoryManager smm = SharedMemoryManager.start();
        SharedMemory block = smm.sharedMemory(128);
        ShareableList list = smm.shareableList(List.of("a", 1L));
        block.buffer().putInt(0, 42);
        list.unlink();                                  // unlinked by its user first: skipped at close
        assertThat(smm.names()).containsExactly(block.name(), list.sharedMemory().name());

        smm.close();
        smm.close();
        assertThatThrownBy(() -> SharedMemory.attach(block.name())).isInstanceOf(IllegalArgumentException.class);
        assertThat(block.buffer().getInt(0)).as("a mapping stays valid after unlink").isEqualTo(42);
        assertThat(smm.names()).isEmpty();
        assertThatThrownBy(() -> smm.sharedMemory(8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
