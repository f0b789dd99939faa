package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Listener;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hosts shared objects (queues, locks, events, manager objects) in the process that created them, and
 * answers calls on them from any process that holds a {@link Handle}.
 *
 * <p>Each process has one local hub, started with its first shared object, listening on a Unix domain
 * socket in a private directory (or TCP loopback) under a random key of its own. A manager can open a
 * further hub on a TCP port with a key the user chooses, for other JVMs. Connections prove the key with the
 * same HMAC challenge as child channels ({@link Handshake}) before the hub reads a single call, so a
 * client with a wrong key is refused (told so) without anything being executed, and the hub proves the key
 * in turn before the client decodes anything from it.
 *
 * <p>Threads: one accept thread, and one thread per connection that reads a call, runs it, and writes the
 * answer; a blocking call (a {@code get} on an empty queue) therefore blocks only its own connection. When
 * a connection closes and its process is gone, every hosted object is told, so locks and permits held by
 * the dead process are released.
 */
public final class HubServer {
    private static volatile HubServer local;

    private final Listener listener;
    /** Processes that announced a normal exit (see {@link HubClient}); shared by every entrance. */
    private static final java.util.Set<Long> exitedNormally = ConcurrentHashMap.newKeySet();
    /** Object id that means "the calling process is exiting normally". */
    static final long EXITING = -2;
    /** Connections open through this entrance, closed with it. */
    private final java.util.Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final byte[] key;
    private final Map<Long, HubObject> objects;
    private final AtomicLong ids;
    /** What object id 0 means at this entrance (a manager's registry), or null. */
    private final HubObject root;
    /** The hub this is a further entrance of, whose handles are rewritten to this one in answers; or null. */
    private final HubServer entranceOf;

    /** Opens the entrance: a private socket for this process's own hub, else TCP on {@code host:port}. */
    private HubServer(InetAddress host, int port, byte[] key, Map<Long, HubObject> objects, AtomicLong ids,
            HubObject root, HubServer entranceOf) throws IOException {
        this.key = key;
        this.objects = objects;
        this.ids = ids;
        this.root = root;
        this.entranceOf = entranceOf;
        this.listener = host == null ? Listener.privateSocket("hub", this::serve) : Listener.tcp(host, port, "hub", this::serve);
    }

    /** This process's hub if it was started, else null. */
    static HubServer localIfStarted() {
        return local;
    }

    /** This process's hub, started on first use. */
    public static synchronized HubServer local() {
        if (local == null) {
            try {
                local = openLocal();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the socket shared objects are served on: " + e.getMessage(), e);
            }
        }
        return local;
    }

    private static HubServer openLocal() throws IOException {
        return new HubServer(null, 0, Handshake.newKey(), new ConcurrentHashMap<>(), new AtomicLong(), null, null);
    }

    /**
     * A further entrance to this process's hub, on TCP, with its own key: what {@code Manager} uses to be
     * reachable from other JVMs. It serves the same objects; object id 0 there means {@code root}. Shared
     * objects in its answers are rewritten to point at this entrance, so a client that only knows this
     * address and key can use them.
     */
    public HubServer listenTcp(InetAddress host, int port, byte[] tcpKey, HubObject root) throws IOException {
        return new HubServer(host, port, tcpKey, objects, ids, root, this);
    }

    public String address() {
        return listener.address();
    }

    public byte[] key() {
        return key.clone();
    }

    /** Hosts {@code object} and returns the handle others reach it by. */
    public Handle register(HubObject object) {
        long id = ids.incrementAndGet();
        objects.put(id, object);
        return new Handle(address(), key, id);
    }

    /** The handle of an object already hosted, as reached through this entrance. */
    public Handle handleFor(long objectId) {
        return new Handle(address(), key, objectId);
    }

    public void unregister(long objectId) {
        objects.remove(objectId);
    }

    /** Runs a call, from a connection or from this process directly. */
    Object invoke(HubObject.Caller caller, long objectId, String method, Object[] args) throws Exception {
        if (objectId == HubClient.BATCH) {
            return invokeBatch(caller, args);
        }
        if (objectId == EXITING) {
            exitedNormally.add(caller.pid());
            return null;
        }
        HubObject object = objectId == 0 && root != null ? root : objects.get(objectId);
        if (object == null) {
            throw new IllegalStateException("shared object " + objectId + " does not exist in process "
                    + Identity.current() + ": it was closed");
        }
        return object.call(caller, method, args);
    }

    /**
     * Runs every call of a feeder batch, in order, even after one fails (a send to a closed pipe must not
     * drop the puts after it); then reports the first failure.
     */
    private Object invokeBatch(HubObject.Caller caller, Object[] args) throws Exception {
        @SuppressWarnings("unchecked")
        java.util.List<HubCall> batch = (java.util.List<HubCall>) args[0];
        Exception first = null;
        for (HubCall call : batch) {
            try {
                invoke(new HubObject.Caller(caller.pid(), call.threadId()), call.objectId(), call.method(), call.args());
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return null;
    }

    /** Closes this entrance and the connections made through it; objects stay hosted for the others. */
    public void close() {
        listener.close();
        connections.forEach(Channel::close);
    }

    private void serve(Channel channel) {
        long pid = -1;
        connections.add(channel);
        try (channel) {
            pid = Handshake.challenge(channel, key).pid();
            while (true) {
                Message message = channel.receive();
                if (message instanceof Message.Task task) {
                    channel.send(answer(pid, task));
                }
            }
        } catch (IOException e) {
            // The client closed the connection or was refused.
        } finally {
            connections.remove(channel);
            if (pid > 0) {
                long client = pid;
                // The connection closes as the process exits; tell the objects once it is really gone.
                ProcessHandle.of(client).map(ProcessHandle::onExit)
                        .orElse(java.util.concurrent.CompletableFuture.completedFuture(null))
                        .thenRun(() -> {
                            boolean died = !exitedNormally.remove(client);
                            objects.values().forEach(object -> object.processExited(client, died));
                        });
            }
        }
    }

    private Message.Outcome answer(long pid, Message.Task task) {
        HubCall call;
        try {
            call = (HubCall) Codec.decode(task.payload());
        } catch (RuntimeException e) {
            return failure(task.taskId(), e);
        }
        try {
            Object result = invoke(new HubObject.Caller(pid, call.threadId()), call.objectId(), call.method(), call.args());
            return new Message.Outcome(task.taskId(), true, Codec.encode(result, "result of " + call.method(),
                    entranceOf == null ? null : this::pointHere));
        } catch (Exception | Error e) {
            return failure(task.taskId(), e);
        }
    }

    /** Rewrites handles of the hub this entrance serves so they lead through this entrance. */
    private Object pointHere(Object value) {
        if (value instanceof Handle handle && handle.address().equals(entranceOf.address())) {
            return handleFor(handle.objectId());
        }
        return value;
    }

    private static Message.Outcome failure(long callId, Throwable e) {
        var self = Identity.current();
        return new Message.Outcome(callId, false, ThrowableTransport.encode(e, self.name(), self.pid()));
    }
}
