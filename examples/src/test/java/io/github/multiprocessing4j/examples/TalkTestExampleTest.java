package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

/** Runs the talk's test example through the JUnit engine: the should-fail case must now fail. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TalkTestExampleTest {

    @Test
    void talkTestExample_passesSkipsAndFailsAsItShould() {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(TalkTestExample.class)).execute()
                .testEvents().finished().stream()
                .forEach(event -> results.put(((MethodSource) event.getTestDescriptor().getSource().orElseThrow()).getMethodName(),
                        event.getRequiredPayload(TestExecutionResult.class)));

        assertEquals(4, results.size(), results.toString());
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("testThisIsAFunction").getStatus());
        assertEquals(TestExecutionResult.Status.ABORTED, results.get("testSkipTheFunction").getStatus());
        TestExecutionResult childSkip = results.get("testThisAlsoSkips");
        assertEquals(TestExecutionResult.Status.ABORTED, childSkip.getStatus());
        assertEquals("skipped inside the child", childSkip.getThrowable().orElseThrow().getMessage());

        TestExecutionResult shouldFail = results.get("testThisWillPassButItShouldnt");
        assertEquals(TestExecutionResult.Status.FAILED, shouldFail.getStatus(), "the talk's should-fail case must fail");
        AssertionFailedError failure = assertInstanceOf(AssertionFailedError.class, shouldFail.getThrowable().orElseThrow());
        assertEquals("expected: <1> but was: <2>", failure.getMessage());
    }
}
