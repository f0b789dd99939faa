package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.io.InputStream;

/**
 * The child's half of a launch: read the bootstrap from stdin, connect back and prove the key, then wait
 * for the parent to say who this child is ({@link Message.Assign}) and take on that identity.
 */
public final class ChildSide {
    /**
     * Exit code of a child that could not connect back or prove the key: its parent's socket refused or
     * dropped it (too many connections waiting there, say). Not the child's fault: a pool retries.
     */
    public static final int CANNOT_CONNECT = 2;

    private ChildSide() {}

    public static Bootstrap readBootstrap() throws IOException {
        Bootstrap bootstrap = Bootstrap.readFrom(System.in);
        System.setIn(InputStream.nullInputStream());
        return bootstrap;
    }

    public static Channel connect(Bootstrap bootstrap) throws IOException {
        Channel channel = Channel.connect(bootstrap.address());
        Handshake.answer(channel, bootstrap.key(), bootstrap.childId(), bootstrap.pid(), bootstrap.nonce());
        return channel;
    }

    /**
     * Takes on the identity that the parent's first message, its {@link Message.Assign}, gives.
     *
     * @throws IOException if the first message is something else
     */
    public static Message.Assign assume(Message first, Bootstrap bootstrap) throws IOException {
        if (!(first instanceof Message.Assign assign)) {
            throw new IOException("expected ASSIGN from the parent but got " + first.getClass().getSimpleName());
        }
        Identity.becomeChild(assign.name(), bootstrap.pid(), new ProcessInfo(bootstrap.parentName(), bootstrap.parentPid()));
        return assign;
    }
}
