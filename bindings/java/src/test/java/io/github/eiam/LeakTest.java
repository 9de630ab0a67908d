package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * 100,000 calls, successes and failures of each shape of result (a string,
 * a struct, a page, an error), with flat heap and flat resident memory:
 * nothing the library returns is kept, and nothing a call allocates in C
 * outlives it. A leak of the smallest thing a call returns (one id, ~40
 * bytes with malloc's overhead) would add 4 MB over the loop.
 */
class LeakTest extends MockTest {
    private static final int WARM_UP = 20_000;
    private static final int CALLS = 100_000;
    private static final long RSS_BOUND_KB = 3 * 1024;
    private static final long HEAP_BOUND_BYTES = 4L << 20;

    private int round(int i) {
        switch (i % 10) {
            case 0 -> {
                try {
                    client.getPublicAccountOwner("no-such-app", "pub-1");
                    return 0;
                } catch (EiamException.Api e) {
                    return e.code().equals("APP.0001") ? 1 : 0;
                }
            }
            case 1 -> {
                return client.bindPublicAccountOwner("demo-app", "pub-2", "zhangsan").equals("pub-2") ? 1 : 0;
            }
            case 2 -> {
                return client.listPublicAccountUsers("demo-app", "pub-1", 0, 10).items().size() == 2 ? 1 : 0;
            }
            case 3 -> {
                try {
                    client.getAccount("demo-app", "x\0y");
                    return 0;
                } catch (EiamException.InvalidArgument e) {
                    return 1; // refused in Java: no C string made
                }
            }
            default -> {
                return client.getPublicAccountOwner("demo-app", "pub-1").userName().equals("zhangsan") ? 1 : 0;
            }
        }
    }

    @Test
    void aHundredThousandCallsLeaveHeapAndResidentSizeFlat() throws IOException {
        int ok = 0;
        for (int i = 0; i < WARM_UP; i++) {
            ok += round(i);
        }
        long heapBefore = heapAfterGc();
        long rssBefore = rssKb();
        for (int i = 0; i < CALLS; i++) {
            ok += round(i);
        }
        long heapGrowth = heapAfterGc() - heapBefore;
        long rssGrowth = rssKb() - rssBefore;
        assertEquals(WARM_UP + CALLS, ok, "every call answered as expected");
        System.out.printf("LeakTest: %,d calls: resident %+,d KiB, heap after GC %+,d bytes%n", CALLS, rssGrowth, heapGrowth);
        assertTrue(rssGrowth < RSS_BOUND_KB, "resident size grew by " + rssGrowth + " KiB");
        assertTrue(heapGrowth < HEAP_BOUND_BYTES, "heap grew by " + heapGrowth + " bytes");
    }

    private static final int ASYNC_WARM_UP = 10_000;
    private static final int ASYNC_CALLS = 50_000;
    private static final int ASYNC_BATCH = 100;
    private static final int ASYNC_THREADS = 4;

    /**
     * {@code n} async calls, {@link #ASYNC_BATCH} in flight at a time: a
     * success, an API error and a call cancelled at once (before or while it
     * runs), so that every path frees its view and its cancel token (which
     * the live counts check exactly: a leak of a few dozen bytes a call may
     * fill holes malloc has and not show in the resident size). Returns how
     * many answered as expected.
     */
    private static int asyncRounds(Client client, int n) {
        int ok = 0;
        List<CompletableFuture<?>> batch = new ArrayList<>(ASYNC_BATCH);
        for (int i = 0; i < n; i += ASYNC_BATCH) {
            batch.clear();
            for (int j = 0; j < ASYNC_BATCH; j++) {
                batch.add(switch (j % 3) {
                    case 0 -> client.getPublicAccountOwnerAsync("demo-app", "pub-1")
                            .thenApply(o -> o.userName().equals("zhangsan"));
                    case 1 -> client.getPublicAccountOwnerAsync("no-such-app", "pub-1")
                            .handle((o, e) -> e instanceof EiamException.Api);
                    default -> {
                        CompletableFuture<String> f = client.bindPublicAccountOwnerAsync("demo-app", "pub-2", "zhangsan");
                        f.cancel(true); // a call that ended already stays as it ended
                        yield f.handle((id, e) -> e instanceof CancellationException || "pub-2".equals(id));
                    }
                });
            }
            for (CompletableFuture<?> f : batch) {
                ok += Boolean.TRUE.equals(f.join()) ? 1 : 0;
            }
        }
        while (client.asyncCallsRunning() > 0) {
            Thread.onSpinWait(); // the cancelled ones' C calls too
        }
        return ok;
    }

    @Test
    void fiftyThousandAsyncCallsLeaveHeapAndResidentSizeFlat() throws IOException {
        // Four threads for a hundred calls at a time: the cancels find calls both queued and running.
        int ok;
        long heapGrowth;
        long rssGrowth;
        try (Client c = new Client(mock.config().asyncThreads(ASYNC_THREADS).build())) {
            ok = asyncRounds(c, ASYNC_WARM_UP);
            int clientsBefore = ClientHandle.live();
            long heapBefore = heapAfterGc();
            long rssBefore = rssKb();
            ok += asyncRounds(c, ASYNC_CALLS);
            assertEquals(clientsBefore, ClientHandle.live(), "every client view was freed");
            assertEquals(0, CancelToken.live(), "every cancel token was freed");
            heapGrowth = heapAfterGc() - heapBefore;
            rssGrowth = rssKb() - rssBefore;
        }
        assertEquals(ASYNC_WARM_UP + ASYNC_CALLS, ok, "every call answered as expected");
        System.out.printf("LeakTest: %,d async calls: resident %+,d KiB, heap after GC %+,d bytes%n",
                ASYNC_CALLS, rssGrowth, heapGrowth);
        assertTrue(rssGrowth < RSS_BOUND_KB, "resident size grew by " + rssGrowth + " KiB");
        assertTrue(heapGrowth < HEAP_BOUND_BYTES, "heap grew by " + heapGrowth + " bytes");
    }

    /** VmRSS of /proc/self/status, in KiB. */
    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
