package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;
import java.security.SecureRandom;

/**
 * The id of a hosted object: 128 random bits, so that a connection can reach only objects whose handle it
 * was given (as an argument, in an answer, or by a manager's {@code lookup}), never one it guesses. A key
 * holder who counts ids (1, 2, 3, …) finds nothing; guessing one of {@code n} live ids takes about
 * {@code 2^128 / n} calls.
 */
public record ObjectId(long high, long low) implements Serializable {
    /** A fresh id, from a strong random source; never equal to another id in practice. */
    public static ObjectId random() {
        return new ObjectId(Source.RANDOM.nextLong(), Source.RANDOM.nextLong());
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", high, low);
    }

    /** Created on the first id, so that a process with no shared objects never seeds it. */
    private static final class Source {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
