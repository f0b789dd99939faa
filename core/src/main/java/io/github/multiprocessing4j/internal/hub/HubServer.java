package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.FrameCodec;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Listener;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Hosts shared objects (queues, locks, events, manager objects) in the process that created them, and
 * answers calls on them from any process that holds a {@link Handle}.
 *
 * <p>Each process has one local hub, started with its first shared object, listening on a Unix domain
 * socket in a private directory (or TCP loopback) under a random key of its own. A manager can open a
 * further entrance on a TCP port with a key the user chooses, for other JVMs. Connections prove the key
 * with the same HMAC challenge as child channels ({@link Handshake}) before the hub reads a single call, so
 * a client with a wrong key is refused (told so) without anything being executed, and the hub proves the
 * key in turn before the client decodes anything from it.
 *
 * <p>Each {@code TASK} frame carries one {@link HubFrame}: a call on one object, a batch of asynchronous
 * sends, the caller's normal-exit notice, or a call on the entrance's root (a manager's registry). Calls
 * that move items (puts, gets, pipe sends and receives, and batches of them) come instead in their compact
 * form ({@link HubWire}) in a {@code PARTS} frame, and are answered in the same form.
 */
public final class HubServer {
    /*
     * Threads: one accept thread per entrance, and one thread per connection that reads a frame, runs it
     * and writes the answer; a blocking call (a get on an empty queue) therefore blocks only its own
     * connection. Calls from this process run on the caller's thread (see HubClient).
     *
     * Objects are known by random 128-bit ids (ObjectId), not by a counter, so a connection reaches only the
     * objects whose handles it was handed: a key holder of a manager's entrance who tries ids finds nothing.
     *
     * Entrances of one hub share the hosted objects and the Peers: a process is one peer
     * however many connections it has through however many entrances, and its exit is handled once (every
     * hosted object is told, so locks and permits held by a dead process are released).
     */
    private static volatile HubServer local;
    /** Every entrance of this process's hub, closed by the last exit step. */
    private static final Set<HubServer> ENTRANCES = ConcurrentHashMap.newKeySet();

    private final Listener listener;
    /** Connections open through this entrance, closed with it. */
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final byte[] key;
    private final Map<ObjectId, HubObject> objects;
    private final Peers peers;
    /** What a {@link HubFrame.RootCall} reaches at this entrance (a manager's registry), or null. */
    private final Registry root;
    /** The hub this is a further entrance of, whose handles are rewritten to this one in answers; or null. */
    private final HubServer entranceOf;
    /** Classes that frames arriving here may contain besides the always allowed ones; null for any class. */
    private final Predicate<Class<?>> classes;

    /** Opens the entrance: a private socket for this process's own hub, else TCP on {@code host:port}. */
    private HubServer(InetAddress host, int port, byte[] key, Map<ObjectId, HubObject> objects,
            Peers peers, Registry root, HubServer entranceOf, Predicate<Class<?>> classes) throws IOException {
        this.classes = classes;
        this.key = key;
        this.objects = objects;
        this.peers = peers;
        this.root = root;
        this.entranceOf = entranceOf;
        this.listener = host == null ? Listener.privateSocket("hub", this::serve) : Listener.tcp(host, port, "hub", this::serve);
        ENTRANCES.add(this);
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
                ExitSequence.add(ExitSequence.Step.CLOSE_HUB, () -> ENTRANCES.forEach(HubServer::close));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the socket shared objects are served on: " + e.getMessage(), e);
            }
        }
        return local;
    }

    private static HubServer openLocal() throws IOException {
        Map<ObjectId, HubObject> objects = new ConcurrentHashMap<>();
        Peers peers = Peers.ofThisHost((pid, died) -> objects.values().forEach(object -> object.processExited(pid, died)));
        return new HubServer(null, 0, Handshake.newKey(), objects, peers, null, null, null);
    }

    /**
     * A further entrance to this process's hub, on TCP, with its own key: what {@code Manager} uses to be
     * reachable from other JVMs. It serves the same objects; its root is {@code root}. Shared objects in
     * its answers are rewritten to point at this entrance, so a client that only knows this address and key
     * can use them. Frames arriving through it are decoded accepting only the classes {@code classes}
     * accepts, besides the JDK's value types and this library's classes ({@link Codec#decode(byte[], Predicate)});
     * null accepts any class.
     */
    public HubServer listenTcp(InetAddress host, int port, byte[] tcpKey, Registry root, Predicate<Class<?>> classes)
            throws IOException {
        return new HubServer(host, port, tcpKey, objects, peers, root, this, classes);
    }

    public String address() {
        return listener.address();
    }

    public byte[] key() {
        return key.clone();
    }

    /** Hosts {@code object} and returns the handle others reach it by. */
    public Handle register(HubObject object) {
        ObjectId id = ObjectId.random();
        if (objects.putIfAbsent(id, object) != null) {
            throw new IllegalStateException("two shared objects drew the same random id " + id);
        }
        return new Handle(address(), key, id);
    }

    /** The handle of an object already hosted, as reached through this entrance. */
    public Handle handleFor(ObjectId objectId) {
        return new Handle(address(), key, objectId);
    }

    public void unregister(ObjectId objectId) {
        objects.remove(objectId);
    }

    /** A caller of this hub: thread {@code threadId} of process {@code pid}, alive as this hub's peers say. */
    Caller caller(long pid, long threadId) {
        return new Caller(pid, threadId, peers);
    }

    /** Runs {@code request} on object {@code objectId}, for a connection or for this process directly. */
    <R> R invoke(Caller caller, ObjectId objectId, Request<R> request) throws Exception {
        HubObject object = objects.get(objectId);
        if (object == null) {
            throw new IllegalStateException("shared object " + objectId + " does not exist in process "
                    + Identity.current() + ": it was closed, or this id was never handed out");
        }
        return request.dispatch(object, caller);
    }

    /** Runs {@code request} on this entrance's root. */
    <R> R invokeRoot(Caller caller, RegistryRequest<R> request) {
        if (root == null) {
            throw new IllegalStateException("the hub at " + address() + " is not a manager's entrance: connect to "
                    + "the address returned by Manager.listen");
        }
        return request.dispatch(root, caller);
    }

    /**
     * Runs every call of a feeder batch, in order, even after one fails (a send to a closed pipe must not
     * drop the puts after it); then reports the first failure.
     */
    void invokeBatch(long pid, List<HubFrame.Call> batch) throws Exception {
        Exception first = null;
        int start = 0;
        while (start < batch.size()) {
            int end = runOfCallsTo(batch, start);
            // A queue guards itself with its monitor: holding it across a run of puts to it wakes its readers
            // once per run instead of once per item. Their waits release it, so nothing is held up. A pipe is
            // left out: a send to an inbox kept elsewhere is passed on, never while holding the pipe's monitor.
            HubObject object = objects.get(batch.get(start).objectId());
            if (object instanceof PipeState pipe && pipe.sendRun(pid, batch.subList(start, end))) {
                start = end;
                continue;
            }
            Object monitor = object instanceof QueueState ? object : new Object();
            synchronized (monitor) {
                for (HubFrame.Call call : batch.subList(start, end)) {
                    try {
                        call.runAt(this, pid);
                    } catch (Exception e) {
                        if (first == null) {
                            first = e;
                        }
                    }
                }
            }
            start = end;
        }
        if (first != null) {
            throw first;
        }
    }

    /** The end of the run of calls from {@code start} that go to the same object. */
    private static int runOfCallsTo(List<HubFrame.Call> batch, int start) {
        ObjectId target = batch.get(start).objectId();
        int end = start + 1;
        while (end < batch.size() && batch.get(end).objectId().equals(target)) {
            end++;
        }
        return end;
    }

    /** Takes in an inbox of pipe {@code pipe} that another process's replica hands here ({@link PipeState}). */
    void adoptInbox(ObjectId pipe, PipeState.Handover handover) {
        HubServer home = entranceOf == null ? this : entranceOf;
        boolean[] made = new boolean[1];
        HubObject replica = objects.computeIfAbsent(pipe, id -> {
            made[0] = true;
            return PipeState.adopted(home.handleFor(id), handover.opener());
        });
        if (!(replica instanceof PipeState state)) {
            throw new IllegalStateException("shared object " + pipe + " is not a pipe");
        }
        state.adopt(handover, made[0]);
    }

    /** Pipe {@code pipe}'s inbox of {@code end} is kept at {@code keeper} now: this process's routes and replica learn it. */
    void inboxMoved(ObjectId pipe, int end, Handle keeper) {
        if (objects.get(pipe) instanceof PipeState replica) {
            replica.movedOn(end, keeper);
        }
        PipeRoutes.told(pipe, end, keeper);
    }

    /** Tells this hub's objects when {@code pid} exits, as for a peer, though it may never connect. */
    void watch(long pid) {
        peers.watch(pid);
    }

    /**
     * At this process's normal exit, hands the pipe inboxes kept here to processes that still use them
     * (see {@link PipeState#handOverAtExit()}).
     */
    void handOverPipes() {
        for (HubObject object : objects.values()) {
            if (object instanceof PipeState pipe) {
                pipe.handOverAtExit();
            }
        }
    }

    /** Process {@code pid} exits normally: what it holds was used, not lost. */
    void exitingNormally(long pid) {
        peers.exitingNormally(pid);
    }

    /** Closes this entrance and the connections made through it; objects stay hosted for the others. */
    public void close() {
        ENTRANCES.remove(this);
        listener.close();
        connections.forEach(Channel::close);
    }

    private void serve(Channel channel) {
        long pid = -1;
        connections.add(channel);
        try (channel) {
            long peer = Handshake.challenge(channel, key).pid();
            channel.enlargeBuffers(ConnectionPool.SOCKET_BUFFER);
            listener.authenticated(channel);
            peers.opened(peer, Peers.onThisHost(channel.remoteAddress()));
            pid = peer;
            // This process's own hub is reached only by its family (the key travels with its handles), so an
            // item's announced length is allocated whole; a manager's entrance grows arrays with the bytes.
            int allocateAhead = entranceOf == null ? Integer.MAX_VALUE : 0;
            while (true) {
                Message message = channel.receive(FrameCodec.MAX_LARGE_FRAME_LENGTH, allocateAhead);
                if (message instanceof Message.Task task) {
                    channel.send(answer(pid, task));
                } else if (message instanceof Message.Parts parts) {
                    channel.send(answerCompact(pid, parts));
                }
            }
        } catch (IOException e) {
            // The client closed the connection or was refused.
        } finally {
            connections.remove(channel);
            if (pid > 0) {
                peers.closed(pid);
            }
        }
    }

    private Message.Outcome answer(long pid, Message.Task task) {
        HubFrame frame;
        try {
            frame = (HubFrame) Codec.decode(task.payload(), classes);
        } catch (RuntimeException e) {
            return failure(task.taskId(), e);
        }
        try {
            Object result = frame.runAt(this, pid);
            return new Message.Outcome(task.taskId(), true, Codec.encode(result, "result of " + frame.describe(),
                    entranceOf == null ? null : this::pointHere));
        } catch (Exception | Error e) {
            return failure(task.taskId(), e);
        }
    }

    /** Runs a call that came in its compact form ({@link HubWire}) and answers in the same form where it can. */
    private Message answerCompact(long pid, Message.Parts parts) {
        HubFrame frame;
        try {
            frame = HubWire.readRequest(parts.parts());
        } catch (RuntimeException e) {
            return failure(parts.id(), e);
        }
        try {
            Object result = frame.runAt(this, pid);
            Message compact = HubWire.answer(parts.id(), result);
            return compact != null ? compact
                    : new Message.Outcome(parts.id(), true, Codec.encode(result, "result of " + frame.describe(),
                            entranceOf == null ? null : this::pointHere));
        } catch (Exception | Error e) {
            return failure(parts.id(), e);
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
