package io.github.multiprocessing4j.internal.hub;

/**
 * An object hosted by a {@link HubServer}: it answers calls by method name. Implementations keep their own
 * state thread-safe, since calls from many processes arrive on many server threads at once. Blocking
 * methods wait in short slices ({@link #WAIT_SLICE_NANOS}) so they can notice a caller that died.
 */
public interface HubObject {
    long WAIT_SLICE_NANOS = 100_000_000L;

    /**
     * Runs {@code method} for {@code caller}.
     *
     * @throws IllegalArgumentException for a method this object does not have
     */
    Object call(Caller caller, String method, Object[] args) throws Exception;

    /**
     * A process that used this object has exited: release whatever it held. {@code died} is true when it
     * vanished without the normal-exit notice every JVM sends at a normal exit (killed, crashed, halted).
     * Default: nothing.
     */
    default void processExited(long pid, boolean died) {
    }

    /** Who is calling: the thread of a process, as locks need to know their owner. */
    record Caller(long pid, long threadId) {
        private static final long SELF = ProcessHandle.current().pid();

        public boolean isAlive() {
            return pid == SELF || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    static IllegalArgumentException noSuchMethod(Object target, String method) {
        return new IllegalArgumentException(target.getClass().getSimpleName() + " has no hub method '" + method + "'");
    }
}
