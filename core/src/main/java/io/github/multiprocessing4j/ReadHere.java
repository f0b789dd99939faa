package io.github.multiprocessing4j;

import java.util.Arrays;
import java.util.Optional;

/**
 * Attached as a {@linkplain Throwable#getSuppressed() suppressed exception} to an exception from another
 * process when a result is read here ({@link AsyncResult#get()}, {@link Pool#map}, …): its stack trace is
 * the reading thread's, so a printed trace shows the child's frames first and then the line of this process
 * that read the result. Only the first read adds one.
 *
 * <h2>Comparison with Python</h2>
 * Python re-raises a worker's exception with the parent's frames as its traceback and the worker's traceback
 * as its {@code __cause__} (a {@code RemoteTraceback}), printed first. Here it is the other way round: the
 * exception keeps the worker's frames as its own stack trace (so the top frame is where it was thrown), and
 * this suppressed exception holds the parent's frames.
 */
public final class ReadHere extends MultiprocessingException {
    ReadHere() {
        super("the result was read here, in thread " + Thread.currentThread().getName(), null, true);
    }

    /**
     * Where the result that failed with {@code exception} was first read, if it came from another process.
     *
     * @param exception an exception thrown by {@link AsyncResult#get()}, {@link Pool#map} or the like
     * @return the reading thread's stack, or empty if {@code exception} did not come from another process
     */
    public static Optional<ReadHere> of(Throwable exception) {
        return Arrays.stream(exception.getSuppressed())
                .filter(ReadHere.class::isInstance)
                .map(ReadHere.class::cast)
                .findFirst();
    }

    /** Adds the calling thread's stack to {@code exception} once, if it was raised in another process. */
    static void attachTo(Throwable exception) {
        synchronized (exception) {
            if (RemoteOrigin.of(exception).isPresent() && of(exception).isEmpty()) {
                exception.addSuppressed(new ReadHere());
            }
        }
    }
}
