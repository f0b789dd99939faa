package io.github.multiprocessing4j.internal.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a child needs before it can connect back: the parent's address and key, its own id and pid, the
 * nonce for its half of the handshake, who its parent is, and whether it is a spare (started ahead of need,
 * to warm up and wait). It travels on the child's standard input, which the parent closes right after
 * writing it, so the key never appears on a command line or in an environment that grandchildren would
 * inherit. The child's name and role come later, in the {@code ASSIGN} frame, so a spare can be given
 * either.
 *
 * <p>The parent supplies the child's pid (it has just started the process) and nonce (from its own secure
 * random generator), which spares the child the JDK's process-handle and secure-random set-up on its start
 * path.
 */
public record Bootstrap(String address, byte[] key, long childId, long pid, byte[] nonce, String parentName,
        long parentPid, boolean spare) {

    void writeTo(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeUTF(address);
        writeBytes(out, key);
        out.writeLong(childId);
        out.writeLong(pid);
        writeBytes(out, nonce);
        out.writeUTF(parentName);
        out.writeLong(parentPid);
        out.writeBoolean(spare);
        out.flush();
    }

    static Bootstrap readFrom(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        return new Bootstrap(in.readUTF(), readBytes(in, "key"), in.readLong(), in.readLong(), readBytes(in, "nonce"),
                in.readUTF(), in.readLong(), in.readBoolean());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in, String what) throws IOException {
        int length = in.readInt();
        if (length < 16 || length > 1024) {
            throw new IOException("bootstrap " + what + " length out of range: " + length);
        }
        return in.readNBytes(length);
    }
}
