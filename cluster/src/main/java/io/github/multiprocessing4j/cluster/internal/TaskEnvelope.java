package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * One task as it travels from a client to a member's executor: the job's bytes (encoded by the client's
 * {@code JobCodec}, never decoded by the member), its timeout, and the MAC over both made with the cluster's
 * key. It is an {@link IdentifiedDataSerializable}, read field by field by {@link EnvelopeFactory}, so no
 * Java deserialization happens on the engine's path; the member verifies the MAC before the payload goes to
 * a worker JVM, the only place user classes are deserialized.
 *
 * <pre>
 * field          type     meaning
 * pool           String   the name of the client pool's executor; the member ends the pool's tasks
 *                         when that executor is destroyed (the pool ended)
 * taskId         long     the client's id, covered by the MAC
 * timeoutMillis  long     0 for none; the member's pool kills the worker after it
 * payload        byte[]   JobCodec bytes
 * mac            byte[]   HMAC-SHA256(key, pool | taskId | timeoutMillis | payload)
 * </pre>
 *
 * <p>{@link #call()} runs on the member and answers with {@link Replies} bytes.
 */
public final class TaskEnvelope implements Callable<byte[]>, IdentifiedDataSerializable {
    static final int CLASS_ID = 1;

    private String pool;
    private long taskId;
    private long timeoutMillis;
    private byte[] payload;
    private byte[] mac;

    /** For {@link EnvelopeFactory}. */
    public TaskEnvelope() {}

    public TaskEnvelope(String pool, long taskId, long timeoutMillis, byte[] payload, byte[] mac) {
        this.pool = pool;
        this.taskId = taskId;
        this.timeoutMillis = timeoutMillis;
        this.payload = payload;
        this.mac = mac;
    }

    String pool() {
        return pool;
    }

    long taskId() {
        return taskId;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    byte[] payload() {
        return payload;
    }

    byte[] mac() {
        return mac;
    }

    @Override
    public byte[] call() {
        return MemberRuntime.current().run(this);
    }

    @Override
    public int getFactoryId() {
        return EnvelopeFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(pool);
        out.writeLong(taskId);
        out.writeLong(timeoutMillis);
        out.writeByteArray(payload);
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        pool = in.readString();
        taskId = in.readLong();
        timeoutMillis = in.readLong();
        payload = in.readByteArray();
        mac = in.readByteArray();
    }
}
