package io.github.multiprocessing4j;

/** A program for {@link WhereItRunsTest} that leaves a pool with queued work open when main returns. */
public final class UnclosedPoolMain {
    private UnclosedPoolMain() {}

    public static void main(String[] args) throws Exception {
        Pool pool = new Pool(1);
        pool.apply(() -> 1);
        pool.applyAsync(() -> {
            Thread.sleep(60_000);
            return 2;
        });
        pool.applyAsync(() -> 3);
        System.out.println("main returns");
    }
}
