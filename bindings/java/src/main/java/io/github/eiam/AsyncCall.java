package io.github.eiam;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One call of {@link Client}'s async forms: a worker thread makes the
 * synchronous call on a view of the client ({@code eiam_client_with_cancel})
 * that a token of its own ends, and completes this future with the outcome.
 * {@link #cancel} completes the future at once (with CancellationException,
 * as the JDK defines) and cancels the token, so the C call stops waiting
 * within a few tens of ms; the view and token are freed when it has. A
 * call cancelled before its worker starts it sends nothing.
 */
final class AsyncCall<T> extends CompletableFuture<T> implements Runnable {
    private final Client client;
    private final Function<Client, T> work;
    private final AtomicInteger running;
    private volatile CancelToken token; // set while the C call may run

    AsyncCall(Client client, Function<Client, T> work, AtomicInteger running) {
        this.client = client;
        this.work = work;
        this.running = running;
    }

    @Override
    public void run() {
        if (isDone()) {
            return; // cancelled while queued
        }
        running.incrementAndGet();
        try (CancelToken t = new CancelToken()) {
            token = t;
            // A cancel that came before `token` was set did not see it: it is seen here.
            if (isDone()) {
                return;
            }
            try (Client view = client.withCancel(t)) {
                complete(work.apply(view));
            }
        } catch (Throwable e) {
            completeExceptionally(e);
        } finally {
            token = null;
            running.decrementAndGet();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        CancelToken t = token;
        if (t != null) {
            t.cancel(); // a no-op once the worker freed it
        }
        return cancelled;
    }
}
