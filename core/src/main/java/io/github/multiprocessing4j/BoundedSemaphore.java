package io.github.multiprocessing4j;

/**
 * A {@link Semaphore} that refuses to be released above its initial count, which catches a release
 * without an acquire (Python's {@code BoundedSemaphore}): {@link #release()} then throws
 * {@link IllegalStateException}.
 *
 * <h2>Comparison with Python</h2>
 * Python raises {@code ValueError} when a {@code BoundedSemaphore} is released too often; Java raises
 * {@link IllegalStateException}, its exception for a call made in the wrong state. Everything else is
 * {@link Semaphore}'s.
 */
public final class BoundedSemaphore extends Semaphore {
    /**
     * A bounded semaphore with {@code permits} permits, hosted by this process; {@code permits} is also the most
     * it may ever hold.
     *
     * @param permits the number of free permits it starts with; 0 or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits, true);
    }
}
