package io.github.multiprocessing4j.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs fixture classes through the Jupiter engine and reads how each of their methods ended. */
final class EngineRuns {
    private final EngineExecutionResults results;

    private EngineRuns(EngineExecutionResults results) {
        this.results = results;
    }

    static EngineRuns run(Class<?> fixture) {
        return new EngineRuns(EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute());
    }

    /** The result of the test method with this name; fails if it did not run exactly once. */
    TestExecutionResult resultOf(String method) {
        return results.testEvents().finished().stream()
                .filter(event -> methodName(event).equals(Optional.of(method)))
                .map(event -> event.getRequiredPayload(TestExecutionResult.class))
                .reduce((a, b) -> {
                    throw new AssertionError(method + " finished twice");
                })
                .orElseThrow(() -> new AssertionError(method + " did not finish; skipped: " + skipped()));
    }

    Throwable failureOf(String method) {
        TestExecutionResult result = resultOf(method);
        if (result.getStatus() != TestExecutionResult.Status.FAILED) {
            throw new AssertionError(method + " should have failed but was " + result);
        }
        return result.getThrowable().orElseThrow();
    }

    Throwable abortOf(String method) {
        TestExecutionResult result = resultOf(method);
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
            throw new AssertionError(method + " should have been skipped (aborted) but was " + result);
        }
        return result.getThrowable().orElseThrow();
    }

    void assertPassed(String method) {
        TestExecutionResult result = resultOf(method);
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            throw new AssertionError(method + " should have passed but was " + result, result.getThrowable().orElse(null));
        }
    }

    long reportEntries() {
        return results.allEvents().stream().filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED).count();
    }

    private String skipped() {
        return results.testEvents().skipped().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList().toString();
    }

    private static Optional<String> methodName(Event event) {
        return event.getTestDescriptor().getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName());
    }
}
