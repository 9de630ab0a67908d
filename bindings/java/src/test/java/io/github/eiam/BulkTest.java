package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bulk bind: one result per item in order, and the progress callback as an upcall stub. */
class BulkTest extends MockTest {
    private static final List<BindItem> ITEMS = List.of(
            new BindItem("demo-app", "pub-1", "cq04130006"),
            new BindItem("demo-app", "no-such-account", "zhangsan"),
            new BindItem("no-such-app", "pub-1", "zhangsan"),
            new BindItem("demo-app", "pub-2", "zhangsan"));

    @Test
    void oneResultPerItemInInputOrder() {
        List<long[]> seen = new CopyOnWriteArrayList<>();
        List<BindResult> results = client.bindPublicAccountOwners(ITEMS, 4, (done, total, failures) -> {
            seen.add(new long[] {done, total, failures});
            return true;
        });
        assertEquals("pub-1", results.get(0).accountId());
        assertEquals("APP.ACCOUNT.0038", results.get(1).error().code());
        assertInstanceOf(EiamException.Api.class, results.get(2).error());
        assertEquals("APP.0001", results.get(2).error().code());
        assertTrue(results.get(2).error().getMessage().startsWith("api error APP.0001 (HTTP 400)"));
        assertEquals("pub-2", results.get(3).accountId());
        assertTrue(results.get(3).ok());
        assertEquals("zhangsan", mock.ownerOf("demo-app", "pub-2"));
        assertEquals(4, seen.size(), "called after each item");
        long[] last = seen.get(3);
        assertEquals(List.of(4L, 4L, 2L), List.of(last[0], last[1], last[2]));
    }

    @Test
    void withoutCallbackAndDefaultConcurrency() {
        List<BindResult> results = client.bindPublicAccountOwners(ITEMS);
        assertEquals(List.of(true, false, false, true), results.stream().map(BindResult::ok).toList());
        assertEquals(List.of(), client.bindPublicAccountOwners(List.of()));
    }

    @Test
    void returningFalseCancelsTheItemsNotYetStarted() {
        List<BindResult> results = client.bindPublicAccountOwners(ITEMS, 1, (done, total, failures) -> false);
        assertTrue(results.get(0).ok());
        for (BindResult r : results.subList(1, 4)) {
            EiamException.Cancelled e = assertInstanceOf(EiamException.Cancelled.class, r.error());
            assertEquals("cancelled", e.kind());
            assertNull(r.accountId());
        }
        assertEquals(null, mock.ownerOf("demo-app", "pub-2"), "the last item never ran");
    }

    @Test
    void anExceptionInTheCallbackCancelsTheRestAndIsThrownAfterTheJob() {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> client.bindPublicAccountOwners(ITEMS, 1, (done, total, failures) -> {
                    calls.incrementAndGet();
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals(1, calls.get(), "not called again once it threw");
        assertEquals(null, mock.ownerOf("demo-app", "pub-2"), "the last item never ran");
    }
}
