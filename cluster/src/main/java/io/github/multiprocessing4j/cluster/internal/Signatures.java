package io.github.multiprocessing4j.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over a task envelope with the cluster's key: what a member checks before it hands a payload
 * to anything that deserializes. The MAC covers the task id, the timeout and the payload, so none of them can
 * be changed in transit by someone without the key.
 */
public final class Signatures {
    /** The shortest key accepted: 16 bytes (128 bits). */
    public static final int MIN_KEY_LENGTH = 16;

    private Signatures() {}

    public static byte[] sign(byte[] key, String pool, long taskId, long timeoutMillis, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] poolName = pool.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4 + poolName.length + 16).putInt(poolName.length).put(poolName)
                    .putLong(taskId).putLong(timeoutMillis).array());
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** Constant-time comparison of the envelope's MAC with the one computed here. */
    public static boolean verify(byte[] key, String pool, long taskId, long timeoutMillis, byte[] payload, byte[] mac) {
        return mac != null && pool != null && MessageDigest.isEqual(sign(key, pool, taskId, timeoutMillis, payload), mac);
    }
}
