package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.ObjectId;
import io.github.multiprocessing4j.internal.hub.ReflectiveObject;
import io.github.multiprocessing4j.internal.hub.Registry;
import io.github.multiprocessing4j.internal.hub.RegistryRequest;
import io.github.multiprocessing4j.internal.hub.RemoteInvoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
 * authenticate on one entrance cannot keep other entrances or children from connecting. A client reaches
 * only the objects it was handed: those {@linkplain #publish published} (through {@code lookup}), those
 * in answers to its calls, and those passed to it; objects have random 128-bit ids, so one that was never
 * handed out cannot be found by trying ids. What a client sends is decoded against a
 * {@link ClassAllowlist} (by default, on any address but loopback, the JDK's value types and this
 * library's classes only), so a class outside it is refused before any of its code runs; the JDK's
 * {@code jdk.serialFilter}, when set, is honoured too and can refuse more. Not guarded: a key holder can
 * call every method of the interfaces of the objects it reaches, and allowed classes run their own
 * serialization code.
 *
 * <h2>Comparison with Python</h2>
 * Python starts a separate server process; here the objects live in the JVM that started the manager
 * (no extra JVM start-up) and end with it. Collection views and iterators obtained through a proxy
 * ({@code keySet()}, {@code iterator()}) are snapshots: changing them does not change the shared object.
 * A function argument that is not serializable makes a default method such as {@code merge} run in the
 * calling process as several calls, so it is not atomic; make the lambda or method reference serializable
 * (a cast to an intersection with {@link java.io.Serializable}, as above) to run it in the manager.
 * Python's typecode argument of {@code Value} and {@code Array} is not needed: {@link #value} and
 * {@link #array} hold any serializable objects. There is no {@code manager.Pool}; create a {@link Pool}.
 * Objects made by {@link #queue()}, {@link #lock()} and the others live until {@link #close()} or the exit
 * of this JVM. After {@code close()} the manager makes nothing new. As in Python, arguments and results are
 * copies, also for calls from the manager's own JVM: after {@code d.put("k", list)}, changing
 * {@code list} does not change {@code d.get("k")}.
 */
public final class Manager implements AutoCloseable {
    private final HubServer hub = HubServer.local();
    private final Registry registry = new Registry();
    /** Ids of the objects made through this manager; guarded by itself. */
    private final List<ObjectId> hostedIds = new ArrayList<>();
    private HubServer entrance;
    private volatile boolean closed;

    private Manager() {}

    /**
     * A manager hosted by this JVM.
     *
     * @return a new, open manager; close it to release what it holds
     */
    public static Manager start() {
        return new Manager();
    }

    /**
     * A shared {@code HashMap}, through a proxy.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @return a {@link Map} proxy; keys and values are copied (serialized) on every call
     * @throws IllegalStateException if this manager is closed
     */
    public <K, V> Map<K, V> dict() {
        requireOpen();
        @SuppressWarnings("unchecked")
        Map<K, V> proxy = register(Map.class, new HashMap<K, V>());
        return proxy;
    }

    /**
     * A shared {@code ArrayList}, through a proxy.
     *
     * @param <E> the type of the elements
     * @return a {@link List} proxy; elements are copied (serialized) on every call
     * @throws IllegalStateException if this manager is closed
     */
    public <E> List<E> list() {
        @SuppressWarnings("unchecked")
        List<E> proxy = register(List.class, new ArrayList<E>());
        return proxy;
    }

    /**
     * A shared set of named values.
     *
     * @return Python's {@code manager.Namespace()}: attributes set in one process are seen by all
     * @throws IllegalStateException if this manager is closed
     */
    public Namespace namespace() {
        return new Namespace(dict());
    }

    /**
     * A shared set, through a proxy (a {@code HashSet} in the manager).
     *
     * @param <E> the type of the elements
     * @return a {@link Set} proxy; elements are copied (serialized) on every call
     * @throws IllegalStateException if this manager is closed
     */
    public <E> Set<E> set() {
        @SuppressWarnings("unchecked")
        Set<E> proxy = register(Set.class, new HashSet<E>());
        return proxy;
    }

    /**
     * A shared value read and written through a proxy: Python's {@code manager.Value(typecode, value)},
     * whose {@code .value} is {@link ValueProxy#get()} and {@link ValueProxy#set}. Unlike
     * {@link Value}, it holds any serializable object and is reachable from other machines.
     *
     * @param <T> the type of the value
     * @param initial the value it starts with; may be null; must be serializable to reach other processes
     * @return its proxy
     * @throws IllegalStateException if this manager is closed
     */
    public <T> ValueProxy<T> value(T initial) {
        @SuppressWarnings("unchecked")
        ValueProxy<T> proxy = register(ValueProxy.class, new ValueHolder<T>(initial));
        return proxy;
    }

    /**
     * A shared fixed-length array, through a {@link List} proxy whose {@code get}, {@code set} and
     * {@code size} work and whose {@code add} and {@code remove} throw {@link UnsupportedOperationException}:
     * Python's {@code manager.Array(typecode, sequence)}, holding a copy of {@code values}.
     *
     * @param <E> the type of the elements
     * @param values the elements, copied in their iteration order; its size is the array's fixed length
     * @return a fixed-length {@link List} proxy
     * @throws IllegalStateException if this manager is closed
     */
    public <E> List<E> array(java.util.Collection<? extends E> values) {
        @SuppressWarnings("unchecked")
        List<E> fixedSize = (List<E>) Arrays.asList(values.toArray());
        @SuppressWarnings("unchecked")
        List<E> proxy = register(List.class, fixedSize);
        return proxy;
    }

    /**
     * An unbounded queue that lives until this manager closes: Python's {@code manager.Queue()}.
     *
     * @param <T> the type of the items
     * @return the queue; it passes to other processes as an argument
     * @throws IllegalStateException if this manager is closed
     */
    public <T> Queue<T> queue() {
        return queue(0);
    }

    /**
     * A queue holding at most {@code maxsize} items (0: no limit): Python's {@code manager.Queue(maxsize)}.
     *
     * @param <T> the type of the items
     * @param maxsize the most items it holds before {@code put} blocks; 0 for no limit
     * @return the queue; it passes to other processes as an argument
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws IllegalStateException if this manager is closed
     */
    public <T> Queue<T> queue(int maxsize) {
        Queue<T> queue = new Queue<>(maxsize);
        return hosted(queue, queue.handle);
    }

    /**
     * Python's {@code manager.JoinableQueue(maxsize)}; 0 means no limit.
     *
     * @param <T> the type of the items
     * @param maxsize the most items it holds before {@code put} blocks; 0 for no limit
     * @return the queue, whose {@code join()} waits until every item put was marked done
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws IllegalStateException if this manager is closed
     */
    public <T> JoinableQueue<T> joinableQueue(int maxsize) {
        JoinableQueue<T> queue = new JoinableQueue<>(maxsize);
        return hosted(queue, queue.handle);
    }

    /**
     * Python's {@code manager.Semaphore(value)}.
     *
     * @param permits the number of permits it starts with
     * @return the semaphore, shared by every process it is passed to
     * @throws IllegalStateException if this manager is closed
     */
    public Semaphore semaphore(int permits) {
        Semaphore semaphore = new Semaphore(permits);
        return hosted(semaphore, semaphore.handle);
    }

    /**
     * Python's {@code manager.BoundedSemaphore(value)}.
     *
     * @param permits the number of permits it starts with, also the most it may ever hold
     * @return the semaphore, whose {@code release} beyond {@code permits} throws
     * @throws IllegalStateException if this manager is closed
     */
    public BoundedSemaphore boundedSemaphore(int permits) {
        BoundedSemaphore semaphore = new BoundedSemaphore(permits);
        return hosted(semaphore, semaphore.handle);
    }

    /**
     * Python's {@code manager.Condition()}, with a new {@link RLock} of its own.
     *
     * @return the condition variable, shared by every process it is passed to
     * @throws IllegalStateException if this manager is closed
     */
    public Condition condition() {
        RLock lock = rlock();
        Condition condition = new Condition(lock);
        return hosted(condition, condition.handle);
    }

    /**
     * Python's {@code manager.Barrier(parties, action, timeout)}; {@code action} and {@code timeout} may be null.
     *
     * @param parties how many processes or threads must call {@code await} before all are released
     * @param action run by one of the parties when the last arrives, before any is released; null for none
     * @param timeout the default timeout of {@code await}; null for none
     * @return the barrier, shared by every process it is passed to
     * @throws IllegalStateException if this manager is closed
     */
    public Barrier barrier(int parties, SerializableRunnable action, java.time.Duration timeout) {
        Barrier barrier = new Barrier(parties, action, timeout);
        return hosted(barrier, barrier.handle);
    }

    /**
     * Python's {@code manager.Barrier(parties)}.
     *
     * @param parties how many processes or threads must call {@code await} before all are released
     * @return the barrier, with no action and no default timeout
     * @throws IllegalStateException if this manager is closed
     */
    public Barrier barrier(int parties) {
        return barrier(parties, null, null);
    }

    /**
     * Python's {@code manager.Lock()}: a lock shared by every process it is passed to, released if its owner's
     * process ends.
     *
     * @return the new lock
     * @throws IllegalStateException if this manager is closed
     */
    public Lock lock() {
        Lock lock = new Lock();
        return hosted(lock, lock.handle);
    }

    /**
     * Python's {@code manager.RLock()}: a reentrant lock shared by every process it is passed to.
     *
     * @return the new lock
     * @throws IllegalStateException if this manager is closed
     */
    public RLock rlock() {
        RLock lock = new RLock();
        return hosted(lock, lock.handle);
    }

    /**
     * Python's {@code manager.Event()}: a flag that processes set, clear and wait for.
     *
     * @return the new event, not set
     * @throws IllegalStateException if this manager is closed
     */
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
     * @param <T> the interface through which it is shared
     * @param type the interface; only its methods can be called through the proxy
     * @param object the object to share; it stays in this JVM, and calls on the proxy run on it one at a time
     * @return a proxy implementing {@code type}; it passes to other processes as an argument
     * @throws IllegalArgumentException if {@code type} is not an interface {@code object} implements
     * @throws IllegalStateException if this manager is closed
     */
    public <T> T register(Class<T> type, T object) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
        requireOpen();
        Handle handle = hub.register(new ReflectiveObject(object, type));
        return hosted(RemoteInvoker.proxy(type, handle), handle);
    }

    /**
     * Registers a type of shared object that this manager makes on request, here with {@link #create} or
     * from another JVM with {@link Remote#create}: Python's {@code BaseManager.register(typeid, callable)}.
     * Each creation calls {@code factory} in this JVM and shares the new object through {@code type}, whose
     * methods are the exposed ones (Python's {@code exposed}).
     *
     * @param <T> the interface through which each new object is shared
     * @param typeid the name by which clients ask for a new object
     * @param type the interface; its methods are the ones clients can call
     * @param factory makes each new object, in this JVM; must not return null
     * @throws IllegalArgumentException if {@code type} is not an interface
     * @throws IllegalStateException if {@code typeid} is already registered
     */
    public <T> void registerType(String typeid, Class<T> type, java.util.function.Supplier<? extends T> factory) {
        Objects.requireNonNull(typeid, "typeid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        if (!type.isInterface()) {
            throw new IllegalArgumentException("type must be an interface, the methods it exposes, but was " + type.getName());
        }
        requireOpen();
        registry.define(typeid, () -> register(type, Objects.requireNonNull(factory.get(), "the factory of " + typeid + " returned null")));
    }

    /**
     * A new object of a type registered with {@link #registerType}, as its proxy: Python's
     * {@code manager.typeid()}.
     *
     * @param <T> the interface the type was registered with
     * @param typeid the name given to {@link #registerType}
     * @param type the interface the type was registered with
     * @return a proxy of the new object
     * @throws java.util.NoSuchElementException if nothing is registered as {@code typeid}
     * @throws ClassCastException if {@code type} is not the registered interface
     * @throws IllegalStateException if this manager is closed
     */
    public <T> T create(String typeid, Class<T> type) {
        requireOpen();
        return type.cast(registry.create(Objects.requireNonNull(typeid, "typeid")));
    }

    /**
     * Makes a shared object (a proxy, queue, lock, …) findable under {@code name} by {@link Remote#lookup}.
     *
     * @param name the name clients give to {@link Remote#lookup}; a later {@code publish} of the same name replaces it
     * @param shared the object to hand out: a proxy from this manager, a queue, a lock or another shared object
     */
    public void publish(String name, Object shared) {
        registry.publish(Objects.requireNonNull(name, "name"), Objects.requireNonNull(shared, "shared"));
    }

    /**
     * Accepts connections from other JVMs on {@code host}:{@code port} (0 picks a free port), from clients
     * that know {@code authKey}; a client with another key is refused before any call is read. On a
     * loopback address every class is accepted in what clients send; on any other address only the JDK's
     * value types and this library's classes ({@link ClassAllowlist#jdkAndLibraryOnly()}): use
     * {@link #listen(InetAddress, int, byte[], ClassAllowlist)} to name your own.
     *
     * @param host the address to listen on; prefer a loopback or private one
     * @param port the TCP port; 0 picks a free one
     * @param authKey the shared secret clients must prove they know, at least 16 bytes (copied)
     * @return the address to give to {@link #connect}, such as {@code tcp:127.0.0.1:40123}
     * @throws IllegalArgumentException if {@code authKey} is shorter than 16 bytes
     * @throws IllegalStateException if this manager is closed or already listens
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public String listen(InetAddress host, int port, byte[] authKey) {
        Objects.requireNonNull(host, "host");
        return listen(host, port, authKey, host.isLoopbackAddress() ? ClassAllowlist.any() : ClassAllowlist.jdkAndLibraryOnly());
    }

    /**
     * Like {@link #listen(InetAddress, int, byte[])}, accepting in what clients send only the classes
     * {@code allowlist} accepts: a class outside it is refused before any of its code runs.
     *
     * @param host the address to listen on; prefer a loopback or private one
     * @param port the TCP port; 0 picks a free one
     * @param authKey the shared secret clients must prove they know, at least 16 bytes (copied)
     * @param allowlist the classes accepted in what clients send; {@link ClassAllowlist#any()} for all
     * @return the address to give to {@link #connect}, such as {@code tcp:127.0.0.1:40123}
     * @throws IllegalArgumentException if {@code authKey} is shorter than 16 bytes
     * @throws IllegalStateException if this manager is closed or already listens
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized String listen(InetAddress host, int port, byte[] authKey, ClassAllowlist allowlist) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(allowlist, "allowlist");
        requireOpen();
        if (entrance != null) {
            throw new IllegalStateException("this manager already listens at " + entrance.address());
        }
        if (Objects.requireNonNull(authKey, "authKey").length < 16) {
            throw new IllegalArgumentException("authKey must be at least 16 bytes but was " + authKey.length);
        }
        try {
            entrance = hub.listenTcp(host, port, authKey.clone(), registry, allowlist.isAny() ? null : allowlist::permits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return entrance.address();
    }

    /**
     * A client for a manager in another JVM that {@linkplain #listen listens} at {@code address}.
     *
     * @param address what {@link #listen} returned in the manager's JVM, such as {@code tcp:127.0.0.1:40123}
     * @param authKey the manager's key, at least 16 bytes (copied)
     * @return the client; it connects when first used
     * @throws IllegalArgumentException if {@code authKey} is shorter than 16 bytes
     */
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

    /**
     * The proxy of a {@link #value}: Python's {@code ValueProxy}, whose {@code value} property is
     * {@link #get()} and {@link #set}. Each call runs in the manager, atomically.
     *
     * @param <T> the type of the value
     */
    public interface ValueProxy<T> {
        /**
         * Reads the value in the manager: Python's {@code proxy.value}.
         *
         * @return a copy of the current value
         */
        T get();

        /**
         * Replaces the value in the manager: Python's {@code proxy.value = x}.
         *
         * @param value the new value; copied (serialized) to the manager
         */
        void set(T value);
    }

    /** The object behind a {@link ValueProxy}; accessed only through the hub, one call at a time. */
    private static final class ValueHolder<T> implements ValueProxy<T> {
        private T value;

        ValueHolder(T value) {
            this.value = value;
        }

        @Override
        public synchronized T get() {
            return value;
        }

        @Override
        public synchronized void set(T value) {
            this.value = value;
        }

        @Override
        public synchronized String toString() {
            return String.valueOf(value);
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
         * @param <T> the type to see it as
         * @param name the name the manager {@linkplain Manager#publish published} it under
         * @param type the type to see it as, such as {@code Queue.class} or the interface of a proxy
         * @return the object, a proxy to the one in the manager
         * @throws java.util.NoSuchElementException if nothing is published under it
         * @throws MultiprocessingException if the manager cannot be reached or refuses the key
         * @throws ClassCastException if it is not a {@code type}
         */
        public <T> T lookup(String name, Class<T> type) {
            return type.cast(Handle.callRoot(address, authKey, new RegistryRequest.Lookup(name)));
        }

        /**
         * A new object of a type the manager {@linkplain Manager#registerType registered}, made there: Python's
         * {@code manager.typeid()} on a connected {@code BaseManager}.
         *
         * @param <T> the interface the type was registered with
         * @param typeid the name the manager registered it under
         * @param type the interface the type was registered with
         * @return a proxy of the new object
         * @throws java.util.NoSuchElementException if nothing is registered as {@code typeid}
         * @throws ClassCastException if {@code type} is not the registered interface
         * @throws MultiprocessingException if the manager cannot be reached or refuses the key
         */
        public <T> T create(String typeid, Class<T> type) {
            return type.cast(Handle.callRoot(address, authKey, new RegistryRequest.Create(typeid)));
        }

        /**
         * The names published by the manager.
         *
         * @return the names, in no particular order
         * @throws MultiprocessingException if the manager cannot be reached or refuses the key
         */
        public Set<String> names() {
            return Handle.callRoot(address, authKey, new RegistryRequest.Names());
        }
    }
}
