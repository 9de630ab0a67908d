package io.github.eiam;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one client's async calls: at most {@code n} platform
 * threads (a downcall pins a virtual thread's carrier), started when calls
 * come and ended after a few idle seconds, so that a client used only
 * synchronously has none. Daemon threads: they never keep the JVM alive.
 */
final class AsyncThreads {
    private AsyncThreads() {}

    private static final long IDLE_SECONDS = 5;

    static ThreadPoolExecutor pool(int n) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("eiam-async-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
