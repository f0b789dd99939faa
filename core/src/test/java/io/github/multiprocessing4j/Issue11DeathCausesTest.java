package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, items 3 to 5: every death of a worker or process is classified ({@link DeathCause}), a task
 * killed on its timeout carries the worker's thread dump, and a soak with deaths of each kind that can be
 * injected deterministically reports each death once while every other result is right. Real child JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue11DeathCausesTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    /** What chunk {@code chunk} of the soak does besides squaring its items. */
    static List<Integer> squareChunk(int chunk, List<Integer> items) throws Exception {
        switch (chunk) {
            case 10 -> System.exit(42);
            case 40 -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }
            case 70 -> new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            default -> { }
        }
        return items.stream().map(x -> x * x).collect(Collectors.toList());
    }

    @Test
    void issue11_soak_2000TasksInChunksWithExitOomAndOutsideKill_reportEachDeathOnceWithItsCause() throws Exception {
        int chunks = 100;
        int perChunk = 20;
        try (Pool pool = Pool.builder().processes(2).jvmOptions(JvmOptions.builder().maxHeap("64m").build()).build()) {
            List<AsyncResult<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int chunk = c;
                List<Integer> items = IntStream.range(c * perChunk, (c + 1) * perChunk).boxed().collect(Collectors.toList());
                results.add(pool.applyAsync((List<Integer> xs) -> squareChunk(chunk, xs), items));
            }
            Map<Integer, WorkerDiedException> deaths = new ConcurrentHashMap<>();
            for (int c = 0; c < chunks; c++) {
                try {
                    List<Integer> squares = results.get(c).get(LONG);
                    int first = c * perChunk;
                    assertThat(squares).as("chunk %d", c).containsExactlyElementsOf(
                            IntStream.range(first, first + perChunk).map(x -> x * x).boxed().collect(Collectors.toList()));
                } catch (WorkerDiedException e) {
                    assertThat(deaths.put(c, e)).as("chunk %d reported twice", c).isNull();
                }
            }
            assertThat(deaths).containsOnlyKeys(10, 40, 70);
            assertThat(deaths.get(10).deathCause()).isEqualTo(new DeathCause(DeathCause.Kind.EXIT, 42, ""));
            assertThat(deaths.get(40).deathCause().kind()).isEqualTo(DeathCause.Kind.OUT_OF_MEMORY);
            assertThat(deaths.get(40).deathCause().detail()).matches("max heap \\d+ MiB");
            assertThat(deaths.get(40).getMessage()).contains("ran out of Java heap (max heap");
            DeathCause killed = deaths.get(70).deathCause();
            assertThat(killed.kind()).isIn(DeathCause.Kind.KILLED_FROM_OUTSIDE, DeathCause.Kind.KILLED_BY_KERNEL_OOM);
            assertThat(killed.exitCode()).isEqualTo(-9);
            assertThat(deaths.get(70).getMessage()).contains("SIGKILL").contains("pid " + deaths.get(70).pid());
            assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void map_workerKilledMidMap_failsThatChunkNamingPidAndCause_othersCorrect_poolServesOn() throws Exception {
        try (Pool pool = Pool.builder().processes(2).build()) {
            List<AsyncResult<List<Integer>>> chunks = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int chunk = c;
                chunks.add(pool.applyAsync((List<Integer> xs) -> {
                    if (chunk == 3) {
                        Runtime.getRuntime().halt(7);
                    }
                    return xs.stream().map(x -> x + 1).collect(Collectors.toList());
                }, List.of(c, c + 10)));
            }
            for (int c = 0; c < 6; c++) {
                if (c == 3) {
                    AsyncResult<List<Integer>> dead = chunks.get(c);
                    WorkerDiedException died = catchThrowableOfType(WorkerDiedException.class, () -> dead.get(LONG));
                    assertThat(died.deathCause()).isEqualTo(new DeathCause(DeathCause.Kind.EXIT, 7, ""));
                    assertThat(died.getMessage()).contains("pid " + died.pid()).contains("exit code 7");
                } else {
                    assertThat(chunks.get(c).get(LONG)).containsExactly(c + 1, c + 11);
                }
            }
            assertThat(pool.map((Integer x) -> x * 3, List.of(1, 2, 3))).containsExactly(3, 6, 9);
        }
    }

    @Test
    void issue11_timeout_attachesTheHungWorkersThreadDump_andKillsItOnTimeout() throws Exception {
        try (Pool pool = Pool.builder().processes(1).build()) {
            AsyncResult<Object> hung = pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return null;
            }, 60_000, Duration.ofMillis(500));
            TaskTimeoutException timedOut = catchThrowableOfType(TaskTimeoutException.class, () -> hung.get(LONG));
            assertThat(timedOut.threadDump()).isNotEmpty();
            assertThat(timedOut.threadDump().get(0)).startsWith("Full thread dump");
            assertThat(timedOut.getMessage()).contains("its task thread was at:").contains("java.lang.Thread.sleep");
            assertThat(pool.apply(() -> "replaced")).isEqualTo("replaced");
        }
    }

    @Test
    void process_deathCause_tellsItsOwnExitFromOurKillAndAnOutsideSignal() throws Exception {
        Process exits = new Process(() -> System.exit(5));
        exits.start();
        Process killedHere = new Process(() -> Thread.sleep(60_000));
        killedHere.start();
        Process killedOutside = new Process(() -> Thread.sleep(60_000));
        killedOutside.start();
        exits.join();
        assertThat(exits.deathCause()).isEqualTo(new DeathCause(DeathCause.Kind.EXIT, 5, ""));

        assertThat(killedHere.deathCause()).isNull();
        killedHere.kill();
        killedHere.join();
        assertThat(killedHere.deathCause().kind()).isEqualTo(DeathCause.Kind.KILLED_BY_THIS_PROCESS);

        new ProcessBuilder("kill", "-TERM", Long.toString(killedOutside.pid())).start().waitFor();
        killedOutside.join();
        assertThat(killedOutside.deathCause()).isEqualTo(new DeathCause(DeathCause.Kind.KILLED_FROM_OUTSIDE, -15, ""));
        assertThatThrownBy(() -> new DeathCause(null, 0, "")).isInstanceOf(NullPointerException.class);
    }

    /**
     * A child stopped from outside while its JVM is still starting died, as in Python: join returns and the
     * exit code says the signal. It used to fail join with a ProcessStartException ("exited before
     * connecting (exit code 143)"), which this class's test above met when its signal came early.
     */
    @Test
    void process_stoppedFromOutsideWhileStarting_diedOfTheSignal_andJoinSaysSo() throws Exception {
        JvmOptions cold = JvmOptions.builder().systemProperty("mp4j.test.stoppedWhileStarting", "yes").build();
        Process stopped = new Process(() -> Thread.sleep(60_000), cold);
        stopped.start();
        new ProcessBuilder("kill", "-TERM", Long.toString(stopped.pid())).start().waitFor();
        stopped.join();
        assertThat(stopped.exitCode()).isEqualTo(-15);
        assertThat(stopped.deathCause().kind()).isEqualTo(DeathCause.Kind.KILLED_FROM_OUTSIDE);
    }
}
