package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Creates the library's envelope classes by id, on members and clients alike; every other id is refused. */
public final class EnvelopeFactory implements DataSerializableFactory {
    /** Chosen outside the range Hazelcast uses for its own factories (negative ids). */
    public static final int FACTORY_ID = 0x6d70346a; // "mp4j"

    @Override
    public IdentifiedDataSerializable create(int classId) {
        if (classId == TaskEnvelope.CLASS_ID) {
            return new TaskEnvelope();
        }
        throw new IllegalArgumentException("unknown multiprocessing4j class id: " + classId);
    }
}
