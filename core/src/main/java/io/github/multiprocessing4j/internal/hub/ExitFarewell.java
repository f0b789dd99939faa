package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.util.List;
import java.util.function.Supplier;

/**
 * This JVM's goodbye to the other processes' hubs it used, run at a normal exit as the
 * {@link ExitSequence.Step#DELIVER_SENDS} step (a killed or halted JVM runs none): pending sends are
 * delivered, then every such hub is told this JVM exits normally, so its semaphores do not take the
 * permits this JVM used for those of a dead process. Bounded by {@link #EXIT_FLUSH_MILLIS} in all.
 *
 * <p>A JVM that exits because its work failed ({@link #exitingAfterFailure()}), or because it was sent a
 * signal ({@code terminate()}: {@link ExitSequence#exitSignal()}), delivers its sends but sends no notice:
 * the hubs then treat it as dead and take back what it held.
 */
final class ExitFarewell {
    /*
     * Each hub is flushed on its own and a failing flush (its process is gone, a send was refused) is
     * skipped: it must not cost the other hubs their sends or the farewells. The work runs on a thread of its
     * own so that the exit step can give up after EXIT_FLUSH_MILLIS on a hub that does not answer.
     */

    /** How long a normal JVM exit waits for pending sends and farewells. */
    static final long EXIT_FLUSH_MILLIS = 5000;
    /** Accessed only while holding ExitFarewell.class. */
    private static boolean added;
    private static volatile boolean exitingAfterFailure;

    /** A hub to say goodbye to. */
    interface Departure {
        /** Delivers this process's pending sends to the hub; throws if that failed. */
        void flush();

        /** Tells the hub this process exits normally; throws if it cannot be reached. */
        void sayExiting();
    }

    private ExitFarewell() {}

    /** This JVM is about to exit because its target threw: no normal-exit notice will be sent. */
    static void exitingAfterFailure() {
        exitingAfterFailure = true;
    }

    /** Registers the exit step, once per JVM, for the hubs {@code hubs} lists when the JVM exits. */
    static synchronized void addOnce(Supplier<List<? extends Departure>> hubs) {
        if (added) {
            return;
        }
        added = true;
        ExitSequence.add(ExitSequence.Step.DELIVER_SENDS, () -> {
            boolean died = exitingAfterFailure || ExitSequence.exitSignal() != null;
            Thread farewell = LibraryThreads.start(() -> sayGoodbye(hubs.get(), died), "mp4j-exit-farewell");
            try {
                farewell.join(EXIT_FLUSH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Flushes every hub in {@code hubs}, then, unless {@code afterFailure}, tells each one this process
     * exits normally. Failures are skipped: lost sends were reported to their senders where possible, and
     * a hub that is gone needs no notice.
     */
    static void sayGoodbye(List<? extends Departure> hubs, boolean afterFailure) {
        for (Departure hub : hubs) {
            try {
                hub.flush();
            } catch (RuntimeException e) {
                // That hub lost some sends; the others and the farewells must still go.
            }
        }
        if (afterFailure) {
            return;
        }
        for (Departure hub : hubs) {
            try {
                hub.sayExiting();
            } catch (RuntimeException e) {
                // That hub is gone already: nobody to tell.
            }
        }
    }
}
