package io.github.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The library's own exceptions cross a process boundary whole, with their structured fields: a pool inside
 * a child, or a cluster member, reports a worker's death to its own caller with the cause intact.
 */
class ThrowableTransportTest {
    @Test
    void aWorkerDiedException_keepsItsTypeAndDeathCause() {
        DeathCause cause = new DeathCause(DeathCause.Kind.OUT_OF_MEMORY, 3, "max heap 64 MiB");
        WorkerDiedException died = new WorkerDiedException("PoolWorker-1", 4242, cause, List.of("last line"),
                List.of("# A fatal error"));

        Throwable back = ThrowableTransport.decode(ThrowableTransport.encode(died, "Process-1", 4000));

        assertThat(back).isInstanceOf(WorkerDiedException.class);
        WorkerDiedException received = (WorkerDiedException) back;
        assertThat(received.deathCause()).isEqualTo(cause);
        assertThat(received.pid()).isEqualTo(4242);
        assertThat(received.stderrTail()).containsExactly("last line");
        assertThat(received.crashReport()).containsExactly("# A fatal error");
    }

    @Test
    void aTaskTimeoutException_keepsItsTypeAndTimeout() {
        TaskTimeoutException timedOut = new TaskTimeoutException("PoolWorker-2", 4343, Duration.ofSeconds(3));
        Throwable back = ThrowableTransport.decode(ThrowableTransport.encode(timedOut, "Process-1", 4000));
        assertThat(back).isInstanceOf(TaskTimeoutException.class);
        assertThat(((TaskTimeoutException) back).timeout()).isEqualTo(Duration.ofSeconds(3));
    }
}
