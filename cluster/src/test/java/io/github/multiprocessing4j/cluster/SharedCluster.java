package io.github.multiprocessing4j.cluster;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One cluster of three members on loopback for every cluster test class of a run: started by the first
 * class that asks, kept in JUnit's root store, and closed (every member killed by pid) when the run ends.
 * Members also halt on their own if this JVM dies ({@code --exit-with-pid}).
 */
final class SharedCluster implements AutoCloseable {
    static final int MEMBERS = 3;

    final LocalCluster local;
    final Cluster cluster;

    private SharedCluster() {
        local = LocalCluster.start(MEMBERS);
        try {
            // Six members and their workers share two cores while ClusterFaultsTest kills some of them: a
            // live member can then miss the default 3 s heartbeat and be taken for lost. 6 s keeps the
            // tests about the members they kill, and a stopped member is still found out well within them.
            cluster = Cluster.connect(local.options().toBuilder().heartbeatTimeout(Duration.ofSeconds(6)).build());
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            local.close();
        }
    }

    private static SharedCluster get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedCluster.class))
                .getOrComputeIfAbsent(SharedCluster.class, key -> new SharedCluster(), SharedCluster.class);
    }

    private static volatile SharedCluster current;

    /** The shared cluster, once {@link Holder} has run for the calling class. */
    static SharedCluster current() {
        return current;
    }

    /** {@code @ExtendWith(SharedCluster.Holder.class)} on a test class starts or joins the shared cluster. */
    static final class Holder implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            current = get(context);
        }
    }
}
