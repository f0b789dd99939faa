package io.github.multiprocessing4j.internal.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a child needs before it can connect back: the parent's address and key, its own id and name, its
 * role, and who its parent is. It travels on the child's standard input, which the parent closes right
 * after writing it, so the key never appears on a command line or in an environment that grandchildren
 * would inherit.
 */
public record Bootstrap(String address, byte[] key, long childId, String name, Role role, String parentName,
        long parentPid) {

    /** What the child does once connected. */
    public enum Role {
        /** Run one target, then exit with its outcome: {@code Process}. */
        PROCESS,
        /** Run tasks until told to stop: a pool worker. */
        WORKER
    }

    void writeTo(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeUTF(address);
        out.writeInt(key.length);
        out.write(key);
        out.writeLong(childId);
        out.writeUTF(name);
        out.writeUTF(role.name());
        out.writeUTF(parentName);
        out.writeLong(parentPid);
        out.flush();
    }

    static Bootstrap readFrom(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        String address = in.readUTF();
        int keyLength = in.readInt();
        if (keyLength < 16 || keyLength > 1024) {
            throw new IOException("bootstrap key length out of range: " + keyLength);
        }
        byte[] key = in.readNBytes(keyLength);
        return new Bootstrap(address, key, in.readLong(), in.readUTF(), Role.valueOf(in.readUTF()), in.readUTF(),
                in.readLong());
    }
}
