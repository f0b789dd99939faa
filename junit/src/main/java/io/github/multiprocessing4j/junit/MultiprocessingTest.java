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
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MultiprocessingExtension.class)
public @interface MultiprocessingTest {
}
