package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.Multiprocessing;
import io.github.multiprocessing4j.Process;

/**
 * The talk's {@code process_example.py}: the current pid, then children that report their parent's pid
 * and their own. Each child line starts with the child's name, so the lines of children that run at the
 * same time can be told apart.
 */
public final class ProcessExample {
    private ProcessExample() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("Current process: " + ProcessHandle.current().pid());

        // One child at a time: join() before the next start(), so each child's output arrives in turn.
        for (int i = 0; i < 2; i++) {
            Process p = new Process(ProcessExample::getId);
            p.start();
            p.join();
        }

        // The first child is not joined before the second starts: both run at once, one join() each at the end.
        Process first = new Process(ProcessExample::getId);
        Process second = new Process(ProcessExample::getId);
        first.start();
        second.start();
        first.join();
        second.join();
    }

    /** {@code get_id()}: runs in the child. The parent pid comes from the operating system, like os.getppid(). */
    static void getId() {
        String me = Multiprocessing.currentProcess().name();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        System.out.println("[" + me + "] parent process: " + parent);
        System.out.println("[" + me + "] current process: " + ProcessHandle.current().pid());
    }
}
