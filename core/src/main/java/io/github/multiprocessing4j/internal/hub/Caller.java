package io.github.multiprocessing4j.internal.hub;

/**
 * Who calls a hosted object: one thread of one process. Locks compare callers ({@link #sameThreadAs}) to
 * know their owner; blocking calls ask {@link #isAlive()} between wait slices, so that a caller that died
 * stops waiting and takes nothing with it.
 *
 * <p>Whether a process lives is the hub's judgement ({@link Peers}), carried with each caller as its
 * {@link Liveness}; tests give callers a liveness of their own, so a fake caller can "die" on cue.
 */
public record Caller(long pid, long threadId, Liveness liveness) {
    /** Whether a process, known by its pid, still lives as one hub sees it. */
    @FunctionalInterface
    public interface Liveness {
        boolean isAlive(long pid);
    }

    public boolean isAlive() {
        return liveness.isAlive(pid);
    }

    /** Whether {@code other} is the same thread of the same process; null is nobody. */
    public boolean sameThreadAs(Caller other) {
        return other != null && other.pid == pid && other.threadId == threadId;
    }
}
