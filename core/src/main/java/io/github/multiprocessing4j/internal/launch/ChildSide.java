package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import java.io.IOException;
import java.io.InputStream;

/** The child's half of a launch: read the bootstrap from stdin, take on the given identity, connect back. */
public final class ChildSide {
    private ChildSide() {}

    public static Bootstrap readBootstrap() throws IOException {
        Bootstrap bootstrap = Bootstrap.readFrom(System.in);
        System.setIn(InputStream.nullInputStream());
        Identity.becomeChild(bootstrap.name(), new ProcessInfo(bootstrap.parentName(), bootstrap.parentPid()));
        return bootstrap;
    }

    public static Channel connect(Bootstrap bootstrap) throws IOException {
        Channel channel = Channel.connect(bootstrap.address());
        Handshake.answer(channel, bootstrap.key(), bootstrap.childId(), ProcessHandle.current().pid());
        return channel;
    }
}
