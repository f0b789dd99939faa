package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.ReflectiveObject;
import io.github.multiprocessing4j.internal.hub.Registry;
import io.github.multiprocessing4j.internal.hub.RegistryRequest;
import io.github.multiprocessing4j.internal.hub.RemoteInvoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Shared objects held by a server and used through proxies: Python's {@code multiprocessing.Manager}.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     Map<String, Integer> counts = manager.dict();
 *     BiFunction<Integer, Integer, Integer> sum = (BiFunction<Integer, Integer, Integer> & Serializable) Integer::sum;
 *     pool.map(word -> counts.merge(word, 1, sum), words);   // each merge runs in the manager, atomically
 * }
 * }</pre>
 *
 * <p>{@link #dict()} and {@link #list()} return proxies that implement {@link Map} and {@link List}; each
 * call runs on the object in the manager, atomically. {@link #register} shares an object of your own
 * through an interface it implements. Proxies, like queues and locks, pass to other processes as
 * arguments. {@link #listen} makes the manager reachable from other JVMs over TCP with a key of your
 * choosing; they find objects by the names given to {@link #publish}, with {@link #connect}.
 *
 * <p>When a client process ends, what it held is released: a lock it owned is freed, permits it took are
 * returned if it died (not if it exited normally), pipe ends it used count as closed. A client on this
 * host counts as running while its process does. A client on another host (connected over TCP from an
 * address that is not this host's) cannot be watched from here, so it counts as running while it has a
 * connection open to this manager, and as ended when its last connection closes: a network failure that
 * cuts every connection of a live client releases what it held.
 *
 * <h2>Security: the key is the whole of the trust</h2>
 * As with Python's {@code authkey}, whoever holds the key is trusted: a client that proved it sends
 * serialized objects that this JVM deserializes, and calls methods on the shared objects it can reach. Give
 * the key only to programs you would let run code in this JVM, and prefer a loopback or private address
 * for {@link #listen}. Limits that hold even against a key holder: frames and decoded arrays or lists never
 * make this JVM allocate much beyond the bytes actually received, and the connections waiting to
 * authenticate on one entrance cannot keep other entrances or children from connecting. Not yet: there is
 * no class allowlist of its own (use the JDK's {@code jdk.serialFilter}, which this library honours and
 * merges with its own size limits), and objects are reachable by their numeric id, not only by the names
 * given to {@link #publish}.
 *
 * <h2>Comparison with Python</h2>
 * Python starts a separate server process; here the objects live in the JVM that started the manager
 * (no extra JVM start-up) and end with it. Collection views and iterators obtained through a proxy
 * ({@code keySet()}, {@code iterator()}) are snapshots: changing them does not change the shared object.
 * A function argument that is not serializable makes a default method such as {@code merge} run in the
 * calling process as several calls, so it is not atomic; make the lambda or method reference serializable
 * (a cast to an intersection with {@link java.io.Serializable}, as above) to run it in the manager.
 * Objects made by {@link #queue()}, {@link #lock()} and the others live until {@link #close()} or the exit
 * of this JVM. After {@code close()} the manager makes nothing new.
 */
public final class Manager implements AutoCloseable {
    private final HubServer hub = HubServer.local();
    private final Registry registry = new Registry();
    /** Ids of the objects made through this manager; guarded by itself. */
    private final List<Long> hostedIds = new ArrayList<>();
    private HubServer entrance;
    private volatile boolean closed;

    private Manager() {}

    /** A manager hosted by this JVM. */
    public static Manager start() {
        return new Manager();
    }

    /** A shared {@code HashMap}, through a proxy. */
    public <K, V> Map<K, V> dict() {
        requireOpen();
        @SuppressWarnings("unchecked")
        Map<K, V> proxy = register(Map.class, new HashMap<K, V>());
        return proxy;
    }

    /** A shared {@code ArrayList}, through a proxy. */
    public <E> List<E> list() {
        @SuppressWarnings("unchecked")
        List<E> proxy = register(List.class, new ArrayList<E>());
        return proxy;
    }

    /** A shared set of named values. */
    public Namespace namespace() {
        return new Namespace(dict());
    }

    public <T> Queue<T> queue() {
        Queue<T> queue = new Queue<>();
        return hosted(queue, queue.handle);
    }

    public Lock lock() {
        Lock lock = new Lock();
        return hosted(lock, lock.handle);
    }

    public RLock rlock() {
        RLock lock = new RLock();
        return hosted(lock, lock.handle);
    }

    public Event event() {
        Event event = new Event();
        return hosted(event, event.handle);
    }

    /** Records an object made through this manager, so that {@link #close()} releases it. */
    private <T> T hosted(T object, Handle handle) {
        requireOpen();
        synchronized (hostedIds) {
            hostedIds.add(handle.objectId());
        }
        return object;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this manager is closed");
        }
    }

    /**
     * Shares {@code object} through {@code type}: the proxy returned implements {@code type} and forwards
     * every call to {@code object}, which stays here. Only {@code type}'s methods can be called.
     *
     * @throws IllegalArgumentException if {@code type} is not an interface {@code object} implements
     */
    public <T> T register(Class<T> type, T object) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
        requireOpen();
        Handle handle = hub.register(new ReflectiveObject(object, type));
        return hosted(RemoteInvoker.proxy(type, handle), handle);
    }

    /** Makes a shared object (a proxy, queue, lock, …) findable under {@code name} by {@link Remote#lookup}. */
    public void publish(String name, Object shared) {
        registry.publish(Objects.requireNonNull(name, "name"), Objects.requireNonNull(shared, "shared"));
    }

    /**
     * Accepts connections from other JVMs on {@code host}:{@code port} (0 picks a free port), from clients
     * that know {@code authKey}; a client with another key is refused before any call is read.
     *
     * @return the address to give to {@link #connect}, such as {@code tcp:127.0.0.1:40123}
     */
    public synchronized String listen(InetAddress host, int port, byte[] authKey) {
        requireOpen();
        if (entrance != null) {
            throw new IllegalStateException("this manager already listens at " + entrance.address());
        }
        if (Objects.requireNonNull(authKey, "authKey").length < 16) {
            throw new IllegalArgumentException("authKey must be at least 16 bytes but was " + authKey.length);
        }
        try {
            entrance = hub.listenTcp(host, port, authKey.clone(), registry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return entrance.address();
    }

    /** A client for a manager in another JVM that {@linkplain #listen listens} at {@code address}. */
    public static Remote connect(String address, byte[] authKey) {
        Objects.requireNonNull(address, "address");
        if (Objects.requireNonNull(authKey, "authKey").length < 16) {
            throw new IllegalArgumentException("authKey must be at least 16 bytes but was " + authKey.length);
        }
        return new Remote(address, authKey.clone());
    }

    /** Stops listening and releases the objects registered through this manager. */
    @Override
    public synchronized void close() {
        closed = true;
        if (entrance != null) {
            entrance.close();
            entrance = null;
        }
        synchronized (hostedIds) {
            hostedIds.forEach(hub::unregister);
            hostedIds.clear();
        }
    }

    /** A connection to a manager in another JVM. */
    public static final class Remote {
        private final String address;
        private final byte[] authKey;

        private Remote(String address, byte[] authKey) {
            this.address = address;
            this.authKey = authKey;
        }

        /**
         * The object published under {@code name}.
         *
         * @throws java.util.NoSuchElementException if nothing is published under it
         * @throws MultiprocessingException if the manager cannot be reached or refuses the key
         */
        public <T> T lookup(String name, Class<T> type) {
            return type.cast(Handle.callRoot(address, authKey, new RegistryRequest.Lookup(name)));
        }

        public Set<String> names() {
            return Handle.callRoot(address, authKey, new RegistryRequest.Names());
        }
    }
}
