package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.Pool;
import java.util.function.Supplier;

/**
 * How our own modules build a public {@link Pool} whose workers come from a {@link WorkerLauncher} other than
 * {@link ChildWorkers} (the cluster module's members, for one), without a launcher type in {@code Pool}'s
 * public signatures. {@code Pool} registers its {@link Access} when its class initializes; this is the JDK's
 * {@code SharedSecrets} pattern.
 */
public final class Pools {
    /** Implemented by {@code Pool}: a builder whose pools take their workers from the given launchers. */
    public interface Access {
        Pool.Builder builderOn(Supplier<? extends WorkerLauncher> launchers);
    }

    private static volatile Access access;

    private Pools() {}

    /** Called once, by {@code Pool}'s static initializer. */
    public static void setAccess(Access pool) {
        access = pool;
    }

    /**
     * A {@link Pool.Builder} whose {@code build()} asks {@code launchers} for one launcher per pool. Every
     * other setting of the builder (processes, initializer, timeouts, tasks per child) applies as usual;
     * {@code jvmOptions} does not, since the launcher decides how its workers start.
     */
    public static Pool.Builder builderOn(Supplier<? extends WorkerLauncher> launchers) {
        if (access == null) {
            Pool.builder(); // initializes Pool, which registers its access
        }
        return access.builderOn(launchers);
    }
}
