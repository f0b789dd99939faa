package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.runtime.Log;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Adds up finished chunks for a {@link ProgressListener} and calls it one chunk at a time, so its calls
 * never overlap and {@code done} only grows. Chunks end on the library threads that read their workers'
 * results, in any order.
 */
final class ProgressCounter {
    private final ProgressListener listener;
    private final long total;
    /* Accessed only while holding this. */
    private long done;

    ProgressCounter(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    /** A chunk of {@code items} ended, with {@code failure} or null: counted unless it was cancelled. */
    synchronized void chunkEnded(int items, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
            return;
        }
        done += items;
        try {
            listener.progressed(done, total);
        } catch (RuntimeException e) {
            Log.pool().log(System.Logger.Level.WARNING, "a ProgressListener threw; ignored", e);
        }
    }
}
