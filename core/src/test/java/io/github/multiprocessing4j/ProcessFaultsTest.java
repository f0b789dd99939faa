package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessFaultsTest {
    @TempDir
    Path dir;

    @Test
    void start_twice_isRefused() throws Exception {
        Process p = new Process(() -> {});
        p.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::start);
        assertTrue(e.getMessage().startsWith("a process can only be started once"), e.getMessage());
        p.join();
    }

    @Test
    void join_beforeStart_isRefused() {
        Process p = new Process(() -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, p::join);
        assertTrue(e.getMessage().contains("has not been started"), e.getMessage());
        assertThrows(IllegalStateException.class, p::pid);
        assertThrows(IllegalStateException.class, p::kill);
    }

    @Test
    void nullTarget_namesTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Process((SerializableRunnable) null));
        assertEquals("target", e.getMessage());
        assertThrows(NullPointerException.class, () -> new Process(() -> {}, null));
    }

    /** Stands for a resource such as a database connection: not serializable. */
    static final class Connection {
    }

    static final class Holder implements Serializable {
        final Connection conn = new Connection();
    }

    @Test
    void nonSerializableCapture_failsAtStart_namingClassAndPath_beforeAnyJvmStarts() {
        Holder holder = new Holder();
        Process p = new Process(() -> System.out.println(holder.conn));
        SerializationException e = assertThrows(SerializationException.class, p::start);
        assertTrue(e.getMessage().startsWith("target captured value #0 (" + Holder.class.getName()
                + ") → field 'conn' of type " + Connection.class.getName() + ", which is not Serializable"),
                e.getMessage());
        assertThrows(IllegalStateException.class, p::pid, "no child may have been started");
    }

    private final Connection instanceField = new Connection();

    @Test
    void lambdaUsingTheTestInstance_failsWithAdviceAboutThis() {
        Process p = new Process(() -> System.out.println(instanceField));
        SerializationException e = assertThrows(SerializationException.class, p::start);
        assertTrue(e.getMessage().contains("target captured 'this' of type " + ProcessFaultsTest.class.getName()),
                e.getMessage());
        assertTrue(e.getMessage().contains("use a static method"), e.getMessage());
    }

    @Test
    void nonSerializableArgument_failsAtStart() {
        Process p = new Process(x -> {}, new Connection());
        SerializationException e = assertThrows(SerializationException.class, p::start);
        assertTrue(e.getMessage().startsWith("argument is of type " + Connection.class.getName() + ", which is not Serializable"), e.getMessage());
    }

    @Test
    void badHeapSize_reportsTheChildsOwnStderr() throws Exception {
        JvmOptions options = JvmOptions.builder().jvmArgs("-Xmx1x").build();
        Process p = new Process(() -> {}, options);
        p.start();
        ProcessStartException e = assertThrows(ProcessStartException.class, p::join);
        assertTrue(e.getMessage().contains("Invalid maximum heap size"), e.getMessage());
        assertTrue(e.getMessage().contains(p.name()), e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals(1, p.exitCode());
        assertInstanceOf(ProcessStartException.class, p.exception().orElseThrow());
    }

    @Test
    void unknownJvmFlag_reportsTheChildsOwnStderr() throws Exception {
        Process p = new Process(() -> {}, JvmOptions.builder().jvmArgs("-XX:+NoSuchFlagForMp4j").build());
        p.start();
        ProcessStartException e = assertThrows(ProcessStartException.class, p::join);
        assertTrue(e.getMessage().contains("Unrecognized VM option 'NoSuchFlagForMp4j'"), e.getMessage());
    }

    @Test
    void invalidOptions_areRejectedByTheBuilderWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JvmOptions.builder().maxHeap("lots"));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmOptions.builder().jvmArgs("Xmx1g"));
    }

    @Test
    void classPresentHereButMissingInChild_isNamedInTheError() throws Exception {
        Path source = dir.resolve("src/mp4jhidden/HiddenTarget.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package mp4jhidden;\n"
                + "public class HiddenTarget implements io.github.multiprocessing4j.SerializableRunnable {\n"
                + "  public void run() {}\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), source.toString()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            SerializableRunnable target = (SerializableRunnable) loader.loadClass("mp4jhidden.HiddenTarget")
                    .getDeclaredConstructor().newInstance();
            Process p = new Process(target);
            p.start();
            p.join();
            assertEquals(1, p.exitCode());
            Throwable e = p.exception().orElseThrow();
            assertInstanceOf(SerializationException.class, e);
            assertTrue(e.getMessage().contains("class mp4jhidden.HiddenTarget is not available"), e.getMessage());
            assertTrue(e.getMessage().contains("class path"), e.getMessage());
        }
    }

    @Test
    void close_whileRunning_isRefused_thenWorksAfterEnd() throws Exception {
        Process p = new Process(() -> Thread.sleep(60_000));
        p.start();
        assertThrows(IllegalStateException.class, p::close);
        p.kill();
        p.join();
        p.close();
        assertThrows(IllegalStateException.class, p::join);
        assertEquals(List.of(), Multiprocessing.activeChildren().stream().filter(c -> c == p).toList());
    }
}
