// GoogleTest suite of eiam.hpp against the mock server named by
// EIAM_MOCK_URL / EIAM_MOCK_CLIENT_ID / EIAM_MOCK_CLIENT_SECRET
// (scripts/cpp-tests.sh starts it). Built with AddressSanitizer.
#include <eiam.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" {
#include "mock_admin.h"
}

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

/// Calls one of the mock's admin endpoints; returns its body.
std::string admin(const char *method, const char *path, const char *body = nullptr) {
    char out[4096];
    int status = mock_admin(env("EIAM_MOCK_URL").c_str(), method, path, body, out, sizeof out);
    EXPECT_EQ(status, 200) << method << " " << path;
    return out;
}

/// One of the mock's request counters ("requests", "api_requests", ...).
long mock_stat(const std::string &counter) {
    std::string stats = admin("GET", "/__mock/stats");
    std::string key = "\"" + counter + "\":";
    auto at = stats.find(key);
    if (at == std::string::npos) {
        ADD_FAILURE() << "no " << counter << " in " << stats;
        return -1;
    }
    return std::strtol(stats.c_str() + at + key.size(), nullptr, 10);
}

/// `openssl s_server -www` with a fresh self-signed certificate for
/// 127.0.0.1: a TLS server that nothing trusts, answering any request with
/// an HTML page (so a client that got through sees a protocol error).
class UntrustedTlsServer {
public:
    UntrustedTlsServer() {
        char dir[] = "/tmp/eiam-cpp-tls-XXXXXX";
        if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        dir_ = dir;
        const std::string req = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
                                " -subj /CN=eiam-test -addext subjectAltName=IP:127.0.0.1 -keyout " +
                                dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
        if (std::system(req.c_str()) != 0) throw std::runtime_error("openssl req failed");
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        const std::string cert = dir_ + "/cert.pem", key = dir_ + "/key.pem";
        pid_ = fork();
        if (pid_ == 0) {
            int null = open("/dev/null", O_RDONLY);
            dup2(null, 0);
            dup2(out[1], 1);
            dup2(out[1], 2);
            execlp("openssl", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert.c_str(), "-key",
                   key.c_str(), "-www", static_cast<char *>(nullptr));
            _exit(127);
        }
        close(out[1]);
        output_ = out[0];
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
        std::string seen;
        char c;
        while (seen.find("ACCEPT 127.0.0.1:") == std::string::npos || seen.back() != '\n') {
            if (read(output_, &c, 1) != 1) throw std::runtime_error("openssl s_server did not start: " + seen);
            seen += c;
        }
        url_ = "https://127.0.0.1:" + std::to_string(std::atoi(seen.c_str() + seen.rfind(':') + 1));
    }
    ~UntrustedTlsServer() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
        if (output_ >= 0) close(output_);
        std::remove((dir_ + "/cert.pem").c_str());
        std::remove((dir_ + "/key.pem").c_str());
        rmdir(dir_.c_str());
    }
    UntrustedTlsServer(const UntrustedTlsServer &) = delete;
    UntrustedTlsServer &operator=(const UntrustedTlsServer &) = delete;
    const std::string &url() const { return url_; }

private:
    std::string dir_, url_;
    pid_t pid_ = -1;
    int output_ = -1;
};

}  // namespace

static_assert(!std::is_copy_constructible_v<eiam::Client>, "Client is move-only");
static_assert(std::is_move_constructible_v<eiam::Client>, "Client is movable");
static_assert(!std::is_copy_constructible_v<eiam::Config>, "Config is move-only");
static_assert(std::is_base_of_v<std::runtime_error, eiam::ApiError>, "errors are runtime_errors");

TEST(Client, BindThenQuery) {
    eiam::Client client(mock_config());
    EXPECT_EQ(client.bind_public_account_owner("demo-app", "pub-2", "cq04130006"),
              "pub-2");
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
        EXPECT_EQ(e.kind(), "api");
        EXPECT_EQ(e.text(), "api error APP.0001 (HTTP 400): 应用不存在");
    }
}

TEST(Config, ClientIdAndSecretApartAndTheLibraryPairsThem) {
    const char *url = std::getenv("EIAM_MOCK_URL");
    const char *id = std::getenv("EIAM_MOCK_CLIENT_ID");
    const char *secret = std::getenv("EIAM_MOCK_CLIENT_SECRET");
    ASSERT_TRUE(url && id && secret);
    eiam::Client client(std::move(eiam::Config(url).client_secret(secret).client_id(id)));
    EXPECT_EQ(client.get_public_account_owner("demo-app", "pub-1").user_name, "zhangsan");
    try {
        eiam::Client half(std::move(eiam::Config(url).client_id(id)));
        FAIL() << "expected InvalidArgumentError";
    } catch (const eiam::InvalidArgumentError &e) {
        EXPECT_NE(std::string(e.what()).find("both client_id and client_secret"), std::string::npos) << e.what();
        EXPECT_EQ(e.kind(), "invalid argument");
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
    // The configuration is checked, as a whole, when the client is made.
    eiam::Config bad("not a url");
    bad.access_token("t");
    EXPECT_THROW(eiam::Client(std::move(bad)), eiam::InvalidArgumentError);
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
    EXPECT_EQ(*results[0].account_id, "pub-1");
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

// A NUL would cut the C string short: "pub-2\0-other-account" would bind
// pub-2. Every string argument must be refused, naming it, before anything
// is sent.
TEST(BadInput, EmbeddedNULIsRefusedBeforeAnythingIsSent) {
    const std::string tail("\0-other-account", 15);
    const std::string url = env("EIAM_MOCK_URL"), id = env("EIAM_MOCK_CLIENT_ID"),
                      secret = env("EIAM_MOCK_CLIENT_SECRET");
    // Makes a call, so that a config that should have been refused shows.
    auto use = [](const eiam::Config &cfg) { eiam::Client(cfg).get_public_account_owner("demo-app", "pub-2"); };
    auto with_credentials = [&](eiam::Config &cfg) -> eiam::Config & { return cfg.client_credentials(id, secret); };
    const eiam::BindItem good{"demo-app", "pub-2", "cq04130006"};
    auto bulk = [&](eiam::BindItem bad) { eiam::Client(mock_config()).bind_public_account_owners({good, bad}); };
    struct Row {
        const char *arg;
        std::function<void()> run;
    };
    const std::vector<Row> rows = {
        {"base_url", [&] { eiam::Config cfg(url + tail); use(with_credentials(cfg)); }},
        {"client_id", [&] { eiam::Config cfg(url); use(cfg.client_credentials(id + tail, secret)); }},
        {"client_secret", [&] { eiam::Config cfg(url); use(cfg.client_credentials(id, secret + tail)); }},
        {"access_token", [&] { eiam::Config cfg(url); use(cfg.access_token("tok" + tail)); }},
        {"ca_file", [&] { eiam::Config cfg(url); use(with_credentials(cfg).ca_file("/etc/ssl/certs/ca-certificates.crt" + tail)); }},
        {"proxy", [&] { eiam::Config cfg(url); use(with_credentials(cfg).proxy("http://127.0.0.1:1" + tail)); }},
        {"user_agent", [&] { eiam::Config cfg(url); use(with_credentials(cfg).user_agent("app/1" + tail)); }},
        {"app_id", [&] { eiam::Client(mock_config()).bind_public_account_owner("demo-app" + tail, "pub-2", "cq04130006"); }},
        {"app_user_id", [&] { eiam::Client(mock_config()).bind_public_account_owner("demo-app", "pub-2" + tail, "cq04130006"); }},
        {"user_name", [&] { eiam::Client(mock_config()).bind_public_account_owner("demo-app", "pub-2", "cq04130006" + tail); }},
        {"app_id", [&] { eiam::Client(mock_config()).get_public_account_owner("demo-app" + tail, "pub-2"); }},
        {"app_user_id", [&] { eiam::Client(mock_config()).get_public_account_owner("demo-app", "pub-2" + tail); }},
        {"items[1].app_id", [&] { bulk({"demo-app" + tail, "pub-2", "cq04130006"}); }},
        {"items[1].app_user_id", [&] { bulk({"demo-app", "pub-2" + tail, "cq04130006"}); }},
        {"items[1].user_name", [&] { bulk({"demo-app", "pub-2", "cq04130006" + tail}); }},
    };
    for (const auto &row : rows) {
        SCOPED_TRACE(row.arg);
        admin("POST", "/__mock/reset");
        try {
            row.run();
            ADD_FAILURE() << "no exception";
        } catch (const eiam::InvalidArgumentError &e) {
            EXPECT_EQ(e.status(), EIAM_STATUS_INVALID_ARGUMENT);
            EXPECT_NE(std::string(e.what()).find(row.arg), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("-other-account"), std::string::npos) << e.what();
        } catch (const std::exception &e) {
            ADD_FAILURE() << "not an InvalidArgumentError: " << e.what();
        }
        EXPECT_EQ(mock_stat("requests"), 0);
    }
}

TEST(Bulk, ProgressReportsEveryItemAndCanCancel) {
    admin("POST", "/__mock/reset");
    eiam::Client client(mock_config());
    std::vector<eiam::Progress> reports;
    auto results = client.bind_public_account_owners(
        {{"demo-app", "pub-1", "zhangsan"}, {"demo-app", "missing", "zhangsan"}, {"demo-app", "pub-1", "zhangsan"}},
        1, [&](const eiam::Progress &p) {
            reports.push_back(p);
            return p.done < 2;
        });
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[1].done, 2u);
    EXPECT_EQ(reports[1].total, 3u);
    EXPECT_EQ(reports[1].failures, 1u);
    EXPECT_TRUE(results[0].ok());
    EXPECT_THROW(std::rethrow_exception(results[1].error), eiam::ApiError);
    EXPECT_THROW(std::rethrow_exception(results[2].error), eiam::CancelledError);
    EXPECT_EQ(mock_stat("api_requests"), 2);
}

// Rust cannot catch a C++ exception (it aborts): the wrapper catches it in
// the callback, cancels the items not started, frees the results (the
// suite runs under LeakSanitizer) and throws it again from the call.
TEST(Bulk, ExceptionFromTheProgressCallbackReachesTheCaller) {
    admin("POST", "/__mock/reset");
    eiam::Client client(mock_config());
    std::vector<eiam::BindItem> items(4, {"demo-app", "pub-1", "zhangsan"});
    int calls = 0;
    try {
        client.bind_public_account_owners(items, 1, [&](const eiam::Progress &) -> bool {
            ++calls;
            throw std::out_of_range("from the callback");
        });
        FAIL() << "expected the callback's exception";
    } catch (const std::out_of_range &e) {
        EXPECT_STREQ(e.what(), "from the callback");
    }
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(mock_stat("api_requests"), 1);
    EXPECT_EQ(client.get_public_account_owner("demo-app", "pub-1").user_name, "zhangsan");
}

// Numbers are never converted silently: what C cannot hold is refused
// naming the setting, and a part of a millisecond rounds up.
TEST(Config, OutOfRangeValuesAreRefusedNamingTheSetting) {
    long long huge = 1LL << 32;
    int negative = -1;
    struct Row {
        const char *setting;
        std::function<void(eiam::Config &)> set;
    };
    const std::vector<Row> rows = {
        {"max_retries", [&](eiam::Config &c) { c.max_retries(huge); }},
        {"max_retries", [&](eiam::Config &c) { c.max_retries(negative); }},
        {"timeout_ms", [&](eiam::Config &c) { c.timeout_ms(negative); }},
        {"connect_timeout_ms", [&](eiam::Config &c) { c.connect_timeout_ms(negative); }},
        {"timeout", [&](eiam::Config &c) { c.timeout(std::chrono::milliseconds(negative)); }},
        {"timeout", [&](eiam::Config &c) { c.timeout(std::chrono::hours::max()); }},
        {"timeout", [&](eiam::Config &c) { c.timeout(std::chrono::duration<double>(std::nan(""))); }},
        {"connect_timeout", [&](eiam::Config &c) { c.connect_timeout(std::chrono::nanoseconds(negative)); }},
    };
    for (const auto &row : rows) {
        SCOPED_TRACE(row.setting);
        eiam::Config cfg(env("EIAM_MOCK_URL"));
        try {
            row.set(cfg);
            ADD_FAILURE() << "accepted";
        } catch (const eiam::InvalidArgumentError &e) {
            EXPECT_EQ(std::string(e.what()).rfind(std::string(row.setting) + " ", 0), 0u) << e.what();
        }
    }
    eiam::Client client(mock_config());
    EXPECT_THROW(client.bind_public_account_owners({{"demo-app", "pub-1", "zhangsan"}}, huge), eiam::InvalidArgumentError);
}

TEST(Config, SubMillisecondDurationsRoundUp) {
    int port = 0;
    int fd = silent_listener(&port);
    ASSERT_GE(fd, 0);
    struct Close {
        int fd;
        ~Close() { close(fd); }
    } close_it{fd};
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    struct Row {
        std::function<void(eiam::Config &)> set;
        const char *shown;
    };
    const std::vector<Row> rows = {
        {[](eiam::Config &c) { c.timeout(std::chrono::microseconds(500)); }, "deadline of 1ms"},
        {[](eiam::Config &c) { c.timeout(std::chrono::microseconds(1500)); }, "deadline of 2ms"},
        {[](eiam::Config &c) { c.timeout(std::chrono::duration<double>(0.0005)); }, "deadline of 1ms"},
        {[](eiam::Config &c) { c.timeout(std::chrono::seconds(0) + std::chrono::milliseconds(3)); }, "deadline of 3ms"},
    };
    for (const auto &row : rows) {
        SCOPED_TRACE(row.shown);
        eiam::Config cfg(url);
        cfg.access_token("t").connect_timeout(std::chrono::microseconds(1));
        row.set(cfg);
        eiam::Client client(cfg);
        try {
            client.get_public_account_owner("a", "b");
            ADD_FAILURE() << "no timeout";
        } catch (const eiam::TimeoutError &e) {
            EXPECT_NE(std::string(e.what()).find(row.shown), std::string::npos) << e.what();
        }
    }
}

TEST(Tls, DangerAcceptInvalidCertsTurnsVerificationOff) {
    UntrustedTlsServer server;
    eiam::Config strict(server.url());
    strict.access_token("t").max_retries(0);
    EXPECT_THROW(eiam::Client(strict).get_public_account_owner("a", "b"), eiam::TransportError);
    eiam::Config danger(server.url());
    danger.access_token("t").max_retries(0).danger_accept_invalid_certs(true);
    // Through TLS, then an HTML page where JSON was expected.
    EXPECT_THROW(eiam::Client(danger).get_public_account_owner("a", "b"), eiam::ProtocolError);
}

TEST(Tls, UsePlatformRootsFalseNeedsACaFile) {
    eiam::Config cfg("https://tenant.example.com");
    cfg.access_token("t").use_platform_roots(false);
    try {
        eiam::Client client(cfg);
        FAIL() << "expected InvalidArgumentError";
    } catch (const eiam::InvalidArgumentError &e) {
        EXPECT_NE(std::string(e.what()).find("use_platform_roots"), std::string::npos) << e.what();
    }
    cfg.use_platform_roots(true);
    EXPECT_NO_THROW(eiam::Client{cfg});
}
