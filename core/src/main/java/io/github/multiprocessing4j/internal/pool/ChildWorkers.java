package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.JvmOptions;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Workers that are child JVMs of this one, all started with the same {@link JvmOptions}: the launcher every
 * real pool uses.
 *
 * <p>Once a worker has connected, one library thread reads its channel and hands each outcome to the pool;
 * the channel closes when the worker exits. Sends run on the thread that sends, with no hand-off to another
 * thread: the channel is made interrupt-safe ({@link Channel#makeSendsInterruptSafe()}) before its first
 * task, since blocking socket I/O on a thread whose interrupt flag is set (a caller's) would close the
 * worker's channel. A task larger than {@link #INLINE_SEND_BYTES}, which may not fit in the socket's
 * buffer, is written on {@link LibraryThreads#events()} instead, so that a caller never waits for a worker to
 * read it. Sends to one worker cannot overtake each other, since the pool sends a worker one task at a time
 * and STOP only when it is idle.
 */
public final class ChildWorkers implements WorkerLauncher {
    /** How long a timed-out worker's thread dump is waited for before it is killed anyway. */
    static final long THREAD_DUMP_MILLIS = 500;
    /** The largest task payload written on the sending thread; a larger one is written by a library thread. */
    static final int INLINE_SEND_BYTES = 64 * 1024;
    private final JvmOptions options;
    private final boolean useSpares;

    /** Workers started with {@code options}; with {@code useSpares} false each is a JVM started for it. */
    public ChildWorkers(JvmOptions options, boolean useSpares) {
        this.options = options;
        this.useSpares = useSpares;
    }

    @Override
    public Worker launch(String name, Consumer<Message.Outcome> outcomes) {
        ChildProcess child = Launcher.get().launch(name, Launcher.Role.WORKER, true, options, useSpares);
        return new ChildWorker(child, outcomes);
    }

    private static final class ChildWorker implements Worker {
        private final ChildProcess child;
        private final CompletableFuture<Channel> channel;
        private final CompletableFuture<Void> connected;

        ChildWorker(ChildProcess child, Consumer<Message.Outcome> outcomes) {
            this.child = child;
            this.channel = child.connected();
            this.connected = channel.thenAccept(open -> {
                try {
                    open.makeSendsInterruptSafe();
                } catch (IOException e) {
                    // It died just now; its exit reports how, and a send to it fails quietly.
                    open.close();
                }
                LibraryThreads.events().execute(() -> readOutcomes(open, outcomes));
            });
        }

        private static void readOutcomes(Channel channel, Consumer<Message.Outcome> outcomes) {
            try (channel) {
                while (true) {
                    if (channel.receive() instanceof Message.Outcome outcome) {
                        outcomes.accept(outcome);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // EOF: the worker exited; its exit callback reports how.
            }
        }

        private static void send(Channel open, Message message) {
            try {
                open.send(message);
            } catch (IOException e) {
                // The exit callback reports the worker's death and fails its task.
            }
        }

        @Override
        public String name() {
            return child.name();
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public CompletableFuture<Void> connected() {
            return connected;
        }

        @Override
        public void send(Message message) {
            Channel open = channel.getNow(null);
            if (open == null) {
                throw new IllegalStateException(child.name() + " is not connected yet");
            }
            if (message instanceof Message.Task task && task.payload().length > INLINE_SEND_BYTES) {
                LibraryThreads.events().execute(() -> send(open, message));
            } else {
                send(open, message);
            }
        }

        @Override
        public boolean keepsFunctions() {
            return true;
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return child.exited();
        }

        @Override
        public void kill() {
            child.kill();
        }

        @Override
        public void kill(DeathCause.Kind why) {
            child.kill(why);
        }

        @Override
        public CompletableFuture<List<String>> threadDump() {
            return child.threadDump(THREAD_DUMP_MILLIS).thenApplyAsync(lines -> lines, LibraryThreads.events());
        }

        @Override
        public DeathCause deathCause(int rawExitValue) {
            return child.deathCause(rawExitValue, false, true);
        }

        @Override
        public List<String> stderrTail() {
            return child.stderrTail();
        }

        @Override
        public List<String> crashReport() {
            return child.crashReport();
        }

        @Override
        public String toString() {
            return child.name() + " (pid " + child.pid() + ")";
        }
    }
}
