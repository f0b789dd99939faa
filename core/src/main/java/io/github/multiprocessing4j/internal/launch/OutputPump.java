package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Copies one output stream of a child to this JVM, a whole line at a time, and remembers the last lines,
 * and HotSpot's fatal-error banner if one passes (HotSpot writes it to stdout, with the hs_err file's path).
 *
 * <p>The destination is looked up for every line ({@code System::out}), so a test runner that swaps
 * {@code System.out} per test captures the child's output too. Lines longer than {@link #MAX_LINE} bytes are
 * passed on in pieces. {@link #drained()} completes when the child's end of the pipe closes.
 */
final class OutputPump {
    static final int TAIL_LINES = 20;
    static final int BANNER_LINES = 30;
    private static final String BANNER_START = "# A fatal error has been detected";
    private static final int MAX_LINE = 64 * 1024;
    /** HotSpot's first and last lines of a thread dump (SIGQUIT), and the most lines kept of one. */
    static final String DUMP_START = "Full thread dump";
    static final String DUMP_END = "JNI global refs";
    static final int DUMP_LINES = 2000;

    private final InputStream source;
    private final Supplier<PrintStream> destination;
    /** The last {@link #TAIL_LINES} lines; guarded by itself. */
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** The crash banner's lines that say something, from its first; guarded by {@link #tail}. */
    private final List<String> banner = new java.util.ArrayList<>();
    /** Whether the banner is being read; accessed only by the pump's thread. */
    private boolean inBanner;
    /** The thread dump asked for and not yet complete, or null; guarded by {@link #tail}. */
    private CompletableFuture<List<String>> dump;
    /** Its lines so far, from {@link #DUMP_START}; guarded by {@link #tail}. */
    private final List<String> dumpLines = new java.util.ArrayList<>();

    OutputPump(InputStream source, Supplier<PrintStream> destination, String threadName) {
        this.source = source;
        this.destination = destination;
        LibraryThreads.start(this::pump, threadName);
    }

    private void pump() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (source) {
            int n;
            while ((n = source.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n' || line.size() >= MAX_LINE) {
                        emit(line);
                    }
                }
            }
        } catch (IOException e) {
            // The pipe broke: the child is gone. What was read is emitted below.
        } finally {
            if (line.size() > 0) {
                line.write('\n');
                emit(line);
            }
            synchronized (tail) {
                if (dump != null) {
                    dump.complete(List.copyOf(dumpLines));
                }
            }
            drained.complete(null);
        }
    }

    /**
     * Starts capturing the next thread dump that passes (HotSpot prints one on SIGQUIT): the future
     * completes with its lines, from {@link #DUMP_START} to {@link #DUMP_END}, at most {@link #DUMP_LINES}.
     * The lines are still copied to the destination.
     */
    CompletableFuture<List<String>> captureThreadDump() {
        synchronized (tail) {
            if (dump == null) {
                dump = new CompletableFuture<>();
                dumpLines.clear();
            }
            return dump;
        }
    }

    /** The lines of the thread dump being captured, so far (for a capture that ran out of time). */
    List<String> threadDumpSoFar() {
        synchronized (tail) {
            return List.copyOf(dumpLines);
        }
    }

    private void emit(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        line.reset();
        PrintStream out = destination.get();
        out.write(bytes, 0, bytes.length);
        out.flush();
        String text = new String(bytes, Charset.defaultCharset()).stripTrailing();
        inBanner = text.startsWith(BANNER_START) || inBanner && text.startsWith("#");
        synchronized (tail) {
            if (inBanner && banner.size() < BANNER_LINES && !text.equals("#")) {
                banner.add(text);
            }
            if (dump != null) {
                if (!dumpLines.isEmpty() || text.startsWith(DUMP_START)) {
                    dumpLines.add(text);
                }
                if (text.startsWith(DUMP_END) || dumpLines.size() >= DUMP_LINES) {
                    dump.complete(List.copyOf(dumpLines));
                    dump = null;
                }
            }
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
    }

    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** HotSpot's fatal-error banner, without its empty lines, if the child crashed; else empty. */
    List<String> banner() {
        synchronized (tail) {
            return List.copyOf(banner);
        }
    }

    CompletableFuture<Void> drained() {
        return drained;
    }
}
