package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;

/** How one party's wait at a barrier ended. */
public sealed interface BarrierOutcome extends Serializable {
    /** Every party arrived; {@code index} is this party's arrival index ({@code parties - 1} first, 0 last). */
    record Passed(int index) implements BarrierOutcome {}

    /**
     * Every party arrived, this one last, and the barrier has an action: run it, then report with
     * {@link BarrierRequest.ActionDone} (the others wait until then).
     */
    record RunAction(int index, long generation) implements BarrierOutcome {}

    /** The barrier was broken before or while this party waited (another's timeout, a reset, an abort). */
    record Broken() implements BarrierOutcome {}

    /** This party's own wait timed out (or its process died), and that broke the barrier for the others. */
    record TimedOut() implements BarrierOutcome {}
}
