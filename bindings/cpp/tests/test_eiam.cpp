// GoogleTest suite of eiam.hpp against the mock server named by
// EIAM_MOCK_URL / EIAM_MOCK_CLIENT_ID / EIAM_MOCK_CLIENT_SECRET
// (scripts/cpp-tests.sh starts it). Built with AddressSanitizer.
#include <eiam.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

eiam::Config mock_config() {
    eiam::Config cfg(env("EIAM_MOCK_URL"));
    cfg.client_credentials(env("EIAM_MOCK_CLIENT_ID"), env("EIAM_MOCK_CLIENT_SECRET")).max_retries(0);
    return cfg;
}

}  // namespace

static_assert(!std::is_copy_constructible_v<eiam::Client>, "Client is move-only");
static_assert(std::is_move_constructible_v<eiam::Client>, "Client is movable");
static_assert(!std::is_copy_constructible_v<eiam::Config>, "Config is move-only");
static_assert(std::is_base_of_v<std::runtime_error, eiam::ApiError>, "errors are runtime_errors");

TEST(Client, BindThenQuery) {
    eiam::Client client(mock_config());
    EXPECT_EQ(client.bind_public_account_owner("demo-app", "pub-2", "cq04130006"),
              "20220415171558023-84A4-ED5C390B9");
    eiam::Owner owner = client.get_public_account_owner("demo-app", "pub-2");
    EXPECT_EQ(owner.user_name, "cq04130006");
    EXPECT_FALSE(owner.disabled);
    EXPECT_FALSE(owner.user_id.empty());
}

TEST(Client, MovedClientStillWorks) {
    eiam::Client a(mock_config());
    eiam::Client b(std::move(a));
    EXPECT_EQ(b.get_public_account_owner("demo-app", "pub-1").user_id, "20220331164602949-904C-D475B60AE");
}

TEST(Errors, ApiErrorCarriesStatusCodeAndMessage) {
    eiam::Client client(mock_config());
    try {
        client.get_public_account_owner("no-such-app", "pub-1");
        FAIL() << "expected ApiError";
    } catch (const eiam::ApiError &e) {
        EXPECT_EQ(e.status(), EIAM_STATUS_API_ERROR);
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.code(), "APP.0001");
        EXPECT_EQ(e.message(), "应用不存在");
    }
}

TEST(Errors, InvalidArgumentBeforeTheWire) {
    eiam::Client client(mock_config());
    try {
        client.get_public_account_owner("", "pub-1");
        FAIL() << "expected InvalidArgumentError";
    } catch (const eiam::InvalidArgumentError &e) {
        EXPECT_EQ(e.code(), "APP.0006");
        EXPECT_EQ(e.http_status(), 0);
    }
    EXPECT_THROW(eiam::Config("not a url"), eiam::InvalidArgumentError);
}

TEST(Errors, AuthErrorHidesTheSecret) {
    eiam::Config cfg(env("EIAM_MOCK_URL"));
    cfg.client_credentials(env("EIAM_MOCK_CLIENT_ID"), "cpp-wrong-secret");
    eiam::Client client(cfg);
    try {
        client.authenticate();
        FAIL() << "expected AuthError";
    } catch (const eiam::AuthError &e) {
        EXPECT_EQ(e.code(), "invalid_client");
        EXPECT_EQ(std::string(e.what()).find("cpp-wrong-secret"), std::string::npos);
    }
}

TEST(Errors, RefusedConnectionIsATransportError) {
    eiam::Config cfg("http://127.0.0.1:1");
    cfg.client_credentials("a", "b").max_retries(0);
    eiam::Client client(cfg);
    EXPECT_THROW(client.get_public_account_owner("demo-app", "pub-1"), eiam::TransportError);
}

TEST(Bulk, ResultsInOrderWithPerItemErrors) {
    eiam::Client client(mock_config());
    auto results = client.bind_public_account_owners(
        {{"demo-app", "pub-1", "zhangsan"}, {"demo-app", "missing", "zhangsan"}, {"", "pub-1", "zhangsan"}}, 2);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0].ok());
    EXPECT_EQ(*results[0].account_id, "20220415171558023-84A4-ED5C390B8");
    EXPECT_FALSE(results[1].ok());
    EXPECT_THROW(std::rethrow_exception(results[1].error), eiam::ApiError);
    EXPECT_THROW(std::rethrow_exception(results[2].error), eiam::InvalidArgumentError);
}

TEST(Client, SharedBetweenThreads) {
    const eiam::Client client(mock_config());
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i)
                if (client.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan") ok[t]++;
        });
    for (auto &t : threads) t.join();
    for (int n : ok) EXPECT_EQ(n, 10);
}

TEST(Library, Version) { EXPECT_EQ(eiam::version().find('.') != std::string::npos, true); }
