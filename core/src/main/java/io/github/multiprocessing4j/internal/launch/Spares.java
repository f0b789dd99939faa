package io.github.multiprocessing4j.internal.launch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Child JVMs started ahead of need, so that a {@code Process} or a pool worker starts in milliseconds: a
 * spare has booted, connected and proved the key, warmed up the library's own task path, and waits for the
 * {@code ASSIGN} frame that gives it a name and a role. Until then it has run no user code; it is a child
 * of this JVM started with exactly the command line, environment and working directory that a launch on
 * demand would use (spares are kept per {@link LaunchSpec}), so nothing a user can observe tells it from a
 * fresh JVM.
 *
 * <h2>Policy</h2>
 * After a launch of some spec has connected and then ended or run for a moment (the launcher's
 * {@code REFILL_DELAY_MILLIS}, so that a booting refill does not slow a short child), the spares of that spec
 * are refilled to {@link #perSpec}
 * (default {@value #DEFAULT_PER_SPEC}, set with the system property {@value #PROPERTY} or
 * {@code Multiprocessing.setSpares}); spares are kept for at most {@value #MAX_SPECS} specs, the least
 * recently used spec losing its spares first. A claim takes only a spare that has connected; one still
 * booting stays for the next claim. A spare that dies while waiting is dropped, not replaced; a launch whose child
 * failed to start refills nothing, so options that cannot start do not start spares over and over.
 *
 * <h2>Cost and lifetime</h2>
 * A waiting spare is an idle JVM blocked on a socket read: its resident memory (about 60 MB with default
 * heap settings on JDK 17 and its heap in huge pages, see {@code TransparentHugePages}; 52 MB without) and
 * no CPU. Spares are daemon children: they never delay this JVM's exit (they
 * are killed with the daemon children), and like every child they halt as soon as this JVM's end of their
 * channel closes, even after {@code kill -9}.
 *
 * <p>Thread safety: all state is accessed only while holding this object's monitor; spares are started on
 * library threads, outside it.
 */
final class Spares {
    static final String PROPERTY = "multiprocessing4j.spares";
    static final int DEFAULT_PER_SPEC = 1;
    static final int MAX_SPECS = 4;

    /** Starts a spare of a spec; returns null if it cannot be started (the launch on demand will say why). */
    interface Starter {
        ChildProcess startSpare(LaunchSpec spec, Duration startTimeout);
    }

    private final Starter starter;
    /* Accessed only while holding this. Access order: the least recently used spec comes first. */
    private final Map<LaunchSpec, ArrayDeque<ChildProcess>> waiting = new LinkedHashMap<>(16, 0.75f, true);
    /** Spares being started (spawned, not yet known as processes), per spec. Accessed only while holding this. */
    private final Map<LaunchSpec, List<CompletableFuture<ChildProcess>>> starting = new LinkedHashMap<>();
    private int perSpec;
    private boolean closed;

    Spares(Starter starter, int perSpec) {
        this.starter = starter;
        this.perSpec = perSpec;
    }

    /** The number of spares per spec from {@value #PROPERTY}, or the default. */
    static int configuredPerSpec() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_PER_SPEC;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            System.err.println("multiprocessing4j: ignoring " + PROPERTY + "=" + value + " (not a number); using "
                    + DEFAULT_PER_SPEC);
            return DEFAULT_PER_SPEC;
        }
    }

    /**
     * A spare of this spec that has connected (and so warmed up), now no longer a spare; or null. A spare
     * still booting is left for a later claim: a JVM started now is not slower than the rest of its boot,
     * and it would have to finish its warm-up first. Measured: taking a booting spare instead made 20
     * back-to-back starts 1.32x slower (8 interleaved pairs, 2 cores), since with this rule a loop
     * alternates a cold start with a warm one, the refill having connected meanwhile.
     */
    synchronized ChildProcess claim(LaunchSpec spec) {
        ArrayDeque<ChildProcess> spares = waiting.get(spec);
        if (spares == null) {
            return null;
        }
        spares.removeIf(ChildProcess::hasEnded);
        for (ChildProcess spare : spares) {
            if (spare.handshake().isDone() && !spare.handshake().isCompletedExceptionally()) {
                spares.remove(spare);
                return spare;
            }
        }
        return null;
    }

    /** Starts spares of {@code spec} until {@link #perSpec} wait or are on their way. */
    void refill(LaunchSpec spec, Duration startTimeout) {
        fill(spec, startTimeout, 0);
    }

    /**
     * Starts spares of {@code spec} until at least {@code count} wait or are on their way; returns the
     * spares of that spec, waiting or on their way (a future that gives null if one could not be started).
     * Spares being started by a refill at this moment count as on their way, so a caller that waits for the
     * returned spares waits for those too.
     */
    List<CompletableFuture<ChildProcess>> prestart(LaunchSpec spec, Duration startTimeout, int count) {
        fill(spec, startTimeout, count);
        synchronized (this) {
            List<CompletableFuture<ChildProcess>> spares = new ArrayList<>();
            waiting.getOrDefault(spec, new ArrayDeque<>()).forEach(spare -> spares.add(CompletableFuture.completedFuture(spare)));
            spares.addAll(starting.getOrDefault(spec, List.of()));
            return spares;
        }
    }

    private void fill(LaunchSpec spec, Duration startTimeout, int atLeast) {
        List<CompletableFuture<ChildProcess>> toStart = new ArrayList<>();
        List<ChildProcess> evicted = new ArrayList<>();
        synchronized (this) {
            int target = Math.max(perSpec, atLeast);
            if (closed || target == 0) {
                return;
            }
            ArrayDeque<ChildProcess> spares = waiting.computeIfAbsent(spec, ignored -> new ArrayDeque<>());
            spares.removeIf(ChildProcess::hasEnded);
            List<CompletableFuture<ChildProcess>> onTheirWay = starting.computeIfAbsent(spec, ignored -> new ArrayList<>());
            for (int i = target - spares.size() - onTheirWay.size(); i > 0; i--) {
                toStart.add(new CompletableFuture<>());
            }
            if (toStart.isEmpty()) {
                return;
            }
            onTheirWay.addAll(toStart);
            evictBeyondLimit(evicted);
        }
        evicted.forEach(ChildProcess::kill);
        for (CompletableFuture<ChildProcess> placeholder : toStart) {
            ChildProcess spare = null;
            try {
                spare = starter.startSpare(spec, startTimeout);
            } finally {
                synchronized (this) {
                    starting.getOrDefault(spec, new ArrayList<>()).remove(placeholder);
                    if (spare != null) {
                        if (closed) {
                            evicted.add(spare);
                        } else {
                            ChildProcess started = spare;
                            waiting.computeIfAbsent(spec, ignored -> new ArrayDeque<>()).addLast(started);
                            started.exited().whenComplete((code, failure) -> drop(spec, started));
                        }
                    }
                }
                placeholder.complete(spare);
            }
        }
        evicted.forEach(ChildProcess::kill);
    }

    private void evictBeyondLimit(List<ChildProcess> evicted) {
        assert Thread.holdsLock(this);
        Iterator<Map.Entry<LaunchSpec, ArrayDeque<ChildProcess>>> oldestFirst = waiting.entrySet().iterator();
        while (waiting.size() > MAX_SPECS && oldestFirst.hasNext()) {
            evicted.addAll(oldestFirst.next().getValue());
            oldestFirst.remove();
        }
    }

    private synchronized void drop(LaunchSpec spec, ChildProcess spare) {
        ArrayDeque<ChildProcess> spares = waiting.get(spec);
        if (spares != null) {
            spares.remove(spare);
        }
    }

    /** Sets how many spares to keep per spec; spares beyond it are ended now. */
    void setPerSpec(int count) {
        List<ChildProcess> surplus = new ArrayList<>();
        synchronized (this) {
            perSpec = count;
            for (ArrayDeque<ChildProcess> spares : waiting.values()) {
                while (spares.size() > count) {
                    surplus.add(spares.pollLast());
                }
            }
        }
        surplus.forEach(ChildProcess::kill);
    }

    /** The spares of {@code spec} that have connected and wait to be claimed. */
    synchronized List<ChildProcess> ready(LaunchSpec spec) {
        ArrayDeque<ChildProcess> spares = waiting.get(spec);
        if (spares == null) {
            return List.of();
        }
        return spares.stream().filter(spare -> spare.handshake().isDone() && !spare.handshake().isCompletedExceptionally()
                && !spare.hasEnded()).toList();
    }

    /** Ends every waiting spare and starts no more: this JVM is exiting. */
    void close() {
        List<ChildProcess> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(ChildProcess::kill);
    }
}
