package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.wire.FrameCodec;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;

/**
 * Runs the sending half of small queue puts and pipe sends to another process's hub, with no hub and no
 * socket, so that a warm spare has it compiled before its first real send. A child's first tens of
 * thousands of small sends otherwise run while the JIT compiles this path: a fresh child putting 50,000 small
 * ints delivered its first 5,000 in 70–200 ms and the rest at 250 k/s.
 *
 * <p>The path is the real one from the item's encoding on: {@link Codec#encodeItem}, the call records, a
 * {@link SendFeeder} with its thread, batching and window, {@link HubWire}'s compact batch and
 * {@link FrameCodec}'s {@code PARTS} frame (written to a channel that drops the bytes), and the reading of
 * the batch's answer. Nothing leaves this JVM and the feeder's thread ends afterwards.
 */
public final class SendWarmUp {
    /** How many feeders the warm-up's sends are spread over, each started by its first send. */
    static final int FEEDERS = 10;

    private SendWarmUp() {}

    /**
     * Sends {@code items} small ints, half as queue puts and half as pipe sends, into nothing, through
     * {@value #FEEDERS} feeders one after another. A real child's first send to a hub starts that hub's
     * feeder; with one feeder here, the JIT saw that branch only before it profiled {@code SendFeeder.send},
     * compiled it as never taken, and the real first send then threw the compiled code away (a deoptimization,
     * then the method's recompilation while the child's stream ran).
     */
    public static void run(int items) {
        for (int i = 0; i < FEEDERS; i++) {
            runOneFeeder(items / FEEDERS + (i < items % FEEDERS ? 1 : 0));
        }
    }

    private static void runOneFeeder(int items) {
        byte[] answerFrame = frameBytes(HubWire.answer(1, null));
        GatheringByteChannel nowhere = new Nowhere();
        long[] ids = {0};
        SendFeeder feeder = new SendFeeder(batch -> {
            try {
                FrameCodec.write(nowhere, HubWire.request(++ids[0], batch));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return () -> {
                try {
                    Message answer = FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(answerFrame)));
                    HubWire.readAnswer(((Message.Parts) answer).parts());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        });
        ObjectId queue = new ObjectId(1, 1);
        ObjectId pipe = new ObjectId(2, 2);
        long thread = Thread.currentThread().getId();
        try {
            for (int i = 0; i < items; i++) {
                Item item = Codec.encodeItem(i, "warm-up item");
                feeder.send(i % 2 == 0 ? new HubFrame.Call(queue, thread, new QueueRequest.Put(item, -1L))
                        : new HubFrame.Call(pipe, thread, new PipeRequest.Send(0, item)));
            }
            feeder.flush();
        } finally {
            feeder.close(new IllegalStateException("the send warm-up is over"));
        }
    }

    private static byte[] frameBytes(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            FrameCodec.write(new Nowhere() {
                @Override
                public long write(ByteBuffer[] from, int offset, int length) {
                    long written = 0;
                    for (int i = offset; i < offset + length; i++) {
                        while (from[i].hasRemaining()) {
                            bytes.write(from[i].get());
                            written++;
                        }
                    }
                    return written;
                }
            }, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A channel that takes every byte and keeps none. */
    private static class Nowhere implements GatheringByteChannel {
        @Override
        public long write(ByteBuffer[] from, int offset, int length) {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += from[i].remaining();
                from[i].position(from[i].limit());
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] from) {
            return write(from, 0, from.length);
        }

        @Override
        public int write(ByteBuffer from) {
            return (int) write(new ByteBuffer[] {from}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    }
}
