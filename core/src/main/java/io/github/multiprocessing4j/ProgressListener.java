package io.github.multiprocessing4j;

/**
 * Told how far a long {@code map} or {@code imap} has come: called once each time a chunk finishes, with
 * the number of items done so far and the total.
 *
 * <pre>{@code
 * List<Integer> squares = pool.map(x -> x * x, items, 100,
 *         (done, total) -> System.out.printf("%d/%d%n", done, total));
 * }</pre>
 *
 * <p>The calls are made one at a time, in increasing order of {@code done}, on the library thread that
 * received the chunk's result; keep them quick (a slow listener delays that worker's next result). Items
 * of a chunk that failed count as done; items of chunks that were cancelled do not, so a {@code map} that
 * failed may stop short of its total. {@code done == total} is reported exactly once, when the last chunk
 * finishes, before a {@code map}'s result completes. A listener that throws is logged and ignored.
 *
 * <h2>Comparison with Python</h2>
 * Python's pool reports no progress; the usual idiom wraps {@code imap} in {@code tqdm}, which counts
 * results as the consumer reads them. This listener counts results as the workers finish them, so it works
 * for {@code map} as well. For a console progress bar, see the {@code ProgressBarExample} in the examples
 * module, built on the {@code me.tongfei:progressbar} library.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * A chunk finished.
     *
     * @param done items finished so far, this chunk's included
     * @param total items in all, or -1 when unknown (an {@code imap} over an iterator or a stream)
     */
    void progressed(long done, long total);
}
