package io.github.eiam;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class against one mock server; before each test the mock is reset
 * (seed data, counters, faults, and so its tokens) and a new client gets a
 * token, so that the API request counters count only what the test caused.
 */
abstract class MockTest {
    static MockServer mock;
    Client client;

    @BeforeAll
    static void startMock() {
        mock = MockServer.start();
    }

    @AfterAll
    static void stopMock() throws Exception {
        mock.close();
    }

    @BeforeEach
    void freshMockAndClient() {
        mock.reset();
        client = mock.client();
        client.authenticate();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }
}
