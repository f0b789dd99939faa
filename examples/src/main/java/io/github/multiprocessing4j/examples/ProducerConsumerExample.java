package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.Queue;

/**
 * A producer and two consumers in three child JVMs, connected by bounded queues: the producer puts the
 * numbers 1 to N and one stop marker per consumer; each consumer squares what it takes and reports a
 * partial sum on a second queue.
 */
public final class ProducerConsumerExample {
    static final int N = 1000;
    static final int CONSUMERS = 2;
    private static final int STOP = -1;

    private ProducerConsumerExample() {}

    static void produce(Queue<Integer> work) throws InterruptedException {
        for (int i = 1; i <= N; i++) {
            work.put(i);
        }
        for (int i = 0; i < CONSUMERS; i++) {
            work.put(STOP);
        }
    }

    static void consume(Queue<Integer> work, Queue<Long> results) throws InterruptedException {
        long sum = 0;
        int count = 0;
        for (int item = work.get(); item != STOP; item = work.get()) {
            sum += (long) item * item;
            count++;
        }
        System.out.println("consumer pid " + ProcessHandle.current().pid() + " took " + count + " items");
        results.put(sum);
    }

    public static void main(String[] args) throws InterruptedException {
        Queue<Integer> work = new Queue<>(100);
        Queue<Long> results = new Queue<>();

        Process producer = new Process(ProducerConsumerExample::produce, work);
        producer.start();
        Process[] consumers = new Process[CONSUMERS];
        for (int i = 0; i < CONSUMERS; i++) {
            consumers[i] = new Process(() -> consume(work, results));   // queues pass as captures
            consumers[i].start();
        }
        long total = 0;
        for (int i = 0; i < CONSUMERS; i++) {
            total += results.get();
        }
        producer.join();
        for (Process consumer : consumers) {
            consumer.join();
        }
        System.out.println("sum of squares of 1.." + N + " = " + total);
    }
}
