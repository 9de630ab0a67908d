package io.github.eiam;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A C pager, freed exactly once: at the end of its walk, by close(), by its
 * client's close, or by the Cleaner when a stream is dropped unfinished.
 * Freeing holds the client shared, so the client cannot be freed under it.
 */
final class PagerHandle implements Runnable {
    private final ClientHandle client;
    private final MemorySegment pager;
    private final MethodHandle free;
    private final AtomicBoolean freed = new AtomicBoolean();

    PagerHandle(ClientHandle client, MemorySegment pager, MethodHandle free) {
        this.client = client;
        this.pager = pager;
        this.free = free;
        client.adopt(this);
    }

    /**
     * The C pager, for a caller that holds the client ({@link ClientHandle#enter})
     * and has not seen the walk end: then nothing can have freed it.
     */
    MemorySegment pager() {
        return pager;
    }

    @Override
    public void run() {
        try {
            client.enter();
        } catch (IllegalStateException closed) {
            return; // the client freed its pagers, this one included, before itself
        }
        try {
            if (freed.compareAndSet(false, true)) {
                Calls.release(free, pager);
                client.forget(this);
            }
        } finally {
            client.leave();
        }
    }
}
