package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.JvmOptions;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Log;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.ChannelServer;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM in its role as a parent: the key, the listening socket, the children alive now, and the spares
 * waiting to become children ({@link Spares}).
 *
 * <p>Created on the first launch. The {@link ExitSequence} ends the family the way Python does at
 * interpreter exit: spares and daemon children are killed, non-daemon children are waited for, and nothing
 * new is launched from then on (an open pool would otherwise replace the workers being killed). Should this
 * JVM die without running hooks ({@code kill -9}), every child sees its channel close and exits by itself.
 *
 * <p>The child mirrors this JVM: the same {@code java} binary (from {@code java.home}), assertions on when
 * they are on here, the user's {@link JvmOptions}, then the class path or module path this JVM's classes
 * come from ({@link ChildEntry}, which knows Spring Boot jars, URL class loaders and module patches). The child's main
 * class is named, not referenced, so this package does not depend on the code that runs in the child.
 */
public final class Launcher {
    /** What a child does once assigned. */
    public enum Role {
        /** Run one target, then exit with its outcome: {@code Process}. */
        PROCESS,
        /** Run tasks until told to stop: a pool worker. */
        WORKER
    }

    /** The child JVM's main class. */
    static final String CHILD_MAIN = "io.github.multiprocessing4j.internal.worker.WorkerMain";
    /** How long a connected child runs, unless it ends sooner, before the spares of its spec are refilled. */
    static final long REFILL_DELAY_MILLIS = 100;

    private static Launcher instance;

    private final byte[] key = Handshake.newKey();
    private final ChannelServer server;
    private final AtomicLong childIds = new AtomicLong();
    private final AtomicLong spareIds = new AtomicLong();
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    private final Spares spares = new Spares(this::startSpare, Spares.configuredPerSpec());
    private final ClassDataSharing classDataSharing = ClassDataSharing.forThisUser();
    /** Set when this JVM starts to exit: no child is launched after that (a pool would replace its workers). */
    private volatile boolean shuttingDown;

    private Launcher() throws IOException {
        server = ChannelServer.open(key);
        ExitSequence.add(ExitSequence.Step.END_CHILDREN, this::endFamily);
    }

    public static synchronized Launcher get() {
        if (instance == null) {
            try {
                instance = new Launcher();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the socket children connect to: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /**
     * Whether this JVM's exit will wait for children of its own: a non-daemon child is alive. A child that
     * will wait keeps watching its own parent meanwhile (no orphans in any state).
     */
    public static synchronized boolean hasChildrenToWaitFor() {
        return instance != null && instance.live.stream().anyMatch(child -> !child.isDaemon());
    }

    /**
     * Starts a child: a waiting spare of the same spec if there is one, else a new JVM. Returns as soon as
     * the OS process exists; watch {@link ChildProcess#connected()}. Once the child has connected, the
     * spares of its spec are refilled in the background.
     *
     * @throws ProcessStartException if the {@code java} binary cannot be executed at all
     */
    public ChildProcess launch(String name, Role role, boolean daemon, JvmOptions options) {
        return launch(name, role, daemon, options, true);
    }

    /**
     * As {@link #launch(String, Role, boolean, JvmOptions)}; with {@code useSpares} false the child is always
     * a JVM started now (a cold start), and no spare is claimed or refilled for it.
     */
    public ChildProcess launch(String name, Role role, boolean daemon, JvmOptions options, boolean useSpares) {
        if (shuttingDown) {
            throw new ProcessStartException(name, "was not launched: this JVM is shutting down", null, List.of());
        }
        List<String> command = command(options);
        LaunchSpec spec = specFor(command, options);
        ChildProcess child = useSpares ? spares.claim(spec) : null;
        boolean spare = child != null;
        if (!spare) {
            child = start(spec, options.startTimeout(), name, false);
        }
        long pid = child.pid();
        Log.launch().log(System.Logger.Level.DEBUG, () -> name + " (pid " + pid + "): "
                + (spare ? "used a warm spare" : useSpares ? "started a JVM, no spare was waiting" : "started a JVM (cold start asked for)"));
        child.assign(name, role == Role.WORKER, daemon);
        child.connected().thenRunAsync(() -> trainClassDataSharing(command, spec, options.startTimeout()),
                LibraryThreads.events());
        if (useSpares) {
            refillOnceSettled(child, spec, options.startTimeout());
        }
        return child;
    }

    /**
     * Refills the spares of {@code spec} once {@code child} has connected and then either ended or run for
     * {@link #REFILL_DELAY_MILLIS}, whichever comes first; never if it failed to connect (options that cannot
     * start do not start spares over and over). A refill is a JVM booting on the same cores: started at
     * once, it slowed a short child's run and exit, measured here as 25-30 of the 31-37 ms a start+join with
     * a spare ready took, the target itself having run 5-8 ms after {@code start()}.
     */
    private void refillOnceSettled(ChildProcess child, LaunchSpec spec, Duration startTimeout) {
        AtomicBoolean refilled = new AtomicBoolean();
        Runnable refill = () -> {
            boolean connected = child.connected().isDone() && !child.connected().isCompletedExceptionally();
            if (connected && refilled.compareAndSet(false, true)) {
                LibraryThreads.events().execute(() -> spares.refill(spec, startTimeout));
            }
        };
        child.connected().thenRun(() -> LibraryThreads.timer().schedule(refill, REFILL_DELAY_MILLIS, TimeUnit.MILLISECONDS));
        child.exited().whenComplete((code, failure) -> refill.run());
    }

    /** The spec of a child started with {@code command}: with the class-data archive for it, once there is one. */
    private LaunchSpec specFor(List<String> command, JvmOptions options) {
        List<String> withArchive = new ArrayList<>(command);
        classDataSharing.archiveFor(command).flatMap(classDataSharing::useFlag).ifPresent(flag -> withArchive.add(1, flag));
        return new LaunchSpec(withArchive, options.environment(), options.workingDirectory(),
                options.inheritIO() ? LaunchSpec.Output.INHERITED : LaunchSpec.Output.COPIED);
    }

    /**
     * Makes the class-data archive for {@code command} if it can have one and has none yet: a training child
     * of the library's own starts, warms up, is told to stop, and writes the archive as it exits. Its output
     * goes nowhere; it runs no user code.
     */
    private void trainClassDataSharing(List<String> command, LaunchSpec spec, Duration startTimeout) {
        if (shuttingDown) {
            return;
        }
        classDataSharing.archiveFor(command).filter(archive -> classDataSharing.useFlag(archive).isEmpty())
                .flatMap(classDataSharing::claimTraining).ifPresent(training -> {
                    ChildProcess trainer;
                    try {
                        trainer = start(spec.withCommand(training.command(command), LaunchSpec.Output.DISCARDED),
                                startTimeout, "class-data-training", true);
                    } catch (ProcessStartException e) {
                        return;
                    }
                    trainer.assign("class-data-training", true, true);
                    trainer.connected().thenAccept(channel -> {
                        try {
                            channel.send(new Message.Stop());
                        } catch (IOException e) {
                            // It is gone already; no archive this time.
                        }
                    });
                    trainer.exited().thenAccept(exitValue -> classDataSharing.trainingEnded(training, exitValue));
                });
    }

    /** Where children connect back (for tests of what may reach that socket). */
    public String address() {
        return server.address();
    }

    /**
     * Starts spares for {@code options} until at least {@code count} are waiting or on their way, in the
     * background. The future completes once every spare of those options has connected or ended.
     */
    public CompletableFuture<Void> prestart(JvmOptions options, int count) {
        if (shuttingDown) {
            return CompletableFuture.completedFuture(null);
        }
        LaunchSpec spec = specFor(command(options), options);
        return CompletableFuture.supplyAsync(() -> spares.prestart(spec, options.startTimeout(), count), LibraryThreads.events())
                .thenCompose(started -> CompletableFuture.allOf(started.stream()
                        .map(starting -> starting.thenCompose(spare -> spare == null ? CompletableFuture.completedFuture(null)
                                : spare.handshake().handle((channel, failure) -> null)))
                        .toArray(CompletableFuture<?>[]::new)));
    }

    /** How many spares to keep per distinct set of JVM options; 0 turns spares off (and ends those waiting). */
    public void setSparesPerOptions(int count) {
        spares.setPerSpec(count);
    }

    /** The pids of the spares for {@code options} that have connected and wait to be claimed. */
    public List<Long> readySparePids(JvmOptions options) {
        return spares.ready(specFor(command(options), options)).stream().map(ChildProcess::pid).toList();
    }

    private ChildProcess startSpare(LaunchSpec spec, Duration startTimeout) {
        if (shuttingDown) {
            return null;
        }
        try {
            return start(spec, startTimeout, "spare-" + spareIds.incrementAndGet(), true);
        } catch (ProcessStartException e) {
            return null;
        }
    }

    /** Starts a JVM and writes its bootstrap; it is a daemon child until assigned. */
    private ChildProcess start(LaunchSpec spec, Duration startTimeout, String name, boolean spare) {
        long childId = childIds.incrementAndGet();
        CompletableFuture<Channel> handshake = server.expect(childId);
        java.lang.Process process;
        try {
            process = spec.processBuilder().start();
        } catch (IOException e) {
            handshake.cancel(false);
            throw new ProcessStartException(name, "could not be launched: " + e.getMessage(), null, List.of());
        }
        ChildProcess child = new ChildProcess(name, true, process, spec.output() == LaunchSpec.Output.COPIED, handshake);
        live.add(child);
        child.exited().whenComplete((code, failure) -> live.remove(child));
        var self = Identity.current();
        try (OutputStream stdin = process.getOutputStream()) {
            new Bootstrap(server.address(), key, childId, process.pid(), Handshake.nonce(), self.name(), self.pid(), spare)
                    .writeTo(stdin);
        } catch (IOException e) {
            // The child died at once; its exit is reported through connected() with its stderr.
        }
        long timeoutMillis = startTimeout.toMillis();
        var timeout = LibraryThreads.timer().schedule(() -> {
            if (handshake.completeExceptionally(child.startFailure(
                    "did not connect back within " + timeoutMillis + " ms and was killed", null))) {
                child.kill();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        handshake.whenComplete((channel, failure) -> timeout.cancel(false));
        return child;
    }

    static List<String> command(JvmOptions options) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        if (assertionsEnabled()) {
            command.add("-ea");
        }
        if (options.maxHeap() != null) {
            command.add("-Xmx" + options.maxHeap());
        }
        if (options.jvmArgs().stream().noneMatch(arg -> arg.startsWith("-XX:ErrorFile="))) {
            // hs_err files go to a known directory, not one per crash in the user's working directory.
            command.add("-XX:ErrorFile=" + crashDirectory() + File.separator + "hs_err_pid%p.log");
        }
        if (TransparentHugePages.wanted(options.jvmArgs(), options.environment())) {
            command.add(TransparentHugePages.FLAG);
        }
        command.addAll(options.jvmArgs());
        options.systemProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(ChildEntry.arguments(options, CHILD_MAIN));
        return command;
    }

    /**
     * Where children's HotSpot crash reports (hs_err files) are written, unless their options name another
     * {@code -XX:ErrorFile}: {@code multiprocessing4j-crashes} in the temp directory.
     */
    public static java.nio.file.Path crashDirectory() {
        java.nio.file.Path directory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "multiprocessing4j-crashes");
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (IOException e) {
            // HotSpot falls back to the temp directory when it cannot write there.
        }
        return directory;
    }

    @SuppressWarnings("AssertWithSideEffects")
    private static boolean assertionsEnabled() {
        boolean enabled = false;
        assert enabled = true;
        return enabled;
    }

    /** Kills spares and daemon children, waits for the others; from now on nothing is launched. */
    private synchronized void endFamily() {
        shuttingDown = true;
        spares.close();
        while (!live.isEmpty()) {
            for (ChildProcess child : live) {
                if (child.isDaemon()) {
                    child.kill();
                }
            }
            for (ChildProcess child : List.copyOf(live)) {
                child.exited().join();
            }
        }
        server.close();
    }
}
