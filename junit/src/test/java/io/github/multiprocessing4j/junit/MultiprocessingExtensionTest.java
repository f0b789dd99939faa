package io.github.multiprocessing4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.RemoteOrigin;
import io.github.multiprocessing4j.SerializationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The extension's behaviour, proven by running fixture classes (the nested classes below, which the build
 * does not run on their own) through the JUnit engine and checking how each test ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiprocessingExtensionTest {

    @MultiprocessingTest
    static class ChildAssertions {
        static Pool pool;

        @BeforeAll
        static void start() {
            pool = new Pool(2);
        }

        @AfterAll
        static void stop() {
            pool.close();
        }

        @Test
        void assertEqualsInTask_readWithGet() throws Exception {
            pool.applyAsync(() -> {
                Assertions.assertEquals(1, 2);
                return null;
            }).get();
        }

        @Test
        void assertJInTask_readWithGet() throws Exception {
            pool.apply(() -> {
                assertThat("child").isEqualTo("parent");
                return null;
            });
        }

        @Test
        void javaAssertInProcess_onlyJoined() throws Exception {
            Process p = new Process(() -> {
                assert 1 == 2 : "java assert in the child";
            });
            p.start();
            p.join();
        }

        static int thisWillPassButItShouldnt() {
            Assertions.assertEquals(1, 2, "a != b");
            return 0;
        }

        @Test
        void taskResultNeverRead() {
            AsyncResult<Integer> r = pool.applyAsync(ChildAssertions::thisWillPassButItShouldnt);
            assertFalse(r.isCancelled());
        }

        @Test
        void readAndCorrect() throws Exception {
            assertEquals(4, pool.apply((Integer x) -> x * 2, 2));
        }
    }

    @Test
    void assertionsInChildren_failTheTest_asFailuresWithTheChildsDetails() {
        EngineRuns runs = EngineRuns.run(ChildAssertions.class);

        AssertionFailedError assertEquals = assertInstanceOf(AssertionFailedError.class,
                runs.failureOf("assertEqualsInTask_readWithGet"));
        assertEquals("expected: <1> but was: <2>", assertEquals.getMessage());
        assertEquals(1, assertEquals.getExpected().getValue());
        assertEquals(2, assertEquals.getActual().getValue());
        RemoteOrigin origin = RemoteOrigin.of(assertEquals).orElseThrow();
        assertNotEquals(ProcessHandle.current().pid(), origin.pid());

        AssertionFailedError assertJ = assertInstanceOf(AssertionFailedError.class, runs.failureOf("assertJInTask_readWithGet"));
        assertTrue(assertJ.isExpectedDefined() && assertJ.isActualDefined(), "AssertJ's expected/actual survive the trip");
        assertTrue(assertJ.getMessage().contains("\"parent\""), assertJ.getMessage());

        Throwable javaAssert = runs.failureOf("javaAssertInProcess_onlyJoined");
        assertInstanceOf(AssertionError.class, javaAssert);
        assertEquals("java assert in the child", javaAssert.getMessage());

        Throwable unread = runs.failureOf("taskResultNeverRead");
        assertInstanceOf(AssertionFailedError.class, unread);
        assertTrue(unread.getMessage().startsWith("a != b"), unread.getMessage());
        assertTrue(java.util.Arrays.stream(unread.getSuppressed()).anyMatch(s -> s.getMessage().startsWith(
                "the result of applyAsync(MultiprocessingExtensionTest.ChildAssertions::thisWillPassButItShouldnt) failed, "
                        + "and the test never read the failure")), "the failure must name the task");

        runs.assertPassed("readAndCorrect");
    }

    @MultiprocessingTest
    static class ChildSkips {
        @Test
        void abortInChildTask() throws Exception {
            try (Pool pool = new Pool(1)) {
                pool.applyAsync(() -> {
                    Assumptions.abort("skipped in the child");
                    return 1;
                }).get();
            }
        }

        @Test
        void assumptionInProcess_onlyJoined() throws Exception {
            Process p = new Process(() -> Assumptions.assumeTrue(false, "assumed in the child"));
            p.start();
            p.join();
        }

        @Test
        void abortInTestMethod() {
            Assumptions.abort("skipped in the test");
        }
    }

    @Test
    void abortedAssumptionsInChildren_skipTheTest() {
        EngineRuns runs = EngineRuns.run(ChildSkips.class);
        assertEquals("skipped in the child", runs.abortOf("abortInChildTask").getMessage());
        TestAbortedException process = assertInstanceOf(TestAbortedException.class, runs.abortOf("assumptionInProcess_onlyJoined"));
        assertEquals("Assumption failed: assumed in the child", process.getMessage());
        assertEquals("skipped in the test", runs.abortOf("abortInTestMethod").getMessage());
    }

    @MultiprocessingTest
    static class Leftovers {
        static volatile long leftRunning;
        static volatile long timedOut;

        @Test
        void leavesAChildRunning() {
            Process p = new Process(() -> Thread.sleep(60_000));
            p.start();
            leftRunning = p.pid();
        }

        @Test
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void overrunsItsTimeout() throws Exception {
            Process p = new Process(() -> Thread.sleep(60_000));
            p.start();
            timedOut = p.pid();
            p.join();
        }
    }

    @Test
    void childrenLeftRunning_areKilledAndReported_alsoAfterATimeout() {
        EngineRuns runs = EngineRuns.run(Leftovers.class);
        runs.assertPassed("leavesAChildRunning");
        assertFalse(ProcessHandle.of(Leftovers.leftRunning).map(ProcessHandle::isAlive).orElse(false),
                "the child left running must be killed when the test ends");
        assertTrue(runs.reportEntries() >= 1, "the kill must be reported");

        assertInstanceOf(java.util.concurrent.TimeoutException.class, runs.failureOf("overrunsItsTimeout"));
        assertFalse(ProcessHandle.of(Leftovers.timedOut).map(ProcessHandle::isAlive).orElse(false),
                "a timed-out test's child must be killed");
    }

    @MultiprocessingTest
    static class CapturesTheTestInstance {
        private final Object notSerializable = new Object();

        @Test
        void lambdaUsesAField() throws Exception {
            try (Pool pool = new Pool(1)) {
                pool.apply(() -> notSerializable.hashCode());
            }
        }
    }

    @Test
    void lambdaDraggingInTheTestInstance_isExplainedWithTheFix() {
        Throwable e = EngineRuns.run(CapturesTheTestInstance.class).failureOf("lambdaUsesAField");
        assertInstanceOf(SerializationException.class, e);
        assertTrue(e.getMessage().contains("captured 'this' of type " + CapturesTheTestInstance.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("use a static method, or copy the values you need into local variables"),
                e.getMessage());
    }

    static class ForkedTests {
        static int counter;

        @Test
        @Forked
        void printsItsPid() {
            counter++;
            System.out.println("forked test ran in pid " + ProcessHandle.current().pid() + " with counter " + counter);
        }

        @Test
        @Forked
        void failsInTheChild() {
            Assertions.assertEquals("here", "pid " + ProcessHandle.current().pid());
        }

        @Test
        @Forked
        void skipsInTheChild() {
            Assumptions.assumeTrue(false, "not in this JVM");
        }

        @Test
        @Forked
        void crashesTheChild() {
            Runtime.getRuntime().halt(42);
        }
    }

    @Test
    void forkedTests_runInAFreshJvm_andReportAsIfInPlace() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        EngineRuns runs;
        try {
            runs = EngineRuns.run(ForkedTests.class);
        } finally {
            System.setOut(original);
        }
        runs.assertPassed("printsItsPid");
        String output = captured.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("forked test ran in pid (\\d+) with counter 1").matcher(output);
        assertTrue(m.find(), output);
        assertNotEquals(ProcessHandle.current().pid(), Long.parseLong(m.group(1)));
        assertEquals(0, ForkedTests.counter, "static state of this JVM is untouched");

        AssertionFailedError failed = assertInstanceOf(AssertionFailedError.class, runs.failureOf("failsInTheChild"));
        assertEquals("here", failed.getExpected().getValue());
        assertNotEquals("pid " + ProcessHandle.current().pid(), failed.getActual().getValue());

        assertEquals("Assumption failed: not in this JVM", runs.abortOf("skipsInTheChild").getMessage());

        Throwable crash = runs.failureOf("crashesTheChild");
        assertTrue(crash.getMessage().contains("exited with code 42"), crash.getMessage());
    }
}
