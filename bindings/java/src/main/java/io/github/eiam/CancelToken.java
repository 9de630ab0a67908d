package io.github.eiam;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A C {@code eiam_cancel} token, freed exactly once. Cancelling and freeing
 * are synchronized, so that {@link #cancel} from another thread never
 * touches a freed token: after {@link #close} it does nothing.
 */
final class CancelToken implements AutoCloseable {
    private static final AtomicInteger LIVE = new AtomicInteger();

    private MemorySegment token; // guarded by this; NULL once freed

    CancelToken() {
        try {
            token = (MemorySegment) Native.eiam_cancel_new.invokeExact();
        } catch (Throwable t) {
            throw Calls.unexpected(t);
        }
        if (token.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("eiam_cancel_new");
        }
        LIVE.incrementAndGet();
    }

    /** How many tokens are not freed yet: for the tests. */
    static int live() {
        return LIVE.get();
    }

    /** The C token, for {@code eiam_client_with_cancel}; only while it is open. */
    synchronized MemorySegment segment() {
        if (token.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("cancel token is freed");
        }
        return token;
    }

    /** Ends the calls of every client view made from this token; from any thread. */
    synchronized void cancel() {
        Calls.release(Native.eiam_cancel_cancel, token); // NULL-safe
    }

    @Override
    public synchronized void close() {
        if (!token.equals(MemorySegment.NULL)) {
            Calls.release(Native.eiam_cancel_free, token);
            token = MemorySegment.NULL;
            LIVE.decrementAndGet();
        }
    }
}
