package io.github.multiprocessing4j.internal.wire;

/**
 * Everything that crosses a parent-child channel. Each message is one frame (see {@link FrameCodec} for the
 * byte layout); payloads are opaque bytes produced by the codec, so this layer never deserializes user data.
 */
public sealed interface Message {

    /** Parent to child, first frame on every connection: the random challenge the child must answer. */
    record Challenge(byte[] nonce) implements Message {}

    /**
     * Child to parent, the answer: who the child is, an HMAC of the parent's nonce and its id under the
     * key, and a nonce of its own for the parent to answer.
     */
    record Hello(long childId, long pid, byte[] mac, byte[] nonce) implements Message {}

    /** Parent to child, the parent's proof that it knows the key too: an HMAC of both nonces. */
    record Welcome(byte[] mac) implements Message {}

    /** Parent to child: the child's proof was wrong; the connection closes. */
    record Refused() implements Message {}

    /** Parent to child: run this encoded job. {@code taskId} is echoed back in the {@link Outcome}. */
    record Task(long taskId, byte[] payload) implements Message {}

    /** Child to parent: how task {@code taskId} ended; the payload is the encoded value or exception. */
    record Outcome(long taskId, boolean success, byte[] payload) implements Message {}

    /** Parent to child: finish the current task, then exit normally. */
    record Stop() implements Message {}
}
