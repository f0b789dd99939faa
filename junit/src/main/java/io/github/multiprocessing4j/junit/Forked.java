package io.github.multiprocessing4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method (or every test method of a class) in a fresh child JVM: the counterpart of
 * {@code pytest --forked}, for tests that change static state or system properties, load native code, or
 * might crash the JVM.
 *
 * <p>The child runs the method through the JUnit Platform with the class's own lifecycle methods and
 * extensions ({@code @BeforeEach}, {@code @AfterEach}, and also {@code @BeforeAll} / {@code @AfterAll},
 * which therefore run in the child as well as here). Its output reaches this JVM's {@code System.out} and
 * {@code System.err}; its outcome is reported as if the method ran in place: an assertion failure fails
 * the test with the child's message and stack trace, an aborted assumption skips it. If the child JVM
 * dies, the test fails with its exit code (its stderr has reached this JVM's {@code System.err}). Meant for plain {@code @Test} methods; a
 * parameterized or repeated test would run all its invocations in each child.
 *
 * <h2>Comparison with Python</h2>
 * The counterpart is the pytest-forked plugin ({@code pytest --forked}, or {@code @pytest.mark.forked} on
 * one test). That plugin forks the test process, so the test starts with a copy of its state, and it works
 * only where {@code os.fork} does; here the child is a fresh JVM, so static state starts anew, as the
 * class's {@code @BeforeAll} sets it up.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MultiprocessingExtension.class)
public @interface Forked {
}
