package io.github.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that a connecting child knows the parent's key, before the parent reads anything else from it.
 *
 * <p>The parent sends a fresh random nonce; the child answers with its id, its pid and
 * HMAC-SHA256(key, nonce || childId). The key itself never crosses the socket, and an answer cannot be
 * replayed on another connection because every connection gets a new nonce.
 */
public final class Handshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    public static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Parent side: challenges the child and returns its verified hello. */
    public static Message.Hello challenge(Channel channel, byte[] key) throws IOException {
        byte[] nonce = new byte[FrameCodec.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        channel.send(new Message.Challenge(nonce));
        Message reply = channel.receive();
        if (!(reply instanceof Message.Hello hello)) {
            throw new IOException("handshake: expected HELLO but got " + reply.getClass().getSimpleName());
        }
        if (!MessageDigest.isEqual(mac(key, nonce, hello.childId()), hello.mac())) {
            throw new IOException("handshake: child " + hello.childId() + " (pid " + hello.pid()
                    + ") does not know this parent's key; connection refused");
        }
        return hello;
    }

    /** Child side: answers the parent's challenge. */
    public static void answer(Channel channel, byte[] key, long childId, long pid) throws IOException {
        Message first = channel.receive();
        if (!(first instanceof Message.Challenge challenge)) {
            throw new IOException("handshake: expected CHALLENGE but got " + first.getClass().getSimpleName());
        }
        channel.send(new Message.Hello(childId, pid, mac(key, challenge.nonce(), childId)));
    }

    static byte[] mac(byte[] key, byte[] nonce, long childId) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(nonce);
            hmac.update(ByteBuffer.allocate(8).putLong(childId).array());
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
