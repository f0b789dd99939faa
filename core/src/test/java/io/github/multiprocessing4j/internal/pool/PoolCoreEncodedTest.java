package io.github.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.internal.pool.FakeWorkers.FakeWorker;
import io.github.multiprocessing4j.internal.runtime.ManualScheduler;
import io.github.multiprocessing4j.internal.wire.Message;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PoolCore#submitEncoded}, the path a cluster member uses: bytes in, the worker's undecoded outcome
 * out, every other rule as for {@link PoolCore#submit}. In memory, no JVM started.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PoolCoreEncodedTest {
    private final FakeWorkers workers = new FakeWorkers();
    private final PoolCore pool = new PoolCore(1, workers, new ManualScheduler(), null, 0);

    @Test
    void submitEncoded_passesBytesThrough_andAnswersWithTheUndecodedOutcome() throws Exception {
        workers.connectAll();
        PoolTask task = pool.submitEncoded(new byte[] {1, 2, 3}, null);
        FakeWorker worker = workers.get(0);
        assertThat(worker.lastTask().payload()).containsExactly(1, 2, 3);
        worker.fail(task.id, new IllegalStateException("stays encoded"));
        Message.Outcome outcome = (Message.Outcome) task.result().get(0, TimeUnit.SECONDS);
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.taskId()).isEqualTo(task.id);
    }

    @Test
    void submitEncoded_workerDeath_failsTheTaskWithWorkerDied() throws Exception {
        workers.connectAll();
        PoolTask task = pool.submitEncoded(new byte[] {9}, null);
        workers.get(0).exit(137);
        assertThat(task.result()).isCompletedExceptionally();
        try {
            task.result().get(0, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WorkerDiedException.class);
        }
    }
}
