package io.github.multiprocessing4j.internal.wire;

import java.io.IOException;

/** A frame that breaks the format: unknown kind, impossible length, or a body of the wrong size. */
public final class MalformedFrameException extends IOException {
    public MalformedFrameException(String message) {
        super(message);
    }
}
