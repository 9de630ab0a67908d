package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** One Client shared by threads, as C allows. */
class ThreadsTest extends MockTest {
    private static final int THREADS = 8;
    private static final int CALLS = 250;

    @Test
    void eightThreadsShareOneClientAndOneToken() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String user = t % 2 == 0 ? "zhangsan" : "cq04130006";
                futures.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < CALLS; i++) {
                        client.bindPublicAccountOwner("demo-app", "pub-2", user);
                        String owner = client.getPublicAccountOwner("demo-app", "pub-1").userName();
                        ok += owner.equals("zhangsan") ? 1 : 0;
                        ok += client.listAccounts("paging-app", null, i % 3, 100).total() == 250 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertEquals(2 * CALLS, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        JSONObject stats = mock.stats();
        assertEquals(1, stats.getLong("token_requests"), "the token was shared");
        assertEquals(3L * THREADS * CALLS, stats.getLong("api_requests"));
        assertEquals(true, stats.getLong("max_in_flight") > 1, "calls ran at once: " + stats);
    }

    @Test
    void closeWaitsForTheCallsInFlight() throws Exception {
        Client c = mock.client();
        c.authenticate();
        mock.fault(new JSONObject().put("target", "api").put("count", 1).put("action", "normal").put("delay_ms", 300));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Owner> call = pool.submit(() -> c.getPublicAccountOwner("demo-app", "pub-1"));
            while (mock.stats().getLong("in_flight") == 0) {
                Thread.onSpinWait(); // until the call is at the mock
            }
            c.close(); // must not free the C client under the call
            assertEquals("zhangsan", call.get().userName());
        } finally {
            pool.shutdownNow();
        }
    }
}
