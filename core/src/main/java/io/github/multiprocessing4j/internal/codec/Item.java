package io.github.multiprocessing4j.internal.codec;

import java.io.Serializable;

/**
 * A queue item or pipe message in its encoded form ({@link Codec#encodeItem}), as it travels between
 * processes and waits in a hub: the encoding is {@code head} followed by {@code body}.
 *
 * <p>Most items are all head, with an empty body. A large byte array (a {@code sendBytes}, a {@code put} of
 * a {@code byte[]}) keeps its bytes apart as the body, after a head that is only the codec's tag: the sender
 * writes them straight from its array, the receiving process reads them into an array of their own, and
 * {@link Codec#decodeItem} hands that very array to the caller instead of copying it. Hence an item is
 * decoded once, by the one caller that took it: decoding may give its body away.
 *
 * @param head the first bytes of the encoding, starting with the codec's tag
 * @param body the rest of the encoding; empty for most items
 */
public record Item(byte[] head, byte[] body) implements Serializable {
    private static final byte[] NO_BODY = new byte[0];

    /** An item whose whole encoding is {@code encoded}. */
    public static Item of(byte[] encoded) {
        return new Item(encoded, NO_BODY);
    }

    /** The encoding's length in bytes. */
    public long length() {
        return (long) head.length + body.length;
    }
}
