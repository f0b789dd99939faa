package io.github.multiprocessing4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns on {@link MultiprocessingExtension} for a test class: a failure in a child process that the test
 * never read fails the test, and children left running are killed when each test ends.
 *
 * <h2>Comparison with Python</h2>
 * Neither {@code unittest} nor pytest has a counterpart: a child process whose target raises prints a
 * traceback and exits with code 1, and the test passes unless it checks {@code exitcode}. Python projects
 * write a fixture that joins or terminates the children and asserts their exit codes; this annotation is
 * that fixture, for every child and pool task the test starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MultiprocessingExtension.class)
public @interface MultiprocessingTest {
}
