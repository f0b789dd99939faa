package io.github.multiprocessing4j;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The {@link RLock} that comes with a shared {@link Value} or {@link Array}: Python's {@code get_lock()}.
 * Made when first asked for, or when the value first leaves for another process, so that values never
 * locked cost no lock; every copy of a value that crossed to another process carries the same lock.
 */
final class AssociatedLock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Guarded by this object's monitor. */
    private RLock lock;

    synchronized RLock get() {
        if (lock == null) {
            lock = new RLock();
        }
        return lock;
    }

    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        get();
        out.defaultWriteObject();
    }

    /** The lock of {@code owner}, or a clear failure for a raw one (Python: AttributeError). */
    static RLock of(AssociatedLock lock, Object owner) {
        if (lock == null) {
            throw new IllegalStateException("this shared " + owner.getClass().getSimpleName()
                    + " was made with lock = false (Python's RawValue / RawArray): it has no lock");
        }
        return lock.get();
    }
}
