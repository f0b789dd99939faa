package io.github.multiprocessing4j.junit;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child side of {@link Forked}: runs one test method through the JUnit Platform and ends the way the
 * test ended, by returning (passed) or by throwing the test's own exception (failed or aborted), which the
 * parent re-throws in place.
 */
final class ForkedRun {
    /** Set in the child so that the extension there runs the method instead of forking again. */
    static final String IN_CHILD_PROPERTY = "multiprocessing4j.junit.forkedChild";

    private ForkedRun() {}

    /** Which method to run, by names, since {@code Method} is not serializable. */
    record Target(String className, String methodName, List<String> parameterTypes) implements Serializable {}

    static boolean inChild() {
        return Boolean.getBoolean(IN_CHILD_PROPERTY);
    }

    static void run(Target target) throws Exception {
        System.setProperty(IN_CHILD_PROPERTY, "true");
        String parameters = String.join(",", target.parameterTypes());
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectMethod(target.className(), target.methodName(), parameters))
                .build();
        AtomicReference<TestExecutionResult> result = new AtomicReference<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier identifier, TestExecutionResult outcome) {
                if (identifier.isTest() || outcome.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    result.compareAndSet(null, outcome);
                }
            }
        });
        TestExecutionResult outcome = result.get();
        if (outcome == null) {
            throw new AssertionError("the forked JVM found no test " + target.className() + "#" + target.methodName()
                    + "(" + parameters + ")");
        }
        if (outcome.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            throw asThrowable(outcome.getThrowable()
                    .orElseGet(() -> new AssertionError("forked test ended " + outcome.getStatus())));
        }
    }

    /** Throws an error as itself, returns an exception to be thrown; anything else is wrapped. */
    static Exception asThrowable(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof Exception exception ? exception : new IllegalStateException(failure);
    }
}
