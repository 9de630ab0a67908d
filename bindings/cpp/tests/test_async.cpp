// Client::async, eiam::Cancel and Client::with_cancel against the mock:
// futures that never block the caller, and cancellation that ends a call
// within 100 ms even while the mock holds its answer for 10 s.
#include <eiam.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "mock_env.hpp"

namespace {

using std::chrono::steady_clock;
using namespace std::chrono_literals;

/// The bound, in milliseconds: from cancel() to get() throwing.
constexpr long kCancelBoundMs = 100;

long ms_since(steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start).count();
}

const char *const kPub1Owner = "20220331164602949-904C-D475B60AE";

/// Holds the next `count` API answers for `ms`, then answers normally.
void hold_answers(int count, int ms) {
    fault("{\"action\":\"normal\",\"count\":" + std::to_string(count) + ",\"delay_ms\":" + std::to_string(ms) + "}");
}

/// Waits until the mock has counted `n` API requests (false after 10 s):
/// the calls are then on the wire, waiting for their answers.
bool mock_received(long n) {
    const auto deadline = steady_clock::now() + 10s;
    while (mock_stat("api_requests") < n) {
        if (steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms);  // the poll's pace, not a synchronization
    }
    return true;
}

/// `get()` throws CancelledError, of the "cancelled" kind.
template <class T>
void expect_cancelled(std::future<T> &f) {
    try {
        f.get();
        ADD_FAILURE() << "no exception";
    } catch (const eiam::CancelledError &e) {
        EXPECT_EQ(e.status(), EIAM_STATUS_CANCELLED);
        EXPECT_EQ(e.kind(), "cancelled");
    } catch (const std::exception &e) {
        ADD_FAILURE() << "not a CancelledError: " << e.what();
    }
}

std::string owner_of_pub1(const eiam::Client &c) { return c.get_public_account_owner("demo-app", "pub-1").user_id; }

bool is_ready(const std::future<std::string> &f) { return f.wait_for(0s) == std::future_status::ready; }

class Async : public ::testing::Test {
protected:
    void SetUp() override { admin("POST", "/__mock/reset"); }
    eiam::Client client{mock_config()};
};

}  // namespace

static_assert(!std::is_copy_constructible_v<eiam::Cancel>, "a Cancel owns its token");
static_assert(std::is_move_constructible_v<eiam::Cancel>, "a Cancel is movable");

TEST_F(Async, AFutureGivesTheTypedResultAndTheCallersThreadGoesOn) {
    auto page = client.async([](const eiam::Client &c) { return c.list_accounts("demo-app"); });
    auto owner = client.async(owner_of_pub1);
    static_assert(std::is_same_v<decltype(page.get()), eiam::Page<eiam::Account>>, "typed");
    EXPECT_EQ(owner.get(), kPub1Owner);
    EXPECT_GT(page.get().total, 0u);
}

TEST_F(Async, TheWorksExceptionComesOutOfGet) {
    auto f = client.async([](const eiam::Client &c) { return c.get_account("demo-app", "no-such-account"); });
    EXPECT_THROW(f.get(), eiam::ApiError);
}

TEST_F(Async, CancelEndsACallTheMockHoldsWithin100ms) {
    client.authenticate();
    hold_answers(1, 10000);
    eiam::Cancel cancel;
    auto f = client.async(owner_of_pub1, cancel);
    ASSERT_TRUE(mock_received(1));
    EXPECT_FALSE(is_ready(f)) << "the mock holds the answer";
    const auto cancelled_at = steady_clock::now();
    cancel.cancel();
    expect_cancelled(f);
    EXPECT_LT(ms_since(cancelled_at), kCancelBoundMs);
}

TEST_F(Async, ACancelBeforeTheStartSendsNothing) {
    eiam::Cancel cancel;
    cancel.cancel();
    auto f = client.async(owner_of_pub1, cancel);
    expect_cancelled(f);
    EXPECT_EQ(mock_stat("requests"), 0) << "neither a token nor an API request";
}

TEST_F(Async, TwentyFuturesInFlightAtOnceAllComplete) {
    client.authenticate();
    // Held long enough that all twenty are seen waiting together.
    hold_answers(20, 1500);
    std::vector<std::future<std::string>> futures;
    for (int i = 0; i < 20; ++i) futures.push_back(client.async(owner_of_pub1));
    ASSERT_TRUE(mock_received(20));
    for (const auto &f : futures) EXPECT_FALSE(is_ready(f)) << "all twenty wait at once";
    for (auto &f : futures) EXPECT_EQ(f.get(), kPub1Owner);
}

TEST_F(Async, OneTokenCancelsEveryCallWatchingIt) {
    client.authenticate();
    hold_answers(3, 10000);
    eiam::Cancel cancel;
    auto owner = client.async(owner_of_pub1, cancel);
    auto page = client.async([](const eiam::Client &c) { return c.list_accounts("demo-app"); }, cancel);
    auto account = client.async([](const eiam::Client &c) { return c.get_account("demo-app", "x"); }, cancel);
    ASSERT_TRUE(mock_received(3));
    const auto cancelled_at = steady_clock::now();
    cancel.cancel();
    expect_cancelled(owner);
    expect_cancelled(page);
    expect_cancelled(account);
    EXPECT_LT(ms_since(cancelled_at), kCancelBoundMs);
}

TEST_F(Async, DestroyingTheTokenTheViewAndTheClientWhileACallRunsIsSafe) {
    auto original = std::make_unique<eiam::Client>(mock_config());
    auto cancel = std::make_unique<eiam::Cancel>();
    auto view = std::make_unique<eiam::Client>(original->with_cancel(*cancel));
    original->authenticate();
    hold_answers(1, 300);
    auto f = view->async(owner_of_pub1, *cancel);
    ASSERT_TRUE(mock_received(1));
    view.reset();
    cancel.reset();
    original.reset();
    EXPECT_EQ(f.get(), kPub1Owner) << "the future's thread holds a view of its own";
}

TEST_F(Async, ACancelledViewLeavesItsClientWorking) {
    eiam::Cancel cancel;
    eiam::Client view = client.with_cancel(cancel);
    EXPECT_EQ(owner_of_pub1(view), kPub1Owner) << "a view works like its client";
    cancel.cancel();
    EXPECT_EQ(error_of([&] { owner_of_pub1(view); }).status(), EIAM_STATUS_CANCELLED);
    EXPECT_EQ(owner_of_pub1(client), kPub1Owner);
}
