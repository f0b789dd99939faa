package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.wire.Message;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The compact form of the hub calls that move items, and of their answers: {@code QueueRequest.Put} and
 * {@code Get}, {@code PipeRequest.Send} and {@code Receive}, and feeder batches of them; and of the calls
 * whose only field is at most one number (a {@code Lock}'s acquire and release, an {@code Event}'s set, a
 * queue's size, …: {@link #PLAIN_CALLS}), which every synchronization call from another process makes. They travel in a
 * {@code PARTS} frame ({@link Message.GatheredParts} written, {@link Message.Parts} read) instead of a JDK serialization stream: the first part (the head) holds the
 * calls, each item smaller than {@link #INLINE_LIMIT} inline; each larger item is a part of its own, or two
 * when it keeps a body apart (see {@link Item}), written straight from its arrays and read into the arrays
 * the hub keeps. Every other call keeps the general form (a {@code TASK} frame holding the serialized
 * {@link HubFrame}).
 *
 * <pre>
 * head of a call:   kind (u8: 1 one call, 2 a batch) | count (int32) | count times:
 *                   object id (2 int64) | thread id (int64) | op (u8) | op fields
 *   op 1 PUT        timeout nanos (int64) | item
 *   op 2 GET        timeout nanos (int64)
 *   op 3 SEND       end (int32) | item
 *   op 4 RECEIVE    end (int32) | timeout nanos (int64)
 *   op 5 PLAIN      code (u8: 1 + its index in PLAIN_CALLS) | its number, or 0 (int64)
 *   op 6 PASSED_ON  sender pid (int64) | hops (int32) | end (int32) | item: a SEND that one pipe replica
 *                   passes on to another (PipeRequest.Forwarded)
 * item:             length (int32) | that many bytes; or -1: the item is the next part;
 *                   or -2: the item's head and body are the next two parts
 *
 * head of an answer: kind (u8) | fields
 *   0 NULL, 1 FALSE, 2 TRUE, 3 ITEM | item, 4 DELIVERED | item, 5 END_OF_FILE, 6 TIMED_OUT,
 *   7 INT | int32, 8 ACQUIRE | AcquireOutcome ordinal (u8)
 * </pre>
 *
 * A head that breaks this layout fails with {@link IllegalArgumentException}, which the hub reports to the
 * caller as the call's failure.
 */
final class HubWire {
    /** Items at least this long travel as parts of their own. */
    static final int INLINE_LIMIT = 8 << 10;

    private static final byte ONE_CALL = 1;
    private static final byte BATCH = 2;
    private static final byte PUT = 1;
    private static final byte GET = 2;
    private static final byte SEND = 3;
    private static final byte RECEIVE = 4;
    private static final byte PLAIN = 5;
    private static final byte PASSED_ON = 6;
    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte ITEM = 3;
    private static final byte DELIVERED = 4;
    private static final byte END_OF_FILE = 5;
    private static final byte TIMED_OUT = 6;
    private static final byte INT = 7;
    private static final byte ACQUIRE = 8;
    /** In place of an item's length: the item is the next part. */
    private static final int ONE_PART = -1;
    /** In place of an item's length: the item's head and body are the next two parts. */
    private static final int HEAD_AND_BODY = -2;
    /** The fewest bytes a call takes in the head. */
    private static final int CALL_BYTES = 8 + 8 + 8 + 1 + 8;

    /**
     * A call whose only field is at most one number: how to make it from that number, and read the number
     * back; {@code number} is null for a call without one, whose number on the wire must then be 0.
     */
    private record Plain<R extends Request<?>>(Class<R> type, LongFunction<R> make, ToLongFunction<R> number) {
        long numberOf(Request<?> request) {
            return number == null ? 0 : number.applyAsLong(type.cast(request));
        }
    }

    /** The calls of op {@code PLAIN}; a call's code is its index here plus one, so add new ones at the end. */
    private static final List<Plain<?>> PLAIN_CALLS = List.of(
            new Plain<>(QueueRequest.Size.class, none -> new QueueRequest.Size(), null),
            new Plain<>(QueueRequest.IsFull.class, none -> new QueueRequest.IsFull(), null),
            new Plain<>(QueueRequest.TaskDone.class, none -> new QueueRequest.TaskDone(), null),
            new Plain<>(QueueRequest.Join.class, QueueRequest.Join::new, QueueRequest.Join::timeoutNanos),
            new Plain<>(LockRequest.Acquire.class, LockRequest.Acquire::new, LockRequest.Acquire::timeoutNanos),
            new Plain<>(LockRequest.Release.class, none -> new LockRequest.Release(), null),
            new Plain<>(LockRequest.IsLocked.class, none -> new LockRequest.IsLocked(), null),
            new Plain<>(SemaphoreRequest.Acquire.class, SemaphoreRequest.Acquire::new, SemaphoreRequest.Acquire::timeoutNanos),
            new Plain<>(SemaphoreRequest.Release.class, none -> new SemaphoreRequest.Release(), null),
            new Plain<>(SemaphoreRequest.AvailablePermits.class, none -> new SemaphoreRequest.AvailablePermits(), null),
            new Plain<>(EventRequest.Set.class, none -> new EventRequest.Set(), null),
            new Plain<>(EventRequest.Clear.class, none -> new EventRequest.Clear(), null),
            new Plain<>(EventRequest.IsSet.class, none -> new EventRequest.IsSet(), null),
            new Plain<>(EventRequest.WaitFor.class, EventRequest.WaitFor::new, EventRequest.WaitFor::timeoutNanos),
            new Plain<>(ConditionRequest.Await.class, ConditionRequest.Await::new, ConditionRequest.Await::timeoutNanos),
            new Plain<>(ConditionRequest.Signal.class, n -> new ConditionRequest.Signal(Math.toIntExact(n)), ConditionRequest.Signal::n),
            new Plain<>(ConditionRequest.SignalAll.class, none -> new ConditionRequest.SignalAll(), null));

    /** The code of each {@link #PLAIN_CALLS} type. */
    private static final Map<Class<?>, Byte> PLAIN_CODES = plainCodes();

    private static Map<Class<?>, Byte> plainCodes() {
        Map<Class<?>, Byte> codes = new HashMap<>();
        for (int i = 0; i < PLAIN_CALLS.size(); i++) {
            codes.put(PLAIN_CALLS.get(i).type(), (byte) (i + 1));
        }
        return Map.copyOf(codes);
    }

    private HubWire() {}

    /** Whether {@code frame} has a compact form. */
    static boolean carries(HubFrame frame) {
        if (frame instanceof HubFrame.Call call) {
            return carries(call.request());
        }
        return frame instanceof HubFrame.Batch batch && batch.calls().stream().allMatch(call -> carries(call.request()));
    }

    private static boolean carries(Request<?> request) {
        return request instanceof QueueRequest.Put || request instanceof QueueRequest.PutSlice || request instanceof QueueRequest.Get
                || request instanceof PipeRequest.Send || request instanceof PipeRequest.SendSlice
                || request instanceof PipeRequest.Receive || PLAIN_CODES.containsKey(request.getClass())
                || request instanceof PipeRequest.Forwarded passed && passed.request() instanceof PipeRequest.Send;
    }

    /**
     * The compact form of {@code frame}, which {@link #carries} it. A {@link PipeRequest.SendSlice} or
     * {@link QueueRequest.PutSlice} is written as a {@code SEND} or {@code PUT} whose item part gathers its tag
     * and the caller's bytes.
     */
    static Message.GatheredParts request(long id, HubFrame frame) {
        List<HubFrame.Call> calls = frame instanceof HubFrame.Batch batch ? batch.calls() : List.of((HubFrame.Call) frame);
        long headBytes = 5;
        for (HubFrame.Call call : calls) {
            headBytes += headBytes(call.request());
        }
        ByteBuffer head = ByteBuffer.allocate(Math.toIntExact(headBytes));
        List<ByteBuffer[]> parts = new ArrayList<>();
        parts.add(new ByteBuffer[] {head});
        head.put(frame instanceof HubFrame.Batch ? BATCH : ONE_CALL).putInt(calls.size());
        for (HubFrame.Call call : calls) {
            head.putLong(call.objectId().high()).putLong(call.objectId().low()).putLong(call.threadId());
            Request<?> request = call.request();
            if (request instanceof QueueRequest.Put put) {
                head.put(PUT).putLong(put.timeoutNanos());
                putItem(head, parts, put.item());
            } else if (request instanceof QueueRequest.PutSlice put) {
                head.put(PUT).putLong(put.timeoutNanos()).putInt(HEAD_AND_BODY);
                parts.add(new ByteBuffer[] {ByteBuffer.wrap(put.tag())});
                parts.add(new ByteBuffer[] {ByteBuffer.wrap(put.bytes())});
            } else if (request instanceof QueueRequest.Get get) {
                head.put(GET).putLong(get.timeoutNanos());
            } else if (request instanceof PipeRequest.Send send) {
                head.put(SEND).putInt(send.end());
                putItem(head, parts, send.message());
            } else if (request instanceof PipeRequest.SendSlice slice) {
                head.put(SEND).putInt(slice.end()).putInt(HEAD_AND_BODY);
                parts.add(new ByteBuffer[] {ByteBuffer.wrap(slice.tag())});
                parts.add(new ByteBuffer[] {ByteBuffer.wrap(slice.buffer(), slice.offset(), slice.size())});
            } else if (request instanceof PipeRequest.Receive receive) {
                head.put(RECEIVE).putInt(receive.end()).putLong(receive.timeoutNanos());
            } else if (request instanceof PipeRequest.Forwarded passed && passed.request() instanceof PipeRequest.Send send) {
                head.put(PASSED_ON).putLong(passed.pid()).putInt(passed.hops()).putInt(send.end());
                putItem(head, parts, send.message());
            } else if (PLAIN_CODES.containsKey(request.getClass())) {
                byte code = PLAIN_CODES.get(request.getClass());
                head.put(PLAIN).put(code).putLong(PLAIN_CALLS.get(code - 1).numberOf(request));
            } else {
                throw new IllegalArgumentException("no compact form for " + Request.nameOf(request));
            }
        }
        head.flip();
        return new Message.GatheredParts(id, parts);
    }

    /** The frame a compact call carries. */
    static HubFrame readRequest(List<byte[]> parts) {
        try {
            Reader in = new Reader(parts);
            byte kind = in.head.get();
            if (kind != ONE_CALL && kind != BATCH) {
                throw malformed("unknown kind " + kind);
            }
            int count = in.head.getInt();
            if (count < 0 || (kind == ONE_CALL && count != 1) || count > in.head.remaining() / CALL_BYTES) {
                throw malformed("call count " + count + " out of range");
            }
            List<HubFrame.Call> calls = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ObjectId objectId = new ObjectId(in.head.getLong(), in.head.getLong());
                long threadId = in.head.getLong();
                byte op = in.head.get();
                Request<?> request = switch (op) {
                    case PUT -> {
                        long timeout = in.head.getLong();
                        yield new QueueRequest.Put(in.item(), timeout);
                    }
                    case GET -> new QueueRequest.Get(in.head.getLong());
                    case SEND -> {
                        int end = in.head.getInt();
                        yield new PipeRequest.Send(end, in.item());
                    }
                    case RECEIVE -> {
                        int end = in.head.getInt();
                        yield new PipeRequest.Receive(end, in.head.getLong());
                    }
                    case PLAIN -> plainCall(in.head.get(), in.head.getLong());
                    case PASSED_ON -> {
                        long pid = in.head.getLong();
                        int hops = in.head.getInt();
                        int end = in.head.getInt();
                        yield new PipeRequest.Forwarded(pid, hops, new PipeRequest.Send(end, in.item()));
                    }
                    default -> throw malformed("unknown operation " + op);
                };
                calls.add(new HubFrame.Call(objectId, threadId, request));
            }
            in.requireAllRead();
            return kind == ONE_CALL ? calls.get(0) : new HubFrame.Batch(calls);
        } catch (BufferUnderflowException e) {
            throw malformed("the head ends early");
        }
    }

    private static Request<?> plainCall(byte code, long number) {
        if (code < 1 || code > PLAIN_CALLS.size()) {
            throw malformed("unknown plain call " + code);
        }
        Plain<?> plain = PLAIN_CALLS.get(code - 1);
        if (plain.number() == null && number != 0) {
            throw malformed("plain call " + code + " takes no number but got " + number);
        }
        try {
            return plain.make().apply(number);
        } catch (ArithmeticException e) {
            throw malformed("plain call " + code + " cannot take " + number);
        }
    }

    /** The compact form of {@code answer}, the result of a call that travelled compact; null if it has none. */
    static Message.GatheredParts answer(long id, Object answer) {
        Item item = answer instanceof Item taken ? taken
                : answer instanceof PipeReceipt.Delivered delivered ? delivered.message() : null;
        byte kind;
        if (answer == null) {
            kind = NULL;
        } else if (answer instanceof Boolean b) {
            kind = b ? TRUE : FALSE;
        } else if (answer instanceof Item) {
            kind = ITEM;
        } else if (answer instanceof PipeReceipt.Delivered) {
            kind = DELIVERED;
        } else if (answer instanceof PipeReceipt.EndOfFile) {
            kind = END_OF_FILE;
        } else if (answer instanceof PipeReceipt.TimedOut) {
            kind = TIMED_OUT;
        } else if (answer instanceof Integer) {
            kind = INT;
        } else if (answer instanceof AcquireOutcome) {
            kind = ACQUIRE;
        } else {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(1 + 4 + (item == null ? 0 : inlineBytes(item)));
        List<ByteBuffer[]> parts = new ArrayList<>(2);
        parts.add(new ByteBuffer[] {head});
        head.put(kind);
        if (item != null) {
            putItem(head, parts, item);
        } else if (answer instanceof Integer number) {
            head.putInt(number);
        } else if (answer instanceof AcquireOutcome outcome) {
            head.put((byte) outcome.ordinal());
        }
        head.flip();
        return new Message.GatheredParts(id, parts);
    }

    /** The answer a compact reply carries. */
    static Object readAnswer(List<byte[]> parts) {
        try {
            Reader in = new Reader(parts);
            byte kind = in.head.get();
            Object answer = switch (kind) {
                case NULL -> null;
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case ITEM -> in.item();
                case DELIVERED -> new PipeReceipt.Delivered(in.item());
                case END_OF_FILE -> new PipeReceipt.EndOfFile();
                case TIMED_OUT -> new PipeReceipt.TimedOut();
                case INT -> in.head.getInt();
                case ACQUIRE -> acquireOutcome(in.head.get());
                default -> throw malformed("unknown answer kind " + kind);
            };
            in.requireAllRead();
            return answer;
        } catch (BufferUnderflowException e) {
            throw malformed("the answer ends early");
        }
    }

    private static AcquireOutcome acquireOutcome(byte ordinal) {
        AcquireOutcome[] outcomes = AcquireOutcome.values();
        if (ordinal < 0 || ordinal >= outcomes.length) {
            throw malformed("unknown acquire outcome " + ordinal);
        }
        return outcomes[ordinal];
    }

    /** The bytes a call takes in the head: ids and op, its fields, and its item when inline. */
    private static long headBytes(Request<?> request) {
        long ids = 8 + 8 + 8 + 1;
        if (request instanceof QueueRequest.Put put) {
            return ids + 8 + 4 + inlineBytes(put.item());
        } else if (request instanceof PipeRequest.Send send) {
            return ids + 4 + 4 + inlineBytes(send.message());
        } else if (request instanceof PipeRequest.SendSlice) {
            return ids + 4 + 4;
        } else if (request instanceof QueueRequest.PutSlice) {
            return ids + 8 + 4;
        } else if (request instanceof PipeRequest.Receive) {
            return ids + 4 + 8;
        } else if (request instanceof PipeRequest.Forwarded passed && passed.request() instanceof PipeRequest.Send send) {
            return ids + 8 + 4 + 4 + 4 + inlineBytes(send.message());
        } else if (PLAIN_CODES.containsKey(request.getClass())) {
            return ids + 1 + 8;
        }
        return ids + 8;
    }

    private static int inlineBytes(Item item) {
        return item == null || item.length() >= INLINE_LIMIT ? 0 : (int) item.length();
    }

    private static void putItem(ByteBuffer head, List<ByteBuffer[]> parts, Item item) {
        if (item.length() < INLINE_LIMIT) {
            head.putInt((int) item.length()).put(item.head()).put(item.body());
        } else if (item.body().length == 0) {
            head.putInt(ONE_PART);
            parts.add(new ByteBuffer[] {ByteBuffer.wrap(item.head())});
        } else {
            head.putInt(HEAD_AND_BODY);
            parts.add(new ByteBuffer[] {ByteBuffer.wrap(item.head())});
            parts.add(new ByteBuffer[] {ByteBuffer.wrap(item.body())});
        }
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("malformed compact hub frame: " + why);
    }

    /** Reads a head and takes the parts it refers to, in order. */
    private static final class Reader {
        final ByteBuffer head;
        private final List<byte[]> parts;
        private int nextPart = 1;

        Reader(List<byte[]> parts) {
            if (parts.isEmpty()) {
                throw malformed("no head");
            }
            this.parts = parts;
            this.head = ByteBuffer.wrap(parts.get(0));
        }

        Item item() {
            int length = head.getInt();
            if (length == ONE_PART) {
                return Item.of(part());
            }
            if (length == HEAD_AND_BODY) {
                return new Item(part(), part());
            }
            if (length < 0 || length > head.remaining()) {
                throw malformed("inline item length " + length + " out of range");
            }
            byte[] item = new byte[length];
            head.get(item);
            return Item.of(item);
        }

        private byte[] part() {
            if (nextPart >= parts.size()) {
                throw malformed("an item refers to part " + nextPart + " of " + parts.size());
            }
            return parts.get(nextPart++);
        }

        void requireAllRead() {
            if (head.hasRemaining() || nextPart != parts.size()) {
                throw malformed(head.remaining() + " bytes and " + (parts.size() - nextPart) + " parts left over");
            }
        }
    }
}
