package io.github.multiprocessing4j.internal.hub;

/**
 * An object hosted by a {@link HubServer}. Its operations are typed methods, reached from other processes
 * through the {@link Request} records of its kind (a {@link LockRequest} runs on a {@link LockState}, and
 * so on), and callable directly in tests. Implementations keep their own state thread-safe, since calls
 * from many processes arrive on many server threads at once. Blocking methods wait in short slices
 * ({@link #WAIT_SLICE_NANOS}) so they can notice a caller that died.
 */
public interface HubObject {
    long WAIT_SLICE_NANOS = 100_000_000L;

    /**
     * A process that used this object has exited: release whatever it held. {@code died} is true when it
     * vanished without the normal-exit notice every JVM sends at a normal exit (killed, crashed, halted).
     * Called once per process and hub. Default: nothing.
     */
    default void processExited(long pid, boolean died) {
    }
}
