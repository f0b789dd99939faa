package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls objects hosted by one hub. Calls to this process's own hub run directly, without a socket (their
 * arguments are still encoded by the caller, so sharing behaves the same everywhere). Calls to another
 * process's hub take a connection from a small pool, so that a call that blocks (a {@code get} waiting for
 * an item) holds one connection and other threads go on with others.
 *
 * <p>Blocking calls cannot be interrupted while they wait in the other process; every blocking operation of
 * the public API has a timeout form for that reason.
 */
final class HubClient {
    private static final Map<String, HubClient> CLIENTS = new ConcurrentHashMap<>();

    private final String address;
    private final byte[] key;
    /** Whether the hub is this process's own: calls then run directly. */
    private final boolean local;
    private final AtomicLong callIds = new AtomicLong();
    /** Connections not in use; guarded by itself. */
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    private HubClient(String address, byte[] key) {
        this.address = address;
        this.key = key;
        HubServer localHub = HubServer.localIfStarted();
        this.local = localHub != null && localHub.address().equals(address);
    }

    static HubClient of(String address, byte[] key) {
        String id = address + "#" + java.util.Base64.getEncoder().encodeToString(key);
        return CLIENTS.computeIfAbsent(id, ignored -> new HubClient(address, key));
    }

    Object call(long objectId, String method, Object... args) {
        long threadId = Thread.currentThread().getId();
        if (local) {
            try {
                return HubServer.localIfStarted().invoke(
                        new HubObject.Caller(ProcessHandle.current().pid(), threadId), objectId, method, args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new MultiprocessingException("shared object call " + method + " failed: " + e, e);
            }
        }
        byte[] payload = Codec.encode(new HubCall(objectId, method, threadId, args), "arguments of " + method);
        Channel channel = checkout();
        Message reply;
        try {
            channel.send(new Message.Task(callIds.incrementAndGet(), payload));
            reply = channel.receive();
        } catch (IOException e) {
            channel.close();
            throw new MultiprocessingException("lost the connection to the process that owns this shared object, at "
                    + address + " (" + method + " failed): it has probably exited", e);
        }
        checkin(channel);
        if (!(reply instanceof Message.Outcome outcome)) {
            throw new MultiprocessingException("unexpected reply from the hub at " + address + ": " + reply);
        }
        if (outcome.success()) {
            return Codec.decode(outcome.payload());
        }
        Throwable failure = ThrowableTransport.decode(outcome.payload());
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new MultiprocessingException("shared object call " + method + " failed: " + failure, failure);
    }

    private Channel checkout() {
        synchronized (idle) {
            Channel channel = idle.poll();
            if (channel != null) {
                return channel;
            }
        }
        Channel channel;
        Message welcome;
        try {
            channel = Channel.connect(address);
            Handshake.answer(channel, key, 0, ProcessHandle.current().pid());
            welcome = channel.receive();
        } catch (IOException e) {
            throw new MultiprocessingException("cannot reach the process that owns this shared object at " + address
                    + " (" + e.getMessage() + "): it has exited", e);
        }
        if (!(welcome instanceof Message.Outcome outcome) || !outcome.success()) {
            channel.close();
            throw new MultiprocessingException("the process at " + address + " refused the connection: the key is wrong"
                    + " (give the same authentication key as the manager's listen call)");
        }
        return channel;
    }

    private void checkin(Channel channel) {
        synchronized (idle) {
            idle.push(channel);
        }
    }
}
