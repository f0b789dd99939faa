package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProgressListener;
import java.util.List;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A console progress bar for a long {@code map}: a {@link ProgressListener} drives a
 * {@code me.tongfei:progressbar} bar (Java's {@code tqdm}). It prints, on stderr:
 *
 * <pre>
 * squares 100% │██████████████████████│ 200/200 (0:00:02 / 0:00:00)
 * </pre>
 */
public final class ProgressBarExample {
    private ProgressBarExample() {}

    /** A listener that moves {@code bar}, setting its maximum once the total is known. */
    public static ProgressListener listener(ProgressBar bar) {
        return (done, total) -> {
            if (total >= 0 && bar.getMax() != total) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
        };
    }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(5);
        return x * x;
    }

    public static void main(String[] args) throws InterruptedException {
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        try (Pool pool = new Pool(2);
                ProgressBar bar = new ProgressBarBuilder().setTaskName("squares").setInitialMax(items.size())
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            List<Integer> squares = pool.map(x -> {
                try {
                    return slowSquare(x);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, items, 10, listener(bar));
            System.out.println("progress bar at " + bar.getCurrent() + "/" + bar.getMax());
            System.out.println("sum of squares: " + squares.stream().mapToLong(Integer::longValue).sum());
        }
    }
}
