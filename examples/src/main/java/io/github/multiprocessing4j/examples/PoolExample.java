package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import java.util.List;

/**
 * The talk's {@code pool_example.py}: a pool runs a printing function, a function returning the parent and
 * own pid, a function with an argument, and {@code map}.
 */
public final class PoolExample {
    private PoolExample() {}

    /** {@code get_id_print()}: prints, returns nothing. */
    static void getIdPrint() {
        System.out.println("parent process: " + ProcessHandle.current().parent().orElseThrow().pid());
        System.out.println("current process: " + ProcessHandle.current().pid());
    }

    /** {@code get_id_return()}: returns {@code [parent pid, pid]}. */
    static List<Long> getIdReturn() {
        return List.of(ProcessHandle.current().parent().orElseThrow().pid(), ProcessHandle.current().pid());
    }

    /** {@code f(x)}: doubles. */
    static int f(int x) {
        return x * 2;
    }

    /** The identity, reporting where it ran: {@code [x, parent pid, pid]}. */
    static List<Long> id(int x) {
        return List.of((long) x, ProcessHandle.current().parent().orElseThrow().pid(), ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("Main process: " + ProcessHandle.current().pid());
        try (Pool p = new Pool()) {
            useThePool(p);
        }
    }

    /** The body of the talk's {@code with Pool() as p:} block; {@link ClusterPoolExample} runs it unchanged. */
    static void useThePool(Pool p) throws InterruptedException {
        AsyncResult<Void> r = p.applyAsync(PoolExample::getIdPrint);
        r.get();

        AsyncResult<List<Long>> r2 = p.applyAsync(PoolExample::getIdReturn);
        List<Long> vals = r2.get();
        System.out.println("List of ids: " + vals);
        System.out.println("Parent id: " + vals.get(0));
        System.out.println("Current id: " + vals.get(1));

        AsyncResult<Integer> r3 = p.applyAsync(PoolExample::f, 3);
        System.out.println("f(3) = " + r3.get());

        List<Integer> r4 = p.map(PoolExample::f, List.of(1, 2, 3));
        System.out.println("map(f, [1, 2, 3]) = " + r4);

        List<List<Long>> r5 = p.map(PoolExample::id, List.of(1, 1, 1));
        for (List<Long> ran : r5) {
            System.out.println("id(" + ran.get(0) + ") ran in " + ran.get(2) + ", child of " + ran.get(1));
        }
    }
}
