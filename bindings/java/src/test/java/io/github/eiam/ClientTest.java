package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The client's lifetime, its configuration, and the owner calls with their errors. */
class ClientTest extends MockTest {
    @Test
    void versionIsTheLibrarysSemver() {
        assertTrue(Client.version().matches("\\d+\\.\\d+\\.\\d+.*"), Client.version());
    }

    @Test
    void bindThenGetTheOwner() {
        assertEquals("pub-2", client.bindPublicAccountOwner("demo-app", "pub-2", "cq04130006"));
        assertEquals("cq04130006", mock.ownerOf("demo-app", "pub-2"));
        Owner owner = client.getPublicAccountOwner("demo-app", "pub-2");
        assertEquals("cq04130006", owner.userName());
        assertFalse(owner.disabled());
        assertFalse(owner.userId().isEmpty());
    }

    @Test
    void theSeededOwner() {
        assertEquals("zhangsan", client.getPublicAccountOwner("demo-app", "pub-1").userName());
    }

    @Test
    void unknownApplicationIsApp0001() {
        EiamException.Api e = Expect.error(EiamException.Api.class, "APP.0001", 400,
                () -> client.getPublicAccountOwner("no-such-app", "pub-1"));
        assertEquals(Status.API_ERROR, e.status());
        assertEquals("api", e.kind());
        assertTrue(e.getMessage().startsWith("api error APP.0001 (HTTP 400): "), e.getMessage());
        assertFalse(e.detail().isEmpty());
    }

    @Test
    void unknownPublicAccountIsAppAccount0038() {
        Expect.error(EiamException.Api.class, "APP.ACCOUNT.0038", 400,
                () -> client.bindPublicAccountOwner("demo-app", "no-such-account", "zhangsan"));
    }

    @Test
    void emptyIdsAreRefusedByTheLibraryBeforeAnyRequest() {
        long before = mock.requests();
        EiamException.InvalidArgument app = Expect.error(EiamException.InvalidArgument.class, "APP.0006", 0,
                () -> client.getPublicAccountOwner("", "pub-1"));
        assertEquals("invalid argument", app.kind());
        Expect.error(EiamException.InvalidArgument.class, "APP.ACCOUNT.0047", 0,
                () -> client.bindPublicAccountOwner("demo-app", "", "zhangsan"));
        assertEquals(before, mock.requests());
    }

    @Test
    void wrongSecretIsAnAuthErrorThatNeverShowsTheSecret() {
        try (Client bad = new Client(Config.builder().baseUrl(mock.url).clientId(mock.clientId)
                .clientSecret("hunter2-wrong").build())) {
            EiamException.Auth e = assertThrows(EiamException.Auth.class, bad::authenticate);
            assertEquals("invalid_client", e.code());
            assertEquals(401, e.httpStatus());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void clientCredentialsTogetherWork() {
        try (Client c = new Client(Config.builder().baseUrl(mock.url).clientCredentials(mock.clientId, mock.clientSecret)
                .build())) {
            assertEquals("zhangsan", c.getPublicAccountOwner("demo-app", "pub-1").userName());
        }
    }

    @Test
    void anAccessTokenThatIsWrongIsAnAuthError() {
        try (Client c = new Client(Config.builder().baseUrl(mock.url).accessToken("not-a-token").build())) {
            assertThrows(EiamException.Auth.class, () -> c.getPublicAccountOwner("demo-app", "pub-1"));
        }
    }

    @Test
    void theLibraryChecksTheConfigurationAndNamesTheSetting() {
        EiamException.InvalidArgument e = assertThrows(EiamException.InvalidArgument.class,
                () -> new Client(Config.builder().baseUrl("http://example.com").clientId("a").clientSecret("b").build()));
        assertTrue(e.getMessage().contains("http"), e.getMessage());
        assertThrows(EiamException.InvalidArgument.class, () -> new Client(mock.config().timeout(Duration.ZERO).build()));
        assertThrows(EiamException.InvalidArgument.class, () -> new Client(mock.config().proxy("socks5://127.0.0.1:1").build()));
        assertThrows(EiamException.InvalidArgument.class, () -> new Client(mock.config().userAgent("bad\u0001agent").build()));
        assertThrows(EiamException.InvalidArgument.class,
                () -> new Client(mock.config().usePlatformRoots(false).build()), "no roots at all");
    }

    @Test
    void everyOptionReachesTheLibrary() {
        Config config = mock.config().timeout(Duration.ofNanos(2_000_000_500L)).connectTimeout(Duration.ofSeconds(2))
                .maxRetries(0).userAgent("java-test/1.0").allowInsecureHttp(false).dangerAcceptInvalidCerts(false)
                .usePlatformRoots(true).build();
        try (Client c = new Client(config)) {
            mock.fault(new JSONObject().put("target", "api").put("count", 1).put("status", 503).put("retry_after", "0"));
            // maxRetries(0): the 503 is reported, not retried.
            EiamException e = assertThrows(EiamException.class, () -> c.getPublicAccountOwner("demo-app", "pub-1"));
            assertEquals(503, e.httpStatus());
        }
        try (Client c = new Client(mock.config().caFile("/no/such/ca.pem").build())) {
            throw new AssertionError("a missing CA file was accepted: " + c);
        } catch (EiamException.InvalidArgument e) {
            assertTrue(e.getMessage().contains("ca"), e.getMessage());
        }
    }

    @Test
    void retriesHideTwo503s() {
        mock.fault(new JSONObject().put("target", "api").put("count", 2).put("status", 503).put("retry_after", "0"));
        assertEquals("zhangsan", client.getPublicAccountOwner("demo-app", "pub-1").userName());
        assertEquals(3, mock.apiRequests());
    }

    @Test
    void aDeadlinePassedIsATimeout() {
        try (Client c = new Client(mock.config().timeout(Duration.ofMillis(200)).build())) {
            mock.fault(new JSONObject().put("target", "api").put("count", 1).put("action", "normal").put("delay_ms", 2000));
            EiamException.Timeout e = assertThrows(EiamException.Timeout.class, () -> c.getPublicAccountOwner("demo-app", "pub-1"));
            assertEquals("timeout", e.kind());
            assertNull(e.code());
        }
    }

    @Test
    void aClosedPortIsATransportError() {
        try (Client c = new Client(Config.builder().baseUrl("http://127.0.0.1:9").clientId("a").clientSecret("b")
                .maxRetries(0).build())) {
            assertThrows(EiamException.Transport.class, c::authenticate);
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsThrow() {
        Client c = mock.client();
        c.close();
        c.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.getPublicAccountOwner("demo-app", "pub-1"));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void statusNamesAreTheLibrarys() {
        assertEquals("ok", Status.OK.libraryName());
        assertEquals("invalid argument", Status.INVALID_ARGUMENT.libraryName());
        assertEquals("cancelled", Status.CANCELLED.libraryName());
        assertEquals(Status.INTERNAL_ERROR, Status.of(99), "a status newer than the binding");
    }
}
