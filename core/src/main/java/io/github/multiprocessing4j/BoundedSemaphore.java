package io.github.multiprocessing4j;

/**
 * A {@link Semaphore} that refuses to be released above its initial count, which catches a release
 * without an acquire (Python's {@code BoundedSemaphore}): {@link #release()} then throws
 * {@link IllegalStateException}.
 */
public final class BoundedSemaphore extends Semaphore {
    public BoundedSemaphore(int permits) {
        super(permits, true);
    }
}
