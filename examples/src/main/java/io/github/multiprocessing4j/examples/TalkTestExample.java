package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.junit.MultiprocessingTest;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The talk's {@code test_example.py}, as a JUnit test class. It is sample code, not part of the build's
 * test run: {@code TalkTestExampleTest} runs it through the JUnit engine and checks each outcome, and the
 * main job ({@link Talk}) runs it and prints them. Under nose, the last test passes although its child's
 * assertion failed; with {@link MultiprocessingTest} it fails, as it should.
 */
@MultiprocessingTest
public class TalkTestExample {

    // This shows the basic call.

    static List<Integer> thisIsAFunction() {
        int a = 1;
        int b = 1;
        return List.of(a, b);
    }

    @Test
    void testThisIsAFunction() throws InterruptedException {
        try (Pool p = new Pool()) {
            AsyncResult<List<Integer>> r = p.applyAsync(TalkTestExample::thisIsAFunction);
            List<Integer> val = r.get();
            assertEquals(val.get(0), val.get(1));
        }
    }

    // This is how you can skip a test.

    static List<Integer> skipTheFunction() {
        int a = 1;
        int b = 2;
        return List.of(a, b);
    }

    @Test
    void testSkipTheFunction() throws InterruptedException {
        Assumptions.abort("we know a != b");
        try (Pool p = new Pool()) {
            List<Integer> val = p.applyAsync(TalkTestExample::skipTheFunction).get();
            assertEquals(val.get(0), val.get(1));
        }
    }

    // This will also work to skip a test: the skip happens in the child.

    static List<Integer> thisAlsoSkips() {
        Assumptions.abort("skipped inside the child");
        return List.of(1, 2);
    }

    @Test
    void testThisAlsoSkips() throws InterruptedException {
        try (Pool p = new Pool()) {
            List<Integer> val = p.applyAsync(TalkTestExample::thisAlsoSkips).get();
            assertEquals(val.get(0), val.get(1));
        }
    }

    // The talk: "This will return as a pass even though we know it should fail!" Not any more.

    static void thisWillPassButItShouldnt() {
        int a = 1;
        int b = 2;
        assertEquals(a, b);
    }

    @Test
    void testThisWillPassButItShouldnt() {
        Pool p = new Pool();
        p.applyAsync(TalkTestExample::thisWillPassButItShouldnt);
    }
}
