package io.github.multiprocessing4j.internal.wire;

/**
 * Everything that crosses a channel between two processes: a parent and its child, or a client and the hub
 * that hosts a shared object. Each message is one frame (see {@link FrameCodec} for the byte layout);
 * payloads are opaque bytes produced by the codec, so this layer never deserializes user data.
 *
 * <p>Every connection opens with the same handshake, from the side that accepted it (the server: a parent, a
 * hub) to the side that connected (the client: a child, a hub client): {@link Challenge}, {@link Hello},
 * then {@link Welcome} or {@link Refused}. After it, the client sends {@link Task}s and the server answers
 * each with an {@link Outcome} on a hub connection; on a parent-child channel the roles are reversed once
 * connected: the parent sends tasks and the child answers.
 */
public sealed interface Message {

    /** Server to client, first frame on every connection: the random challenge the client must answer. */
    record Challenge(byte[] nonce) implements Message {}

    /**
     * Client to server, the answer: who the client is (a child's id, or 0 for a hub client, and its pid), an
     * HMAC of the server's nonce and that id under the key, and a nonce of its own for the server to answer.
     */
    record Hello(long childId, long pid, byte[] mac, byte[] nonce) implements Message {}

    /** Server to client, the server's proof that it knows the key too: an HMAC of both nonces. */
    record Welcome(byte[] mac) implements Message {}

    /** Server to client: the client's proof was wrong; the connection closes. */
    record Refused() implements Message {}

    /**
     * A request: an encoded job for a child (parent to child), or an encoded call for a hub (client to hub).
     * {@code taskId} is echoed back in the {@link Outcome}.
     */
    record Task(long taskId, byte[] payload) implements Message {}

    /** The answer to a {@link Task}: how it ended; the payload is the encoded value or exception. */
    record Outcome(long taskId, boolean success, byte[] payload) implements Message {}

    /** Parent to child (a pool worker): finish the current task, then exit normally. */
    record Stop() implements Message {}

    /**
     * Parent to child, once connected: who the child is to be ({@code name}) and whether it runs tasks until
     * stopped (a pool worker) or a single target (a process). A child waits for it before running anything,
     * so a child started ahead of need (a spare) takes on its identity only here.
     */
    record Assign(String name, boolean worker) implements Message {}

    /**
     * Byte arrays sent together without being joined: a hub call (or its answer) whose first part is the
     * call and whose further parts are the large items it carries, each read into an array of its own.
     * {@code id} pairs an answer with its call.
     */
    record Parts(long id, java.util.List<byte[]> parts) implements Message {
        public Parts {
            parts = java.util.List.copyOf(parts);
        }
    }

    /**
     * A {@link Parts} frame as its writer gathers it: each part is the bytes left in one or more buffers,
     * written back to back straight from the arrays behind them (a tag and a slice of the caller's array make
     * one item without being joined). The reader gets a {@link Parts}. Each buffer is written once.
     */
    record GatheredParts(long id, java.util.List<java.nio.ByteBuffer[]> parts) implements Message {
        public GatheredParts {
            parts = java.util.List.copyOf(parts);
        }
    }
}
