package io.github.multiprocessing4j.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a member answers for one envelope: a status byte, then bytes the member did not decode.
 *
 * <pre>
 * byte 0   status  0 VALUE    the rest is the worker's Codec-encoded value
 *                  1 ERROR    the rest is a ThrowableTransport envelope (the task threw, its worker died, …)
 *                  2 REFUSED  the rest is a UTF-8 reason; the payload was never deserialized or run
 * </pre>
 */
public final class Replies {
    public static final byte VALUE = 0;
    public static final byte ERROR = 1;
    public static final byte REFUSED = 2;

    private Replies() {}

    public static byte[] of(byte status, byte[] body) {
        byte[] reply = new byte[body.length + 1];
        reply[0] = status;
        System.arraycopy(body, 0, reply, 1, body.length);
        return reply;
    }

    public static byte[] refused(String reason) {
        return of(REFUSED, reason.getBytes(StandardCharsets.UTF_8));
    }

    public static byte status(byte[] reply) {
        if (reply == null || reply.length == 0) {
            throw new IllegalArgumentException("empty reply from a member");
        }
        return reply[0];
    }

    public static byte[] body(byte[] reply) {
        return Arrays.copyOfRange(reply, 1, reply.length);
    }
}
