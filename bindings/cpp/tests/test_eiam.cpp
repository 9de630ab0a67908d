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
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mock_env.hpp"

namespace {

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

// ---------------------------------------------------------------------
// The account family.

namespace {

const char *const ZHANGSAN_ID = "20220331164602949-904C-D475B60AE";
const char *const SALES_ORG_ID = "20220401000000002-0A0A-000000002";

/// The mock's JSON with `"key":` followed by a number; that number.
long json_number(const std::string &body, const std::string &key) {
    const std::string quoted = "\"" + key + "\":";
    auto at = body.find(quoted);
    if (at == std::string::npos) {
        ADD_FAILURE() << "no " << key << " in " << body;
        return -1;
    }
    return std::strtol(body.c_str() + at + quoted.size(), nullptr, 10);
}

long account_count(const std::string &app_id) {
    return json_number(admin("GET", ("/__mock/account-count?app_id=" + app_id).c_str()), "count");
}

/// The mock's record of an account (`{"account":null}` when there is none).
std::string mock_account(const std::string &app_id, const std::string &account_id) {
    return admin("GET", ("/__mock/account?app_id=" + app_id + "&account_id=" + account_id).c_str());
}

std::string mock_members(const std::string &app_id, const std::string &account_id) {
    return admin("GET", ("/__mock/members?app_id=" + app_id + "&account_id=" + account_id).c_str());
}

bool password_is(const std::string &app_id, const std::string &account_id, const std::string &password) {
    const std::string body =
        "{\"app_id\":\"" + app_id + "\",\"account_id\":\"" + account_id + "\",\"password\":\"" + password + "\"}";
    return admin("POST", "/__mock/password-is", body.c_str()).find("\"matches\":true") != std::string::npos;
}

/// A client that retries (the suite's default client does not).
eiam::Client retrying_client() {
    eiam::Config cfg = mock_config();
    cfg.max_retries(2);
    return eiam::Client(cfg);
}

class Accounts : public ::testing::Test {
protected:
    void SetUp() override { admin("POST", "/__mock/reset"); }
    eiam::Client client{mock_config()};
};

}  // namespace

static_assert(!std::is_copy_constructible_v<eiam::Range<eiam::Account>>, "a range owns its pager");
static_assert(std::is_move_constructible_v<eiam::Range<eiam::Account>>, "a range can be returned");
static_assert(std::is_same_v<std::iterator_traits<eiam::Range<eiam::AccountUser>::iterator>::iterator_category,
                             std::input_iterator_tag>,
              "an input iterator");

TEST(AccountType, ToStringGivesTheServiceNames) {
    EXPECT_EQ(eiam::to_string(eiam::AccountType::Basic), "BASIC_ACCOUNT");
    EXPECT_EQ(eiam::to_string(eiam::AccountType::Orphan), "ORPHAN_ACCOUNT");
    EXPECT_EQ(eiam::to_string(eiam::AccountType::Public), "PUBLIC_ACCOUNT");
}

TEST_F(Accounts, CreateEachKindThenGetIt) {
    eiam::AccountFields fields;
    fields.name = "Shared mailbox";
    fields.org_code = "sales";
    fields.disabled = true;
    const std::string pub = client.create_public_account("demo-app", "mailbox", fields);
    eiam::Account a = client.get_account("demo-app", pub);
    EXPECT_EQ(a.id, pub);
    EXPECT_EQ(a.account_name, "mailbox");
    EXPECT_EQ(a.name, "Shared mailbox");
    EXPECT_EQ(a.org_id, SALES_ORG_ID);
    EXPECT_EQ(a.account_type, "PUBLIC_ACCOUNT");
    EXPECT_TRUE(a.disabled);
    EXPECT_EQ(a.extension, "{}");

    // No account_name: the service names it after the user; no name, no org.
    const std::string basic = client.create_basic_account("demo-app", ZHANGSAN_ID);
    a = client.get_account("demo-app", basic);
    EXPECT_EQ(a.account_name, "zhangsan");
    EXPECT_EQ(a.account_type, "BASIC_ACCOUNT");
    EXPECT_EQ(a.name, std::nullopt);
    EXPECT_EQ(a.org_id, std::nullopt);
    EXPECT_FALSE(a.disabled);
    EXPECT_NE(mock_account("demo-app", basic).find(ZHANGSAN_ID), std::string::npos);

    const std::string named = client.create_basic_account("demo-app", ZHANGSAN_ID, std::string("zs2"));
    EXPECT_EQ(client.get_account("demo-app", named).account_name, "zs2");

    const std::string orphan = client.create_orphan_account("demo-app", "robot");
    a = client.get_account("demo-app", orphan);
    EXPECT_EQ(a.account_type, "ORPHAN_ACCOUNT");
    EXPECT_EQ(a.account_name, "robot");
    EXPECT_EQ(account_count("demo-app"), 6);
    EXPECT_EQ(std::set<std::string>({pub, basic, named, orphan}).size(), 4u);
}

TEST_F(Accounts, UpdateDisableEnableDelete) {
    const std::string id = client.create_orphan_account("demo-app", "robot");
    eiam::AccountFields fields;
    fields.name = "Robot";
    EXPECT_EQ(client.update_account("demo-app", id, "robot-2", fields), id);
    eiam::Account a = client.get_account("demo-app", id);
    EXPECT_EQ(a.account_name, "robot-2");
    EXPECT_EQ(a.name, "Robot");
    // Fields left out stay as they are.
    EXPECT_EQ(client.update_account("demo-app", id, "robot-3"), id);
    EXPECT_EQ(client.get_account("demo-app", id).name, "Robot");

    EXPECT_EQ(client.disable_account("demo-app", id), id);
    EXPECT_TRUE(client.get_account("demo-app", id).disabled);
    EXPECT_EQ(client.enable_account("demo-app", id), id);
    EXPECT_FALSE(client.get_account("demo-app", id).disabled);
    fields = {};
    fields.disabled = true;
    client.update_account("demo-app", id, "robot-3", fields);
    EXPECT_TRUE(client.get_account("demo-app", id).disabled);

    client.delete_account("demo-app", id);
    EXPECT_EQ(mock_account("demo-app", id), "{\"account\":null}");
    EXPECT_EQ(account_count("demo-app"), 2);
}

TEST_F(Accounts, AddListAndRemovePublicAccountUsers) {
    EXPECT_EQ(client.add_public_account_users("demo-app", "pub-2", {"zhangsan", "lisi"}), "pub-2");
    EXPECT_EQ(mock_members("demo-app", "pub-2"), "{\"user_names\":[\"zhangsan\",\"lisi\"]}");
    eiam::Page<eiam::AccountUser> page = client.list_public_account_users("demo-app", "pub-2");
    EXPECT_EQ(page.total, 2u);
    EXPECT_EQ(page.page, 0u);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].user_name, "zhangsan");
    EXPECT_EQ(page.items[0].id, ZHANGSAN_ID);
    EXPECT_FALSE(page.items[0].disabled);
    EXPECT_EQ(page.items[1].user_name, "lisi");
    EXPECT_TRUE(page.items[1].disabled);
    // Past the end: an empty page, with the total.
    page = client.list_public_account_users("demo-app", "pub-2", 1, 10);
    EXPECT_TRUE(page.items.empty());
    EXPECT_EQ(page.total, 2u);
    EXPECT_EQ(page.page, 1u);

    EXPECT_EQ(client.remove_public_account_users("demo-app", "pub-2", {"zhangsan"}), "pub-2");
    EXPECT_EQ(mock_members("demo-app", "pub-2"), "{\"user_names\":[\"lisi\"]}");

    std::vector<std::string> names;
    for (const eiam::AccountUser &u : client.public_account_users("demo-app", "pub-1", 10))
        names.push_back(u.user_name);
    EXPECT_EQ(names, (std::vector<std::string>{"zhangsan", "cq04130006"}));
}

TEST_F(Accounts, ListOnePageOfOneType) {
    eiam::Page<eiam::Account> page = client.list_accounts("paging-app", eiam::AccountType::Basic, 1, 50);
    EXPECT_EQ(page.total, 84u);
    EXPECT_EQ(page.page, 1u);
    ASSERT_EQ(page.items.size(), 34u);
    for (const auto &a : page.items) EXPECT_EQ(a.account_type, "BASIC_ACCOUNT") << a.id;
    // acct-001, acct-004, ...: the 51st basic account is acct-151.
    EXPECT_EQ(page.items[0].id, "acct-151");
    EXPECT_EQ(page.items[0].name, "Account 151");
    page = client.list_accounts("paging-app");
    EXPECT_EQ(page.total, 250u);
    EXPECT_EQ(page.items.size(), 100u);
}

TEST_F(Accounts, TheRangeWalksEveryPageOnceAndLazily) {
    auto range = client.accounts("paging-app", std::nullopt, 100);
    EXPECT_EQ(mock_stat("api_requests"), 0) << "nothing is sent before the walk starts";
    std::set<std::string> ids;
    std::size_t seen = 0;
    for (const eiam::Account &a : range) {
        ids.insert(a.id);
        ++seen;
        // The next page only once this one is used up.
        if (seen == 100) {
            EXPECT_EQ(mock_stat("api_requests"), 1);
        } else if (seen == 101) {
            EXPECT_EQ(mock_stat("api_requests"), 2);
        }
    }
    EXPECT_EQ(seen, 250u);
    EXPECT_EQ(ids.size(), 250u);
    EXPECT_EQ(*ids.begin(), "acct-001");
    EXPECT_EQ(*ids.rbegin(), "acct-250");
    EXPECT_EQ(mock_stat("api_requests"), 3);
    // Of one type.
    std::size_t orphans = 0;
    for (const eiam::Account &a : client.accounts("paging-app", eiam::AccountType::Orphan, 10)) {
        EXPECT_EQ(a.account_type, "ORPHAN_ACCOUNT");
        ++orphans;
    }
    EXPECT_EQ(orphans, 83u);
}

// The pager is freed with the range (LeakSanitizer checks), also when the
// loop is left early or the walk throws.
TEST_F(Accounts, LeavingTheRangeEarlyFreesIt) {
    int n = 0;
    for (const eiam::Account &a : client.accounts("paging-app", std::nullopt, 10)) {
        (void)a;
        if (++n == 15) break;
    }
    EXPECT_EQ(n, 15);
    EXPECT_EQ(mock_stat("api_requests"), 2);
    try {
        for (const eiam::Account &a : client.accounts("paging-app", std::nullopt, 10)) {
            (void)a;
            throw std::out_of_range("mine");
        }
    } catch (const std::out_of_range &) {
    }
    EXPECT_EQ(mock_stat("api_requests"), 3);
    // A range never begun is freed too, having sent nothing.
    { auto unused = client.public_account_users("demo-app", "pub-1"); }
    EXPECT_EQ(mock_stat("api_requests"), 3);
}

TEST_F(Accounts, AServerThatRepeatsAPageMakesTheRangeThrow) {
    const std::string item = "{\"id\":\"r-%d\",\"account_name\":\"r\",\"name\":null,\"org_id\":null,"
                             "\"account_type\":\"ORPHAN_ACCOUNT\",\"disabled\":false,\"extension\":{}}";
    std::string items;
    for (int i = 1; i <= 10; ++i) {
        std::string one = item;
        one.replace(one.find("%d"), 2, std::to_string(i));
        items += (i > 1 ? "," : "") + one;
    }
    std::string body = "{\"total\":250,\"accounts\":[" + items + "]}";
    std::string escaped;
    for (char c : body) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
    fault("{\"status\":200,\"count\":5,\"body\":\"" + escaped + "\"}");
    int seen = 0;
    eiam::Error e = error_of([&] {
        for (const eiam::Account &a : client.accounts("paging-app", std::nullopt, 10)) {
            (void)a;
            ASSERT_LT(++seen, 1000) << "looping";
        }
    });
    EXPECT_EQ(e.kind(), "protocol");
    EXPECT_NE(e.text().find("same 10 items"), std::string::npos) << e.text();
    EXPECT_EQ(seen, 10);
    EXPECT_EQ(mock_stat("api_requests"), 2);
}

TEST_F(Accounts, ExtensionRoundTripsNestedAndNonAscii) {
    const std::string extension =
        "{\"dept\":{\"floors\":[3,4.5,null],\"name\":\"研发部\",\"tags\":{\"ü\":true}},\"nick\":\"张三 \\\"z\\\"\"}";
    eiam::AccountFields fields;
    fields.extension = extension;
    const std::string id = client.create_orphan_account("demo-app", "ext", fields);
    EXPECT_EQ(client.get_account("demo-app", id).extension, extension);
    bool found = false;
    for (const eiam::Account &a : client.accounts("demo-app"))
        if (a.id == id) found = a.extension == extension;
    EXPECT_TRUE(found);
    fields.extension = "{\"a\":[]}";
    client.update_account("demo-app", id, "ext", fields);
    EXPECT_EQ(client.get_account("demo-app", id).extension, "{\"a\":[]}");
}

TEST_F(Accounts, EveryDocumentedErrorHasItsKindAndCode) {
    eiam::AccountFields bad_org;
    bad_org.org_code = "no-such-org";
    struct Row {
        const char *code;
        std::function<void()> run;
    };
    const std::vector<Row> rows = {
        {"APP.0001", [&] { client.create_public_account("no-such-app", "x"); }},
        {"APP.0001", [&] { client.create_orphan_account("no-such-app", "x"); }},
        {"APP.0001", [&] { client.create_basic_account("no-such-app", ZHANGSAN_ID); }},
        {"APP.0001", [&] { client.list_accounts("no-such-app"); }},
        {"APP.0001", [&] { client.delete_account("no-such-app", "pub-1"); }},
        {"APP.0001", [&] { client.update_account("no-such-app", "pub-1", "x"); }},
        {"APP.ORG.0024", [&] { client.create_public_account("demo-app", "x", bad_org); }},
        {"APP.ORG.0024", [&] { client.create_orphan_account("demo-app", "x", bad_org); }},
        {"APP.ORG.0024", [&] { client.update_account("demo-app", "pub-1", "x", bad_org); }},
        {"USER.0001", [&] { client.create_basic_account("demo-app", "no-such-user"); }},
        {"USER.0001", [&] { client.add_public_account_users("demo-app", "pub-2", {"zhangsan", "nobody"}); }},
        {"APP.ACCOUNT.0028", [&] { client.get_account("demo-app", "no-such-account"); }},
        {"APP.ACCOUNT.0028", [&] { client.update_account("demo-app", "no-such-account", "x"); }},
        {"APP.ACCOUNT.0028", [&] { client.disable_account("demo-app", "no-such-account"); }},
        {"APP.ACCOUNT.0028", [&] { client.enable_account("demo-app", "no-such-account"); }},
        {"APP.ACCOUNT.0028", [&] { client.delete_account("demo-app", "no-such-account"); }},
        {"APP.ACCOUNT.0038", [&] { client.list_public_account_users("demo-app", "no-such-account"); }},
        {"APP.ACCOUNT.0038", [&] { client.remove_public_account_users("demo-app", "no-such-account", {"lisi"}); }},
        {"APP.ACCOUNT.0038", [&] { client.public_account_users("demo-app", "no-such-account").begin(); }},
    };
    for (const auto &row : rows) {
        SCOPED_TRACE(row.code);
        eiam::Error e = error_of(row.run);
        EXPECT_EQ(e.kind(), "api");
        EXPECT_EQ(e.status(), EIAM_STATUS_API_ERROR);
        EXPECT_EQ(e.code(), row.code);
        EXPECT_EQ(e.http_status(), 400);
    }
    EXPECT_NO_THROW(client.list_accounts("demo-app"));  // the application has not gone
    // Get's code comes with a space inside (" APP.ACCOUNT. 0028").
    EXPECT_EQ(error_of([&] { client.get_account("demo-app", "nope"); }).text(),
              "api error APP.ACCOUNT.0028 (HTTP 400): 应用账号不存在");
    EXPECT_EQ(account_count("demo-app"), 2);
}

TEST_F(Accounts, ABadPageSizeIsRefusedBeforeAnyRequest) {
    const std::vector<std::function<void()>> runs = {
        [&] { client.list_accounts("paging-app", std::nullopt, 0, 9); },
        [&] { client.list_accounts("paging-app", std::nullopt, 0, 101); },
        [&] { client.list_public_account_users("demo-app", "pub-1", 0, 5); },
        [&] { client.accounts("paging-app", std::nullopt, 0).begin(); },
        [&] { client.public_account_users("demo-app", "pub-1", 1000).begin(); },
    };
    for (std::size_t i = 0; i < runs.size(); ++i) {
        SCOPED_TRACE(i);
        eiam::Error e = error_of(runs[i]);
        EXPECT_EQ(e.kind(), "invalid argument");
        EXPECT_EQ(e.code(), "OAP.PAGE.0002");
    }
    // What C cannot hold is refused here, naming it, not wrapped around.
    EXPECT_NE(error_of([&] { client.list_accounts("paging-app", std::nullopt, -1, 10); }).text().find("page "),
              std::string::npos);
    EXPECT_NE(error_of([&] { client.accounts("paging-app", std::nullopt, 1LL << 32); }).text().find("page_size"),
              std::string::npos);
    EXPECT_EQ(mock_stat("api_requests"), 0);
}

// "pub-2\0-other-account" would reach pub-2 if C saw it cut short.
TEST_F(Accounts, EmbeddedNULIsRefusedBeforeAnythingIsSent) {
    const std::string tail("\0-other-account", 15);
    const auto with = [&](std::optional<std::string> eiam::AccountFields::*field) {
        eiam::AccountFields f;
        f.*field = "x" + tail;
        return f;
    };
    struct Row {
        const char *arg;
        std::function<void()> run;
    };
    const std::vector<Row> rows = {
        {"app_id", [&] { client.create_public_account("demo-app" + tail, "x"); }},
        {"account_name", [&] { client.create_public_account("demo-app", "x" + tail); }},
        {"fields.name", [&] { client.create_public_account("demo-app", "x", with(&eiam::AccountFields::name)); }},
        {"fields.org_code", [&] { client.create_orphan_account("demo-app", "x", with(&eiam::AccountFields::org_code)); }},
        {"fields.password", [&] { client.create_orphan_account("demo-app", "x", with(&eiam::AccountFields::password)); }},
        {"fields.extension", [&] { client.update_account("demo-app", "pub-1", "x", with(&eiam::AccountFields::extension)); }},
        {"user_id", [&] { client.create_basic_account("demo-app", ZHANGSAN_ID + tail); }},
        {"account_name", [&] { client.create_basic_account("demo-app", ZHANGSAN_ID, "zs" + tail); }},
        {"account_name", [&] { client.create_orphan_account("demo-app", "x" + tail); }},
        {"app_user_id", [&] { client.add_public_account_users("demo-app", "pub-2" + tail, {"lisi"}); }},
        {"user_names[1]", [&] { client.add_public_account_users("demo-app", "pub-2", {"lisi", "zhangsan" + tail}); }},
        {"user_names[0]", [&] { client.remove_public_account_users("demo-app", "pub-1", {"zhangsan" + tail}); }},
        {"app_user_id", [&] { client.list_public_account_users("demo-app", "pub-1" + tail); }},
        {"app_id", [&] { client.public_account_users("demo-app" + tail, "pub-1"); }},
        {"account_id", [&] { client.get_account("demo-app", "pub-1" + tail); }},
        {"app_id", [&] { client.list_accounts("demo-app" + tail); }},
        {"app_id", [&] { client.accounts("demo-app" + tail); }},
        {"account_id", [&] { client.update_account("demo-app", "pub-1" + tail, "x"); }},
        {"account_name", [&] { client.update_account("demo-app", "pub-1", "x" + tail); }},
        {"account_id", [&] { client.disable_account("demo-app", "pub-1" + tail); }},
        {"account_id", [&] { client.enable_account("demo-app", "pub-1" + tail); }},
        {"account_id", [&] { client.delete_account("demo-app", "pub-1" + tail); }},
        {"method", [&] { client.request("GET" + tail, "/api/v2/tenant/applications/demo-app/accounts"); }},
        {"path", [&] { client.request("GET", "/api/v2/tenant/applications/demo-app/accounts" + tail); }},
        {"query[1].name", [&] { client.request("GET", "/api/v2/x", {{"offset", "0"}, {"limit" + tail, "10"}}); }},
        {"query[0].value", [&] { client.request("GET", "/api/v2/x", {{"offset", "0" + tail}}); }},
        {"json_body", [&] { client.request("POST", "/api/v2/x", {}, "{}" + tail); }},
    };
    for (const auto &row : rows) {
        SCOPED_TRACE(row.arg);
        eiam::Error e = error_of(row.run);
        EXPECT_EQ(e.kind(), "invalid argument");
        EXPECT_EQ(e.text().rfind(std::string("invalid argument error: ") + row.arg + " must not", 0), 0u) << e.text();
        EXPECT_EQ(e.text().find("-other-account"), std::string::npos) << e.text();
    }
    EXPECT_EQ(mock_stat("requests"), 0);
}

// The request may have arrived: retrying could create a second account.
TEST_F(Accounts, ACreateIsNotRetriedAfterALostAnswer) {
    eiam::Client retrying = retrying_client();
    retrying.authenticate();
    fault("{\"action\":\"normal\",\"cut\":\"mid_body\",\"count\":3}");
    eiam::Error e = error_of([&] { retrying.create_orphan_account("demo-app", "once"); });
    EXPECT_EQ(e.kind(), "transport");
    EXPECT_EQ(mock_stat("api_requests"), 1);
    EXPECT_EQ(account_count("demo-app"), 3);
}

// A delete is retried; the retry's APP.ACCOUNT.0028 means the first one
// deleted it.
TEST_F(Accounts, ADeleteIsRetriedAfterALostAnswer) {
    eiam::Client retrying = retrying_client();
    const std::string id = retrying.create_orphan_account("demo-app", "doomed");
    // The 204 has no body to cut in half: cut it in the headers.
    fault("{\"action\":\"normal\",\"cut\":\"in_headers\"}");
    const long before = mock_stat("api_requests");
    EXPECT_NO_THROW(retrying.delete_account("demo-app", id));
    EXPECT_EQ(mock_stat("api_requests"), before + 2);
    EXPECT_EQ(mock_account("demo-app", id), "{\"account\":null}");
    EXPECT_EQ(account_count("demo-app"), 2);
}

TEST_F(Accounts, RequestOnAGetAndAPost) {
    std::optional<std::string> json = client.request("GET", "/api/v2/tenant/applications/paging-app/accounts",
                                                     {{"account_type", "ORPHAN_ACCOUNT"}, {"offset", "8"}, {"limit", "10"}});
    ASSERT_TRUE(json);
    EXPECT_EQ(json->rfind("{\"total\":83,\"accounts\":[", 0), 0u) << *json;
    EXPECT_NE(json->find("\"id\":\"acct-242\""), std::string::npos) << *json;  // the 81st orphan

    json = client.request("POST", "/api/v2/tenant/applications/demo-app/accounts/orphan-account", {},
                          std::string("{\"account_name\":\"raw\",\"name\":\"名\"}"));
    ASSERT_TRUE(json);
    const std::string key = "{\"account_id\":\"";
    ASSERT_EQ(json->rfind(key, 0), 0u) << *json;
    const std::string id = json->substr(key.size(), json->size() - key.size() - 2);
    EXPECT_EQ(client.get_account("demo-app", id).name, "名");

    // An answer without a body.
    EXPECT_EQ(client.request("DELETE", "/api/v2/tenant/applications/demo-app/accounts/" + id), std::nullopt);
    EXPECT_EQ(mock_account("demo-app", id), "{\"account\":null}");
    // Errors as for the typed calls.
    eiam::Error e = error_of([&] { client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/nope"); });
    EXPECT_EQ(e.code(), "APP.ACCOUNT.0028");
    EXPECT_EQ(error_of([&] { client.request("GET", "/not-api"); }).kind(), "invalid argument");
}

TEST_F(Accounts, ThePasswordReachesTheServiceButNoException) {
    const std::string password = "cpp-Pa55-w0rd";
    eiam::AccountFields fields;
    fields.password = password;
    const std::string id = client.create_orphan_account("demo-app", "pw", fields);
    EXPECT_TRUE(password_is("demo-app", id, password));
    fields.password = password + "-2";
    client.update_account("demo-app", id, "pw", fields);
    EXPECT_TRUE(password_is("demo-app", id, password + "-2"));
    EXPECT_FALSE(password_is("demo-app", id, password));

    // Answers that echo it: an API error, and a body that is not JSON.
    fault("{\"status\":400,\"body\":\"{\\\"error_code\\\":\\\" APP.0001\\\",\\\"error_msg\\\":\\\"bad " + password +
          "\\\"}\"}");
    fault("{\"status\":502,\"content_type\":\"text/plain\",\"body\":\"gateway saw password=" + password + "\"}");
    for (const char *kind : {"api", "protocol"}) {
        SCOPED_TRACE(kind);
        eiam::Error e = error_of([&] { client.update_account("demo-app", id, "pw", fields); });
        EXPECT_EQ(e.kind(), kind);
        EXPECT_EQ(e.text().find(password), std::string::npos) << e.text();
        EXPECT_EQ(std::string(e.what()).find(password), std::string::npos) << e.what();
    }
}
