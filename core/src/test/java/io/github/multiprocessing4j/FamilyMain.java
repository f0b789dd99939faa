package io.github.multiprocessing4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parent program for {@link ProcessFamilyTest}: the test runs it as its own JVM, so the test can kill it
 * or watch it exit and then look at what became of its child.
 */
public final class FamilyMain {
    private FamilyMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = Path.of(args[1]);
        switch (mode) {
            case "orphan" -> {
                Process child = new Process(FamilyMain::sleepForever);
                child.start();
                Files.writeString(file, Long.toString(child.pid()));
                Thread.sleep(60_000);
            }
            case "daemon", "non-daemon" -> {
                Process child = new Process(FamilyMain::announceThenFinish, file.toString());
                child.setDaemon(mode.equals("daemon"));
                child.start();
                while (!Files.exists(Path.of(file + ".pid"))) {
                    Thread.sleep(10);
                }
                // main returns here, with the child still running
            }
            case "pool-orphan" -> {
                Pool pool = new Pool(2);
                List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4), 1);
                Files.writeString(file, pool.workers().stream().map(w -> Long.toString(w.pid()))
                        .collect(Collectors.joining(",")));
                Thread.sleep(60_000);
                pool.close();
                System.out.println(pids);
            }
            case "open-pool" -> {
                Pool pool = new Pool(2);
                List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2), 1);
                Files.writeString(file, pool.workers().stream().map(w -> Long.toString(w.pid()))
                        .collect(Collectors.joining(",")));
                System.out.println("leaving a pool open: " + pids);
                // main returns without closing the pool
            }
            case "shared-value-child" -> {
                Value.OfLong counter = Value.ofLong(41);
                Process child = new Process((List<Object> shared) -> {
                    long seen = ((Value.OfLong) shared.get(0)).incrementAndGet();
                    Files.writeString(Path.of((String) shared.get(1)), Long.toString(seen));
                }, List.of(counter, file.toString()));
                child.start();
                // main returns at once: the non-daemon child is waited for, and the value must outlive it
            }
            case "spares-then-sleep", "spares-then-return" -> {
                Multiprocessing.prestart(2);
                List<Long> spares = List.of();
                while (spares.size() < 2) {
                    Thread.sleep(10);
                    spares = io.github.multiprocessing4j.internal.launch.Launcher.get().readySparePids(JvmOptions.defaults());
                }
                Files.writeString(file, spares.stream().map(Object::toString).collect(Collectors.joining(",")));
                if (mode.equals("spares-then-sleep")) {
                    Thread.sleep(60_000);
                }
                // else main returns with two spares waiting
            }
            case "class-data-sharing" -> {
                // Starts children until one runs with the class-data archive made by the first one's training.
                for (int attempt = 0; attempt < 100; attempt++) {
                    Process child = new Process(FamilyMain::reportSharingFlag, file.toString());
                    child.start();
                    child.join();
                    if (child.exitCode() != 0) {
                        throw new IllegalStateException("child failed: " + child.exitCode());
                    }
                    if (!Files.readString(file).equals("none")) {
                        return;
                    }
                    Thread.sleep(100);
                }
            }
            case "every-state" -> everyState(file);
            default -> throw new IllegalArgumentException(mode);
        }
    }

    /** Writes the class-data sharing flag this JVM was started with, or "none". */
    static void reportSharingFlag(String file) throws Exception {
        String flag = ProcessHandle.current().info().arguments().stream().flatMap(java.util.Arrays::stream)
                .filter(arg -> arg.startsWith("-XX:SharedArchiveFile=") || arg.startsWith("-XX:AOTCache="))
                .findFirst().orElse("none");
        Files.writeString(Path.of(file), flag);
    }

    /**
     * Issue 11: children in every state at once, their pids (and a grandchild's) written to {@code file}, one
     * a line, then "ready": a child running its target, a pool's busy and idle workers, a spare, a child whose
     * target returned while its non-daemon grandchild runs (it waits in its exit), and one just launched.
     */
    private static void everyState(Path file) throws Exception {
        List<String> pids = new java.util.ArrayList<>();
        Process running = new Process(FamilyMain::sleepForever);
        running.start();
        pids.add(Long.toString(running.pid()));
        Pool pool = new Pool(2);
        pool.applyAsync(FamilyMain::sleepForever);
        pool.workers().forEach(w -> pids.add(Long.toString(w.pid())));
        Multiprocessing.prestart(1);
        Path grandchildFile = Path.of(file + ".grandchild");
        Process waitingInExit = new Process(FamilyMain::startGrandchildThenReturn, grandchildFile.toString());
        waitingInExit.start();
        pids.add(Long.toString(waitingInExit.pid()));
        while (!Files.exists(grandchildFile) || Files.size(grandchildFile) == 0) {
            Thread.sleep(10);
        }
        pids.add(Files.readString(grandchildFile));
        List<Long> spares = List.of();
        while (spares.isEmpty()) {
            Thread.sleep(10);
            spares = io.github.multiprocessing4j.internal.launch.Launcher.get().readySparePids(JvmOptions.defaults());
        }
        spares.forEach(pid -> pids.add(Long.toString(pid)));
        // Other options, so it cannot claim the spare: a JVM really just launched.
        Process starting = new Process(FamilyMain::sleepForever,
                JvmOptions.builder().systemProperty("issue11", "starting").build());
        starting.start();
        pids.add(Long.toString(starting.pid()));
        pids.add("ready");
        Files.write(file, pids);
        Thread.sleep(60_000);
    }

    static void startGrandchildThenReturn(String file) throws Exception {
        Process grandchild = new Process(FamilyMain::sleepForever);
        grandchild.start();
        Files.writeString(Path.of(file), Long.toString(grandchild.pid()));
        // returns: this child now waits in its exit for the non-daemon grandchild
    }

    static void sleepForever() throws InterruptedException {
        Thread.sleep(60_000);
    }

    static void announceThenFinish(String file) throws Exception {
        // Written whole, then renamed: the parent returns as soon as the file exists, and a daemon child
        // killed between creating the file and writing to it would leave it empty.
        Path written = Path.of(file + ".pid.tmp");
        Files.writeString(written, Long.toString(ProcessHandle.current().pid()));
        Files.move(written, Path.of(file + ".pid"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(1500);
        Files.writeString(Path.of(file + ".done"), "done");
    }
}
