package io.github.multiprocessing4j.internal.wire;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Proves, in both directions, that the two ends of a new connection know the same key, before either reads
 * anything else from the other.
 *
 * <pre>
 * server → client   CHALLENGE  nonceS
 * client → server   HELLO      id, pid, HMAC(key, "client" | nonceS | id), nonceC
 * server → client   WELCOME    HMAC(key, "server" | nonceC | nonceS)        (or REFUSED)
 * </pre>
 *
 * The key never crosses the socket; fresh nonces on both sides make answers useless on another connection;
 * the labels keep one side's proof from serving as the other's. The client checks the WELCOME before it
 * decodes any frame from the server, so a process that merely took over the address cannot feed it
 * serialized objects. Before authentication, frames longer than {@link FrameCodec#HANDSHAKE_FRAME_LENGTH}
 * are refused; a server gives each connection {@link #TIMEOUT_SECONDS} to finish. How many unauthenticated
 * connections an entrance holds at a time is its {@link Listener}'s business (one limit per entrance).
 */
public final class Handshake {
    static final int TIMEOUT_SECONDS = 10;

    private static final byte[] CLIENT = "client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "server".getBytes(StandardCharsets.US_ASCII);

    private Handshake() {}

    /** The server refused this client's proof: the key is wrong. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** The server did not prove that it knows the key: it is not trusted. */
    public static final class UnprovenException extends IOException {
        UnprovenException(String message) {
            super(message);
        }
    }

    /**
     * Made on first use: a child that only answers its parent's challenge with the nonce it was given never
     * sets up a secure random generator (part of what makes a child JVM start slowly).
     */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    public static byte[] newKey() {
        byte[] key = new byte[32];
        Random.INSTANCE.nextBytes(key);
        return key;
    }

    /** A fresh nonce for one handshake: a child's, given to it by its parent, or a server's or client's own. */
    public static byte[] nonce() {
        byte[] nonce = new byte[FrameCodec.NONCE_LENGTH];
        Random.INSTANCE.nextBytes(nonce);
        return nonce;
    }

    /**
     * Server side: challenges the client, checks its proof, proves the key in return, and returns the
     * client's verified hello. The channel is closed if this takes longer than {@link #TIMEOUT_SECONDS}.
     *
     * @throws IOException if the client does not know the key (it was sent REFUSED), or misbehaves
     */
    public static Message.Hello challenge(Channel channel, byte[] key) throws IOException {
        var timeout = LibraryThreads.timer().schedule(channel::close, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            byte[] serverNonce = nonce();
            channel.send(new Message.Challenge(serverNonce));
            Message reply = channel.receive(FrameCodec.HANDSHAKE_FRAME_LENGTH);
            if (!(reply instanceof Message.Hello hello)) {
                throw new IOException("handshake: expected HELLO but got " + reply.getClass().getSimpleName());
            }
            byte[] expected = mac(key, CLIENT, serverNonce, ByteBuffer.allocate(8).putLong(hello.childId()).array());
            if (!MessageDigest.isEqual(expected, hello.mac())) {
                channel.send(new Message.Refused());
                throw new IOException("handshake: peer " + hello.childId() + " (pid " + hello.pid()
                        + ") does not know the key; connection refused");
            }
            channel.send(new Message.Welcome(mac(key, SERVER, hello.nonce(), serverNonce)));
            return hello;
        } finally {
            timeout.cancel(false);
        }
    }

    /**
     * Client side: answers the server's challenge and checks the server's proof.
     *
     * @throws RefusedException if the server says the key is wrong
     * @throws UnprovenException if the server does not prove the key
     * @throws IOException if the connection fails
     */
    public static void answer(Channel channel, byte[] key, long childId, long pid) throws IOException {
        answer(channel, key, childId, pid, nonce());
    }

    /** As {@link #answer(Channel, byte[], long, long)}, with a nonce made elsewhere, unpredictably and once. */
    public static void answer(Channel channel, byte[] key, long childId, long pid, byte[] clientNonce) throws IOException {
        if (clientNonce.length != FrameCodec.NONCE_LENGTH) {
            throw new IllegalArgumentException("a nonce has " + FrameCodec.NONCE_LENGTH + " bytes: " + clientNonce.length);
        }
        Message first = channel.receive(FrameCodec.HANDSHAKE_FRAME_LENGTH);
        if (!(first instanceof Message.Challenge challenge)) {
            throw new IOException("handshake: expected CHALLENGE but got " + first.getClass().getSimpleName());
        }
        byte[] proof = mac(key, CLIENT, challenge.nonce(), ByteBuffer.allocate(8).putLong(childId).array());
        channel.send(new Message.Hello(childId, pid, proof, clientNonce));
        Message verdict = channel.receive(FrameCodec.HANDSHAKE_FRAME_LENGTH);
        if (verdict instanceof Message.Refused) {
            throw new RefusedException("the other side refused the connection: the key is wrong");
        }
        if (!(verdict instanceof Message.Welcome welcome)
                || !MessageDigest.isEqual(mac(key, SERVER, clientNonce, challenge.nonce()), welcome.mac())) {
            throw new UnprovenException("handshake: the other side does not know the key; not trusting it");
        }
    }

    static byte[] mac(byte[] key, byte[] label, byte[] first, byte[] second) {
        return new HmacSha256(key).update(label).update(first).update(second).finish();
    }
}
