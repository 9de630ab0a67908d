package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The async forms: results and errors through the future, calls at once, cancellation. */
class AsyncTest extends MockTest {
    private static final long CANCEL_BOUND_MS = 100;

    private static JSONObject delay(int count, int ms) {
        return new JSONObject().put("target", "api").put("count", count).put("action", "normal").put("delay_ms", ms);
    }

    /**
     * Until the mock has received {@code n} API requests in this test (not its
     * in_flight: a request cancelled by an earlier test still waits out its
     * delay there).
     */
    private static void awaitAtMock(long n) {
        while (mock.apiRequests() < n) {
            Thread.onSpinWait();
        }
    }

    /** Until no async call of {@code c} is on a thread: its C call returned, its view and token are freed. */
    private static void awaitCallsEnded(Client c) {
        while (c.asyncCallsRunning() > 0) {
            Thread.onSpinWait();
        }
    }

    private static Throwable cause(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }

    @Test
    void resultsAndTypedErrorsComeThroughTheFuture() throws Exception {
        assertEquals("zhangsan", client.getPublicAccountOwnerAsync("demo-app", "pub-1").get().userName());
        assertEquals(250, client.listAccountsAsync("paging-app", null, 0, 10).get().total());
        assertEquals("pub-2", client.bindPublicAccountOwnerAsync("demo-app", "pub-2", "zhangsan").get());
        assertEquals("zhangsan", mock.ownerOf("demo-app", "pub-2"));

        EiamException.Api api = assertInstanceOf(EiamException.Api.class,
                cause(client.getPublicAccountOwnerAsync("no-such-app", "pub-1")));
        assertEquals("APP.0001", api.code());
        assertInstanceOf(EiamException.InvalidArgument.class, cause(client.getAccountAsync("demo-app", "x\0y")));
        assertEquals("accountId", assertInstanceOf(NullPointerException.class,
                cause(client.getAccountAsync("demo-app", null))).getMessage());
    }

    @Test
    void aCancelEndsTheFutureAndTheCCallWithinTheBound() throws Exception {
        mock.fault(delay(1, 10_000));
        CompletableFuture<Account> call = client.getAccountAsync("demo-app", "pub-1");
        awaitAtMock(1); // the caller got its future while the request waits at the mock
        assertFalse(call.isDone());

        long start = System.nanoTime();
        assertTrue(call.cancel(true));
        assertThrows(CancellationException.class, call::join);
        long futureMs = (System.nanoTime() - start) / 1_000_000;
        awaitCallsEnded(client);
        long cCallMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("AsyncTest: future cancelled in %d ms, C call ended %d ms after the cancel%n", futureMs, cCallMs);
        assertTrue(futureMs < CANCEL_BOUND_MS, "future completed " + futureMs + " ms after the cancel");
        assertTrue(cCallMs < CANCEL_BOUND_MS, "C call ended " + cCallMs + " ms after the cancel");
        assertEquals(1, mock.apiRequests(), "nothing sent again after the cancel");
    }

    @Test
    void aCallCancelledBeforeItStartsSendsNothing() throws Exception {
        try (Client one = new Client(mock.config().asyncThreads(1).build())) {
            one.authenticate();
            mock.fault(delay(1, 10_000));
            CompletableFuture<Owner> busy = one.getPublicAccountOwnerAsync("demo-app", "pub-1");
            awaitAtMock(1); // the only thread is taken
            CompletableFuture<String> queued = one.bindPublicAccountOwnerAsync("demo-app", "pub-2", "zhangsan");
            assertTrue(queued.cancel(true));
            busy.cancel(true);
            // The thread takes calls in order: once this one is answered, the cancelled one was passed over.
            assertEquals("zhangsan", one.getPublicAccountOwnerAsync("demo-app", "pub-1").get().userName());
            assertTrue(queued.isCancelled());
            assertEquals(2, mock.apiRequests(), "the first and last calls only");
            assertEquals(null, mock.ownerOf("demo-app", "pub-2"), "the cancelled bind was not made");
        }
    }

    @Test
    void aHundredCallsWaitAtTheMockAtOnce() throws Exception {
        int calls = 100;
        // Long enough that no answer comes back before the last call has
        // started, even on a loaded machine (at 200 ms, 97 of 100 overlapped
        // while another build ran).
        int delayMs = 1000;
        mock.fault(delay(calls, delayMs));
        long start = System.nanoTime();
        List<CompletableFuture<Owner>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(client.getPublicAccountOwnerAsync("demo-app", "pub-1"));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        for (CompletableFuture<Owner> f : futures) {
            assertEquals("zhangsan", f.get().userName());
        }
        JSONObject stats = mock.stats();
        System.out.printf("AsyncTest: %d calls at %d ms each in %d ms, max in flight %d%n",
                calls, delayMs, ms, stats.getLong("max_in_flight"));
        // At least: a request of an earlier test may still be waiting out its delay at the mock.
        assertTrue(stats.getLong("max_in_flight") >= calls, "all waited at the mock at once: " + stats);
        assertTrue(ms < calls * delayMs / 10, calls + " calls took " + ms + " ms");
    }

    @Test
    void asyncThreadsOutOfRangeIsRefused() {
        for (int n : new int[] {0, -1, Config.MAX_ASYNC_THREADS + 1}) {
            EiamException e = assertThrows(EiamException.InvalidArgument.class, () -> mock.config().asyncThreads(n));
            assertTrue(e.getMessage().contains("asyncThreads"), e.getMessage());
        }
    }

    @Test
    void aClosedClientsCallsFail() {
        Client c = mock.client();
        c.close();
        Throwable e = assertThrows(ExecutionException.class, () -> c.authenticateAsync().get()).getCause();
        assertInstanceOf(IllegalStateException.class, e);
    }
}
