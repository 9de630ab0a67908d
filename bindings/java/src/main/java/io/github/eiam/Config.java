package io.github.eiam;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Client} is made from: the options of the other bindings,
 * each sent to its {@code eiam_config_set_*} setter only when set. The
 * library checks the whole configuration when the client is made and names
 * the option that is wrong; this class checks nothing the library checks.
 *
 * <pre>{@code
 * Config config = Config.builder().baseUrl(url).clientId(id).clientSecret(secret)
 *         .timeout(Duration.ofSeconds(10)).build();
 * }</pre>
 */
public final class Config {
    /** One setter call on an {@code eiam_config}, with its strings in the call's arena. */
    @FunctionalInterface
    private interface Setting {
        int apply(MemorySegment cfg, Arena arena, MemorySegment err) throws Throwable;
    }

    /** The threads of a client's async calls unless told otherwise (as EIAM_DEFAULT_ASYNC_WORKERS). */
    public static final int DEFAULT_ASYNC_THREADS = 128;
    /** The most {@link Builder#asyncThreads} accepts (as EIAM_MAX_ASYNC_WORKERS). */
    public static final int MAX_ASYNC_THREADS = 1024;

    private final List<Setting> settings;
    private final int asyncThreads;

    private Config(List<Setting> settings, int asyncThreads) {
        this.settings = List.copyOf(settings);
        this.asyncThreads = asyncThreads;
    }

    /** How many platform threads run a client's async calls at most. */
    int asyncThreads() {
        return asyncThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Applies every option to {@code cfg}; the first the library refuses is thrown. */
    void applyTo(MemorySegment cfg, Arena arena) {
        for (Setting setting : settings) {
            Calls.check(arena, err -> setting.apply(cfg, arena, err));
        }
    }

    /**
     * Collects the options. Strings and Durations may not be null (a
     * NullPointerException names the option); a string with a NUL is refused
     * naming the option when the client is made.
     */
    public static final class Builder {
        private final List<Setting> settings = new ArrayList<>();
        private int asyncThreads = DEFAULT_ASYNC_THREADS;

        private Builder() {}

        /** The tenant's base URL ({@code https://acme.idaas.example.com}). */
        public Builder baseUrl(String baseUrl) {
            String v = Objects.requireNonNull(baseUrl, "baseUrl");
            return add((cfg, a, err) -> (int) Native.eiam_config_set_base_url.invokeExact(cfg, str(a, "baseUrl", v), err));
        }

        /** The application's client id; needs {@link #clientSecret} too. */
        public Builder clientId(String clientId) {
            String v = Objects.requireNonNull(clientId, "clientId");
            return add((cfg, a, err) -> (int) Native.eiam_config_set_client_id.invokeExact(cfg, str(a, "clientId", v), err));
        }

        /** The application's client secret; never shown in a message. */
        public Builder clientSecret(String clientSecret) {
            String v = Objects.requireNonNull(clientSecret, "clientSecret");
            return add((cfg, a, err) ->
                    (int) Native.eiam_config_set_client_secret.invokeExact(cfg, str(a, "clientSecret", v), err));
        }

        /** {@link #clientId} and {@link #clientSecret} at once, as C's {@code eiam_config_set_client_credentials}. */
        public Builder clientCredentials(String clientId, String clientSecret) {
            String id = Objects.requireNonNull(clientId, "clientId");
            String secret = Objects.requireNonNull(clientSecret, "clientSecret");
            return add((cfg, a, err) -> (int) Native.eiam_config_set_client_credentials.invokeExact(
                    cfg, str(a, "clientId", id), str(a, "clientSecret", secret), err));
        }

        /** A token obtained elsewhere (never renewed), instead of client credentials. */
        public Builder accessToken(String accessToken) {
            String v = Objects.requireNonNull(accessToken, "accessToken");
            return add((cfg, a, err) ->
                    (int) Native.eiam_config_set_access_token.invokeExact(cfg, str(a, "accessToken", v), err));
        }

        /** The deadline of one call, token fetch and retries included (default 30 s); a part of a millisecond rounds up. */
        public Builder timeout(Duration timeout) {
            long ms = millis("timeout", timeout);
            return add((cfg, a, err) -> (int) Native.eiam_config_set_timeout_ms.invokeExact(cfg, ms, err));
        }

        /** The time allowed to connect (default 10 s); a part of a millisecond rounds up. */
        public Builder connectTimeout(Duration connectTimeout) {
            long ms = millis("connectTimeout", connectTimeout);
            return add((cfg, a, err) -> (int) Native.eiam_config_set_connect_timeout_ms.invokeExact(cfg, ms, err));
        }

        /** Retries after transport failures and 429/502/503/504 (default 2; 0 turns them off). */
        public Builder maxRetries(int maxRetries) {
            int n = Unsigned.u32("maxRetries", maxRetries);
            return add((cfg, a, err) -> (int) Native.eiam_config_set_max_retries.invokeExact(cfg, n, err));
        }

        /** Also trusts the CA certificates of this PEM file. */
        public Builder caFile(String caFile) {
            String v = Objects.requireNonNull(caFile, "caFile");
            return add((cfg, a, err) -> (int) Native.eiam_config_set_ca_file.invokeExact(cfg, str(a, "caFile", v), err));
        }

        /** Whether the platform trust store is used (default true); false trusts {@link #caFile} alone. */
        public Builder usePlatformRoots(boolean use) {
            return add((cfg, a, err) -> (int) Native.eiam_config_set_use_platform_roots.invokeExact(cfg, use, err));
        }

        /** Sends every request through this HTTP(S) proxy ({@code http://host:port}). */
        public Builder proxy(String proxy) {
            String v = Objects.requireNonNull(proxy, "proxy");
            return add((cfg, a, err) -> (int) Native.eiam_config_set_proxy.invokeExact(cfg, str(a, "proxy", v), err));
        }

        /** A product token ({@code "provisioner/2.1"}) put before {@code eiam/<version>} in the User-Agent. */
        public Builder userAgent(String userAgent) {
            String v = Objects.requireNonNull(userAgent, "userAgent");
            return add((cfg, a, err) ->
                    (int) Native.eiam_config_set_user_agent.invokeExact(cfg, str(a, "userAgent", v), err));
        }

        /** Allows {@code http://} to hosts other than loopback: secrets then cross the network in clear text. */
        public Builder allowInsecureHttp(boolean allow) {
            return add((cfg, a, err) -> (int) Native.eiam_config_set_allow_insecure_http.invokeExact(cfg, allow, err));
        }

        /** DANGER: turns TLS certificate and host name verification off. For throwaway test set-ups only. */
        public Builder dangerAcceptInvalidCerts(boolean accept) {
            return add((cfg, a, err) ->
                    (int) Native.eiam_config_set_danger_accept_invalid_certs.invokeExact(cfg, accept, err));
        }

        /**
         * The most platform threads that run this client's async calls
         * ({@code getAccountAsync}, ...) at once, 1 to {@link #MAX_ASYNC_THREADS}
         * (default {@link #DEFAULT_ASYNC_THREADS}); the other calls wait their
         * turn. Each call blocks its thread in C, which would pin a virtual
         * thread's carrier, so these are platform threads, started when
         * needed and ended when idle.
         */
        public Builder asyncThreads(int threads) {
            if (threads < 1 || threads > MAX_ASYNC_THREADS) {
                throw EiamException.refused("asyncThreads must be 1 to " + MAX_ASYNC_THREADS + ", not " + threads);
            }
            asyncThreads = threads;
            return this;
        }

        public Config build() {
            return new Config(settings, asyncThreads);
        }

        private Builder add(Setting setting) {
            settings.add(setting);
            return this;
        }

        private static MemorySegment str(Arena arena, String name, String value) {
            return CStrings.required(arena, name, value);
        }

        /** Whole milliseconds, a part of one rounded up so that a short timeout stays a timeout. */
        private static long millis(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw EiamException.refused(name + " must not be negative");
            }
            long ms = d.toMillis();
            return d.minusMillis(ms).isZero() ? ms : ms + 1;
        }
    }
}
