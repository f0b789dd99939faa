package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12: messages and defaults that misled users, each checked with real child JVMs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WhereItRunsTest {
    @TempDir
    Path dir;

    @Test
    void jvmThatCannotStart_reportsWhatItWroteToStdout() throws Exception {
        Process p = new Process(() -> {}, JvmOptions.builder().jvmArgs("-Xmx1m").build());
        p.start();

        ProcessStartException e = assertThrows(ProcessStartException.class, p::join);

        assertThat(e.stdoutTail()).anyMatch(line -> line.contains("Too small maximum heap"));
        assertThat(e.getMessage()).contains("Its stdout:", "Too small maximum heap");
    }

    @Test
    void maxHeapTooSmall_isRefusedByTheBuilderWithTheValue() {
        assertThatThrownBy(() -> JvmOptions.builder().maxHeap("1k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3m").hasMessageContaining("'1k'");
        assertThatThrownBy(() -> JvmOptions.builder().maxHeap("1048576"))
                .hasMessageContaining("in bytes");
        assertThat(JvmOptions.builder().maxHeap("3m").build().maxHeap()).isEqualTo("3m");
    }

    @Test
    void lambdaOfAClassOnlyTheParentHas_failsNamingThatClass() throws Exception {
        Path source = dir.resolve("src/mp4jparentonly/Functions.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package mp4jparentonly;\n"
                + "public class Functions {\n"
                + "  public static io.github.multiprocessing4j.SerializableFunction<Integer, Integer> twice() {\n"
                + "    return x -> 2 * x;\n  }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp",
                System.getProperty("java.class.path"), "-d", classes.toString(), source.toString())).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
                Pool pool = new Pool(1)) {
            @SuppressWarnings("unchecked")
            SerializableFunction<Integer, Integer> twice = (SerializableFunction<Integer, Integer>)
                    loader.loadClass("mp4jparentonly.Functions").getMethod("twice").invoke(null);

            assertThatThrownBy(() -> pool.apply(twice, 21))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("class mp4jparentonly.Functions is not available")
                    .hasMessageContaining("JvmOptions.builder().classPath(")
                    .hasMessageNotContaining("Cannot cast");
        }
    }

    @Test
    void explicitClassPath_isWhatTheChildGets() throws Exception {
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        try (Pool pool = Pool.builder().processes(1)
                .jvmOptions(JvmOptions.builder().classPath(classPath).build()).build()) {
            assertThat(pool.apply(() -> System.getProperty("java.class.path")))
                    .isEqualTo(String.join(File.pathSeparator, classPath.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        }
        assertThatThrownBy(() -> JvmOptions.builder().classPath(List.of())).hasMessageContaining("empty");
    }

    @Test
    void remoteException_showsTheChildsFramesAndTheCallersLine() throws Exception {
        try (Pool pool = new Pool(1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            }));

            assertThat(RemoteOrigin.of(e)).isPresent();
            ReadHere readHere = ReadHere.of(e).orElseThrow();
            assertThat(readHere.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(getClass().getName())
                    && frame.getMethodName().startsWith("lambda$remoteException_showsTheChildsFramesAndTheCallersLine"));
            assertThat(e.getStackTrace()).anyMatch(frame -> frame.getClassName().contains("WorkerMain"));
        }
    }

    @Test
    void poolWhoseWorkersCannotStart_throwsOnTheReadersThread() throws Exception {
        try (Pool pool = Pool.builder().processes(1)
                .jvmOptions(JvmOptions.builder().jvmArgs("-XX:+NoSuchFlagForMp4j").build()).build()) {
            AsyncResult<Integer> result = pool.applyAsync(() -> 1);
            ProcessStartException e = assertThrows(ProcessStartException.class, result::get);

            assertThat(e.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(getClass().getName()));
            assertThat(e.getCause()).isInstanceOf(ProcessStartException.class);
            pool.terminate();
        }
    }

    @Test
    void completableFutureWithTheExecutor_pointsToSupplyAsync_whichWorks() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> 1, executor))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("executor.supplyAsync(task)");

            CompletableFuture<Long> pid = executor.supplyAsync(() -> ProcessHandle.current().pid());
            assertThat(pid.get(30, TimeUnit.SECONDS)).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(executor.runAsync(() -> {}).get(30, TimeUnit.SECONDS)).isNull();
            CompletableFuture<Object> failing = executor.supplyAsync(() -> {
                throw new IllegalArgumentException("bad");
            });
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void poolNeverClosed_warnsAtExitWithTheDroppedTasks() throws Exception {
        Path log = dir.resolve("out.log");
        java.lang.Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UnclosedPoolMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(main.waitFor(50, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(output).contains("main returns", "never closed", "2 unfinished tasks are dropped",
                "UnclosedPoolMain.main(UnclosedPoolMain.java:");
        assertThat(main.exitValue()).as(output).isZero();
    }
}
