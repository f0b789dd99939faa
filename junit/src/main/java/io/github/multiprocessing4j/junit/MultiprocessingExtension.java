package io.github.multiprocessing4j.junit;

import io.github.multiprocessing4j.FailureWatch;
import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.Process;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter support for tests that use child processes. Turn it on with {@link MultiprocessingTest}
 * (or {@code @ExtendWith(MultiprocessingExtension.class)}); {@link Forked} turns it on by itself.
 *
 * <ul>
 * <li>Around each test it keeps a {@link FailureWatch}: a process or pool task started by the test that
 *     failed, and whose failure the test never read, fails the test when it ends. The talk's "this will
 *     pass but it shouldn't" case cannot pass. The exception thrown is the child's own, so an assertion
 *     failure in a child is a test <em>failure</em> with the child's message and expected/actual values,
 *     and an aborted assumption in a child skips the test.</li>
 * <li>Children and pools the test left running are killed when it ends (also after a {@code @Timeout}),
 *     and reported as report entries and on stderr.</li>
 * <li>{@link Forked} test methods run in a fresh child JVM.</li>
 * </ul>
 *
 * <p>Failures read by the test itself ({@code AsyncResult.get()}, {@code Process.exception()}) are
 * already thrown where they are read: {@code get()} rethrows the child's exception as itself.
 *
 * <h2>Comparison with Python</h2>
 * Python's test runners have no counterpart; see {@link MultiprocessingTest}. Killing what a test left
 * running is what a pytest fixture calling {@code terminate()} and {@code join()} in its teardown does, and
 * {@link Forked} is the pytest-forked plugin's {@code --forked}.
 */
public final class MultiprocessingExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MultiprocessingExtension.class);

    /** Lets JUnit close the watch even if afterEach never runs. */
    private record WatchResource(FailureWatch watch) implements AutoCloseable {
        @Override
        public void close() {
            watch.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(WatchResource.class, new WatchResource(FailureWatch.open()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        WatchResource resource = context.getStore(NAMESPACE).remove(WatchResource.class, WatchResource.class);
        if (resource == null) {
            return;
        }
        FailureWatch.Report report = resource.watch().finish();
        for (String stopped : report.stopped()) {
            context.publishReportEntry("multiprocessing4j", stopped);
            System.err.println("multiprocessing4j: " + context.getDisplayName() + ": " + stopped);
        }
        List<FailureWatch.UnreadFailure> unread = report.unreadFailures();
        if (unread.isEmpty()) {
            return;
        }
        Throwable first = unread.get(0).failure();
        for (FailureWatch.UnreadFailure failure : unread) {
            failure.failure().addSuppressed(new MultiprocessingException(failure.source()
                    + " failed, and the test never read the failure (read it with get() on the result, or with "
                    + "exception() or exitCode() on the process)"));
            if (failure.failure() != first) {
                first.addSuppressed(failure.failure());
            }
        }
        throw ForkedRun.asThrowable(first);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        Method method = invocationContext.getExecutable();
        boolean forked = AnnotationSupport.isAnnotated(method, Forked.class)
                || AnnotationSupport.isAnnotated(extensionContext.getRequiredTestClass(), Forked.class);
        if (!forked || ForkedRun.inChild()) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        runForked(new ForkedRun.Target(extensionContext.getRequiredTestClass().getName(), method.getName(),
                Arrays.stream(method.getParameterTypes()).map(Class::getName).toList()));
    }

    private static void runForked(ForkedRun.Target target) throws Throwable {
        Process child = new Process(ForkedRun::run, target);
        child.setName("forked " + target.methodName());
        child.start();
        try {
            child.join();
        } catch (InterruptedException e) {
            child.kill();
            throw e;
        }
        if (child.exception().isPresent()) {
            throw child.exception().get();
        }
        if (child.exitCode() != 0) {
            throw new AssertionError("the forked JVM running " + target.methodName() + " exited with code "
                    + child.exitCode() + " before reporting a result; its output was copied to this JVM's stdout and stderr");
        }
    }
}
