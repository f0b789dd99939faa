package io.github.multiprocessing4j.internal.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over {@link MessageDigest}: {@code H((K ^ opad) | H((K ^ ipad) | message))} with
 * 64-byte blocks. {@code javax.crypto.Mac} computes the same value, but its first use scans every installed
 * security provider, about 30 ms of a child JVM's start-up; the digest comes straight from the built-in
 * provider. {@code HmacSha256Test} checks the two agree.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final byte[] outerPad = new byte[BLOCK];

    HmacSha256(byte[] key) {
        inner = sha256();
        byte[] block = new byte[BLOCK];
        byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] innerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            innerPad[i] = (byte) (block[i] ^ 0x36);
            outerPad[i] = (byte) (block[i] ^ 0x5c);
        }
        inner.update(innerPad);
    }

    HmacSha256 update(byte[] bytes) {
        inner.update(bytes);
        return this;
    }

    /** The MAC of everything passed to {@link #update}; this object is used up. */
    byte[] finish() {
        MessageDigest outer = sha256();
        outer.update(outerPad);
        outer.update(inner.digest());
        return outer.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
