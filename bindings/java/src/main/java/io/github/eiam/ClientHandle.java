package io.github.eiam;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The C client and the pagers made from it, each freed exactly once. Calls
 * hold the lock shared, so any number run at once (the C client is
 * thread-safe); freeing holds it exclusively, so it waits for the calls in
 * flight: C forbids freeing a client a call still uses. The pagers go
 * first, since C requires the client to outlive them.
 *
 * <p>It is the Cleaner's action too, so it must not refer to the Client.
 */
final class ClientHandle implements Runnable {
    private static final AtomicInteger LIVE = new AtomicInteger();

    private final MemorySegment client;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<PagerHandle> pagers = ConcurrentHashMap.newKeySet();
    private boolean freed; // written under the write lock, read under either

    ClientHandle(MemorySegment client) {
        this.client = client;
        LIVE.incrementAndGet();
    }

    /** How many C clients (views included) are not freed yet: for the tests. */
    static int live() {
        return LIVE.get();
    }

    /** The C client, held shared until {@link #leave}; IllegalStateException once it is freed. */
    MemorySegment enter() {
        lock.readLock().lock();
        if (freed) {
            lock.readLock().unlock();
            throw new IllegalStateException("eiam client is closed");
        }
        return client;
    }

    void leave() {
        lock.readLock().unlock();
    }

    /** Frees {@code pager} with the client unless this client frees it first. */
    void adopt(PagerHandle pager) {
        pagers.add(pager);
    }

    void forget(PagerHandle pager) {
        pagers.remove(pager);
    }

    /** How many pagers of this client are not freed yet (for the tests). */
    int openPagers() {
        return pagers.size();
    }

    /** Frees the pagers, then the client, after the calls in flight. Idempotent. */
    @Override
    public void run() {
        lock.writeLock().lock();
        try {
            if (freed) {
                return;
            }
            for (PagerHandle pager : pagers) {
                pager.run(); // takes the read lock, which the writer may
            }
            Calls.release(Native.eiam_client_free, client);
            freed = true;
            LIVE.decrementAndGet();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
