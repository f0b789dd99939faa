package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices the parent's end while the child's main thread is busy and not reading the parent's channel.
 *
 * <p>The main thread reads the channel itself and sees the parent's end there as the end of the stream.
 * While it runs a job (or exits waiting for its own children with the channel open) it reads nothing, so
 * this watcher, thread {@code mp4j-parent-watch}, looks at the channel instead, but only once one job has
 * run for {@link #WATCH_AFTER_MILLIS}: the parent sends nothing while a job runs (a pool sends a worker its
 * next task or STOP only after the outcome), so short jobs need no watching.
 */
final class ParentWatch {
    /*
     * The main thread counts in `jobs`: odd while busy, even while it reads. The watcher has three states:
     *   asleep:   it parked without a timeout after a tick in which nothing started; busy() unparks it.
     *   ticking:  jobs are running; every WATCH_AFTER_MILLIS it looks whether the same job still runs.
     *   watching: the same job ran for a whole tick; it waits for the channel to end
     *             (Channel.peerClosedWithin, in slices of WATCH_AFTER_MILLIS) until that job is done.
     * So a waiting spare or an idle worker has a watcher that never wakes, a stream of short jobs wakes it 50
     * times a second, and a job costs the main thread two volatile writes and one read (plus one unpark for
     * the first job after a quiet tick). `asleep` is written before the watcher reads `jobs` and read by
     * busy() after it writes `jobs`; both are volatile, so at least one side sees the other and the watcher
     * never sleeps through a job.
     */

    /** How long a job runs before the watcher looks at the channel; also the watcher's tick while jobs run. */
    static final long WATCH_AFTER_MILLIS = 20;

    private final Channel channel;
    private final Runnable parentGone;
    /* Written by the main thread only. */
    private volatile long jobs;
    private volatile boolean asleep;
    private final Thread thread;

    /** Starts watching {@code channel}; {@code parentGone} runs on the watcher when the channel ends during a job. */
    ParentWatch(Channel channel, Runnable parentGone) {
        this.channel = channel;
        this.parentGone = parentGone;
        this.thread = LibraryThreads.newThread(this::run, "mp4j-parent-watch");
        thread.start();
    }

    /** The main thread stops reading the channel: it starts a job, or exits with the channel open. */
    void busy() {
        if (jobs % 2 == 0) {
            jobs++;
            if (asleep) {
                asleep = false;
                LockSupport.unpark(thread);
            }
        }
    }

    /** The main thread reads the channel again (called before it sends the outcome that may bring a frame). */
    void reading() {
        if (jobs % 2 == 1) {
            jobs++;
        }
    }

    private void run() {
        try {
            long seen = jobs;
            while (true) {
                Thread.sleep(WATCH_AFTER_MILLIS);
                long now = jobs;
                if (now == seen) {
                    if (now % 2 == 1) {
                        if (channelEndedDuring(now)) {
                            parentGone.run();
                            return;
                        }
                    } else {
                        sleepUntilBusy(now);
                    }
                }
                seen = jobs;
            }
        } catch (IOException | InterruptedException e) {
            parentGone.run();
        }
    }

    /**
     * Waits until {@code job} is done (false) or the channel ends first (true). An interrupt would make every
     * wait for the channel return at once, so it ends the watch as a sleep's would.
     */
    private boolean channelEndedDuring(long job) throws IOException, InterruptedException {
        while (jobs == job) {
            if (channel.peerClosedWithin(WATCH_AFTER_MILLIS)) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return false;
    }

    /** Parks until the main thread leaves the read it was in at {@code reading}; an interrupt ends the watch as a sleep's would. */
    private void sleepUntilBusy(long reading) throws InterruptedException {
        asleep = true;
        while (jobs == reading) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        asleep = false;
    }
}
