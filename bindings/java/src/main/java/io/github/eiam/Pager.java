package io.github.eiam;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of a C pager ({@code eiam_account_pager} or
 * {@code eiam_account_user_pager}), one page fetched at a time. When to stop
 * is the library's rule: a page of no items ends the walk. The pager is
 * freed at the end, after a failure, on close(), or by the Cleaner if it is
 * dropped unfinished.
 */
final class Pager<T> implements Iterator<T>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Client owner; // keeps the client alive (C: it outlives the pager)
    private final ClientHandle client;
    private final PageKind<T> kind;
    private final PagerHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final ArrayDeque<T> buffered = new ArrayDeque<>();
    private boolean finished; // the walk ended, failed or was closed: fetch no more

    Pager(Client owner, ClientHandle client, PageKind<T> kind, MemorySegment pager) {
        this.owner = owner;
        this.client = client;
        this.kind = kind;
        this.handle = new PagerHandle(client, pager, kind.pagerFree());
        this.cleanable = CLEANER.register(this, handle);
    }

    /** This pager as a sequential stream; closing the stream frees the pager. */
    Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    @Override
    public boolean hasNext() {
        if (buffered.isEmpty() && !finished) {
            fetch();
        }
        return !buffered.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffered.removeFirst();
    }

    /**
     * Fetches the next page; frees the pager at the end of the walk or when
     * the fetch fails. Throws IllegalStateException once the client is
     * closed (which freed the pager).
     */
    private void fetch() {
        boolean over = true;
        client.enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pager = handle.pager();
            buffered.addAll(kind.read(arena, page ->
                    Calls.check(arena, err -> (int) kind.pagerNext().invokeExact(pager, page, err))).items());
            over = buffered.isEmpty();
        } finally {
            client.leave();
            if (over) {
                close();
            }
            Reference.reachabilityFence(this); // the Cleaner must not free the pager mid-fetch
        }
    }

    @Override
    public void close() {
        finished = true;
        cleanable.clean(); // runs handle.run() once, whoever asks first
    }
}
