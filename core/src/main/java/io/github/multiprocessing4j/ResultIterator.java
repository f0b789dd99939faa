package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The lazy results of {@link Pool#imap} and {@link Pool#imapUnordered}: Python's {@code IMapIterator}.
 *
 * <p>Input is pulled from the source only as results are consumed: at most twice as many chunks as the
 * pool has workers are submitted and not yet consumed at any time, so an endless source or one of ten million items
 * runs in bounded memory. The source is read on the consuming thread, inside {@link #hasNext()} and
 * {@link #next()}. Ordered iteration yields results in input order; unordered iteration yields each chunk's
 * results as soon as that chunk is done.
 *
 * <p>When a chunk fails, {@code next()} throws its exception once, at the position of that chunk (its other
 * items are skipped), and iteration can go on with the next chunk, as in Python. If the source itself
 * throws, the results of the items read before are yielded first, then {@code next()} throws the source's
 * exception once and the iteration ends, as in Python. {@link #close()} cancels the chunks still queued.
 *
 * <p>Not thread-safe: consume it from one thread.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code next(timeout)} is {@link #next(Duration)}, throwing
 *     {@link java.util.concurrent.TimeoutException} where Python raises {@code multiprocessing.TimeoutError}.</li>
 * <li>Python submits the whole input at once; this reads the input only as results are consumed.</li>
 * <li>It is {@link AutoCloseable}: {@link #close()} cancels what is still queued, which Python cannot.</li>
 * </ul>
 *
 * @param <R> the type of the results
 */
public final class ResultIterator<R> implements Iterator<R>, AutoCloseable {
    private final Iterator<?> source;
    private final int chunksize;
    private final int maxChunksInFlight;
    private final boolean ordered;
    private final Function<List<Object>, AsyncResult<List<R>>> submitChunk;

    /** Submitted chunks in input order (ordered), or not yet completed (unordered). */
    private final ArrayDeque<AsyncResult<List<R>>> inFlight = new ArrayDeque<>();
    /** Unordered only: chunks in the order they completed. */
    private final LinkedBlockingQueue<AsyncResult<List<R>>> completed = new LinkedBlockingQueue<>();
    private Iterator<R> current = Collections.emptyIterator();
    private boolean closed;
    /** What the source threw, to be thrown after the results before it; null if it did not (yet). */
    private RuntimeException sourceFailure;
    /** Set once the source threw: it is not read again. */
    private boolean sourceFailed;
    /** Set once the source had no more items: it is not read again. */
    private boolean sourceDone;

    ResultIterator(Iterator<?> source, int chunksize, int maxChunksInFlight, boolean ordered,
            Function<List<Object>, AsyncResult<List<R>>> submitChunk) {
        this.source = source;
        this.chunksize = chunksize;
        this.maxChunksInFlight = maxChunksInFlight;
        this.ordered = ordered;
        this.submitChunk = submitChunk;
    }

    @Override
    public boolean hasNext() {
        fill();
        return current.hasNext() || !inFlight.isEmpty() || sourceFailure != null;
    }

    /**
     * The next result, waiting for it as long as it takes.
     *
     * @throws CancellationException if the waiting thread is interrupted (its interrupt flag is kept)
     */
    @Override
    public R next() {
        try {
            return next0(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the next result");
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot time out without a timeout", e);
        }
    }

    /**
     * The next result, waiting at most {@code timeout} for it (Python's {@code next(timeout)}).
     *
     * @param timeout how long to wait at most; zero or negative to only check
     * @return the next result, in order ({@code imap}) or as it completes ({@code imapUnordered})
     * @throws TimeoutException if it is not ready in time; calling again waits for the same result
     * @throws InterruptedException if the waiting thread is interrupted; the result is not lost
     * @throws NoSuchElementException if there are no more results
     */
    public R next(Duration timeout) throws InterruptedException, TimeoutException {
        return next0(java.util.Objects.requireNonNull(timeout, "timeout"));
    }

    /** The next result; {@code timeout} null waits as long as it takes. */
    private R next0(Duration timeout) throws InterruptedException, TimeoutException {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        if (!current.hasNext() && inFlight.isEmpty()) {
            RuntimeException failure = sourceFailure;
            sourceFailure = null;
            throw failure;
        }
        if (!current.hasNext()) {
            current = take(timeout).iterator();
            if (!current.hasNext()) {
                return next0(timeout);
            }
        }
        return current.next();
    }

    private List<R> take(Duration timeout) throws InterruptedException, TimeoutException {
        AsyncResult<List<R>> chunk;
        if (ordered) {
            chunk = inFlight.peekFirst();
            if (timeout == null) {
                chunk.waitFor();
            } else if (!chunk.waitFor(timeout)) {
                throw new TimeoutException("next result not ready within " + timeout.toMillis() + " ms");
            }
        } else {
            chunk = timeout == null ? completed.take() : completed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (chunk == null) {
                throw new TimeoutException("no result ready within " + timeout.toMillis() + " ms");
            }
        }
        inFlight.remove(chunk);
        return chunk.get();
    }

    private void fill() {
        while (!closed && !sourceFailed && !sourceDone && inFlight.size() < maxChunksInFlight) {
            List<Object> items = null;
            try {
                while ((items == null || items.size() < chunksize) && source.hasNext()) {
                    if (items == null) {
                        items = new ArrayList<>(chunksize);
                    }
                    items.add(source.next());
                }
            } catch (RuntimeException e) {
                sourceFailed = true;
                sourceFailure = e;
            }
            if (items == null || items.size() < chunksize) {
                // Not read again once it has ended: hasNext() is called for every result, and each call would
                // otherwise ask the source again.
                sourceDone = !sourceFailed;
            }
            if (items == null) {
                return;
            }
            AsyncResult<List<R>> chunk = submitChunk.apply(items);
            inFlight.addLast(chunk);
            if (!ordered) {
                chunk.future().whenComplete((value, failure) -> {
                    if (!chunk.isCancelled()) {
                        completed.add(chunk);
                    }
                });
            }
        }
    }

    /**
     * The remaining results as a sequential stream; closing the stream closes this iterator.
     *
     * @return a stream of the results not yet taken
     */
    public Stream<R> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** Ends the iteration: cancels the chunks not yet started (running ones finish and are discarded). */
    @Override
    public void close() {
        closed = true;
        for (AsyncResult<List<R>> chunk : inFlight) {
            chunk.cancel(false);
        }
        inFlight.clear();
        completed.clear();
        current = Collections.emptyIterator();
        sourceFailure = null;
    }
}
