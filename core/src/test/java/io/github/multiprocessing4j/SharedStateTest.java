package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Values, arrays and named shared memory: seen by every process without copying, and never leaked. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedStateTest {

    static void addThousand(List<Object> shared) {
        Value.OfLong counter = (Value.OfLong) shared.get(0);
        Value.OfDouble sum = (Value.OfDouble) shared.get(1);
        for (int i = 0; i < 1000; i++) {
            counter.incrementAndGet();
            sum.getAndAdd(0.5);
        }
    }

    @Test
    void arraySlices_readAndWriteRanges_inAChildAndHere_likePythonsArrSlices() throws Exception {
        Array.OfInt ints = Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(new int[] {2, 3, 4, 5, 6}, ints.toArray(2, 7));
        ints.set(4, new int[] {40, 50, 60, 70});
        Array.OfByte bytes = Array.of((byte) 1, (byte) 2, (byte) 3);
        Array.OfDouble doubles = Array.ofDoubles(4);
        Process child = new Process((List<Object> all) -> {
            Array.OfInt shared = (Array.OfInt) all.get(0);
            shared.set(0, shared.toArray(8, 10)); // copies 8 and 9 over 0 and 1
            ((Array.OfByte) all.get(1)).set(1, ((Array.OfByte) all.get(1)).toArray(0, 2));
            ((Array.OfDouble) all.get(2)).set(2, new double[] {0.5, 1.5});
        }, List.of(ints, bytes, doubles));
        child.start();
        child.join();
        assertEquals(0, child.exitCode(), () -> String.valueOf(child.exception()));
        assertArrayEquals(new int[] {8, 9, 2, 3, 40, 50, 60, 70, 8, 9}, ints.toArray());
        assertArrayEquals(new byte[] {1, 1, 2}, bytes.toArray());
        assertArrayEquals(new double[] {0, 0, 0.5, 1.5}, doubles.toArray());
        assertArrayEquals(new int[0], ints.toArray(10, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.toArray(3, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.toArray(5, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.set(8, new int[] {1, 2, 3}));
        assertArrayEquals(new int[] {8, 9, 2, 3, 40, 50, 60, 70, 8, 9}, ints.toArray(), "a refused write changes nothing");
    }

    @Test
    void value_atomicUpdatesFromSeveralProcesses_allCount() throws Exception {
        Value.OfLong counter = Value.ofLong(0);
        Value.OfDouble sum = Value.ofDouble(0);
        Process a = new Process(SharedStateTest::addThousand, List.of(counter, sum));
        Process b = new Process(SharedStateTest::addThousand, List.of(counter, sum));
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(2000, counter.get());
        assertEquals(1000.0, sum.get());
        assertTrue(counter.compareAndSet(2000, 5));
        assertFalse(counter.compareAndSet(2000, 6));
        Value.OfInt small = Value.ofInt(41);
        assertEquals(42, small.incrementAndGet());
    }

    @Test
    void array_writtenByAChild_isSeenByTheParent() throws Exception {
        Array.OfDouble data = Array.ofDoubles(1000);
        Process filler = new Process((Array.OfDouble d) -> {
            for (int i = 0; i < d.length(); i++) {
                d.set(i, i * 0.5);
            }
        }, data);
        filler.start();
        filler.join();
        assertEquals(0, filler.exitCode());
        assertEquals(499.5, data.get(999));
        assertEquals(249_750.0, java.util.Arrays.stream(data.toArray()).sum());
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(1000));
    }

    @Test
    void arrayFactories_copyValues_andAtomicsWork() {
        assertArrayEquals(new int[] {3, 1, 2}, Array.of(3, 1, 2).toArray());
        assertArrayEquals(new long[] {7L, 8L}, Array.of(7L, 8L).toArray());
        assertArrayEquals(new double[] {0.25}, Array.of(0.25).toArray());
        Array.OfInt ints = Array.ofInts(2);
        assertEquals(0, ints.getAndAdd(1, 5));
        assertEquals(5, ints.get(1));
        Array.OfByte bytes = Array.ofBytes(3);
        bytes.set(2, (byte) 9);
        assertArrayEquals(new byte[] {0, 0, 9}, bytes.toArray());
    }

    private static String uniqueName() {
        return "test-" + UUID.randomUUID();
    }

    @Test
    void sharedMemory_attachByName_inAnotherProcess_thenUnlink() throws Exception {
        String name = uniqueName();
        try (SharedMemory block = SharedMemory.create(name, 4096)) {
            block.buffer().putLong(0, 1234567890123L);
            Process reader = new Process((String n) -> {
                try (SharedMemory attached = SharedMemory.attach(n)) {
                    if (attached.buffer().getLong(0) != 1234567890123L) {
                        throw new AssertionError("child saw " + attached.buffer().getLong(0));
                    }
                    attached.buffer().putLong(8, 42);
                }
            }, name);
            reader.start();
            reader.join();
            assertEquals(0, reader.exitCode(), () -> "reader failed: " + reader.exception());
            assertEquals(42, block.buffer().getLong(8), "the child's write is visible here");
            assertThrows(IllegalStateException.class, () -> SharedMemory.create(name, 16), "names are unique");
            block.unlink();
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(name));
            assertEquals(42, block.buffer().getLong(8), "an unlinked block stays mapped here");
        }
    }

    static void createAndStay(String name) throws Exception {
        SharedMemory.create(name, 1024);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), name + ".ready"), "ready");
        Thread.sleep(60_000);
    }

    private static Path segmentFile(String name) {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("mp4j-" + name);
    }

    @Test
    void blockOfACreatorKilledWithSigkill_isUnlinked() throws Exception {
        String name = uniqueName();
        Path ready = Path.of(System.getProperty("java.io.tmpdir"), name + ".ready");
        Process creator = new Process(SharedStateTest::createAndStay, name);
        creator.start();
        while (!Files.exists(ready)) {
            Thread.sleep(20);
        }
        Files.delete(ready);
        assertTrue(Files.exists(segmentFile(name)));
        creator.kill();
        creator.join();
        assertFalse(Files.exists(segmentFile(name)), "the dead creator's block must not leak");
        assertFalse(Files.exists(Path.of(segmentFile(name) + ".owner")));
    }

    @Test
    void blockOfACreatorThatExitsNormally_isUnlinked() throws Exception {
        String name = uniqueName();
        Process creator = new Process((String n) -> SharedMemory.create(n, 64), name);
        creator.start();
        creator.join();
        assertEquals(0, creator.exitCode());
        assertFalse(Files.exists(segmentFile(name)));
    }

    @Test
    void badNamesAndSizes_areRefusedWithTheValue() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("../etc", 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(uniqueName(), 0));
        assertTrue(e.getMessage().endsWith("but was 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("no-such-block-" + UUID.randomUUID()));
        assertThrows(IllegalArgumentException.class, () -> Array.ofDoubles(Integer.MAX_VALUE));
    }

    @Test
    void poolWorkers_fillOneSharedArray_inParallel() throws Exception {
        Array.OfLong squares = Array.ofLongs(100);
        try (Pool pool = new Pool(2)) {
            pool.map((Integer i) -> {
                squares.set(i, (long) i * i);
                return null;
            }, java.util.stream.IntStream.range(0, 100).boxed().toList(), 10);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals((long) i * i, squares.get(i));
        }
    }
}
