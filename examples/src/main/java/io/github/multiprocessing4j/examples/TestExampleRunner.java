package io.github.multiprocessing4j.examples;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs {@link TalkTestExample} through the JUnit Platform, as a test runner would, and prints each outcome. */
public final class TestExampleRunner {
    private TestExampleRunner() {}

    public static void main(String[] args) {
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(TalkTestExample.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            String why = result.getThrowable().map(t -> ": " + t.getClass().getSimpleName() + ": " + t.getMessage())
                                    .orElse("");
                            System.out.println(test.getDisplayName() + " -> " + result.getStatus() + why);
                        }
                    }
                });
        System.out.println("(testThisWillPassButItShouldnt passes under nose in the talk; here it fails, as it should.)");
    }
}
