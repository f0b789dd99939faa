package io.github.multiprocessing4j.examples;

/** The main job: every example from the talk, in the talk's order. */
public final class Talk {
    private Talk() {}

    public static void main(String[] args) throws Exception {
        System.out.println("== The Process class (process_example.py)");
        ProcessExample.main(args);
        System.out.println();
        System.out.println("== The Pool class (pool_example.py)");
        PoolExample.main(args);
        System.out.println();
        System.out.println("== Tips and tricks: multiprocessing in tests (test_example.py), run through JUnit");
        TestExampleRunner.main(args);
    }
}
