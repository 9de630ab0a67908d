// The tests' view of the mock server named by EIAM_MOCK_URL /
// EIAM_MOCK_CLIENT_ID / EIAM_MOCK_CLIENT_SECRET: a client of it, its admin
// endpoints and its counters. Shared by the test files.
#ifndef EIAM_CPP_TESTS_MOCK_ENV_HPP
#define EIAM_CPP_TESTS_MOCK_ENV_HPP

#include <eiam.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

extern "C" {
#include "mock_admin.h"
}

inline std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

inline eiam::Config mock_config() {
    eiam::Config cfg(env("EIAM_MOCK_URL"));
    cfg.client_credentials(env("EIAM_MOCK_CLIENT_ID"), env("EIAM_MOCK_CLIENT_SECRET")).max_retries(0);
    return cfg;
}

/// Calls one of the mock's admin endpoints; returns its body.
inline std::string admin(const char *method, const char *path, const char *body = nullptr) {
    char out[4096];
    int status = mock_admin(env("EIAM_MOCK_URL").c_str(), method, path, body, out, sizeof out);
    EXPECT_EQ(status, 200) << method << " " << path;
    return out;
}

/// One of the mock's request counters ("requests", "api_requests", ...).
inline long mock_stat(const std::string &counter) {
    std::string stats = admin("GET", "/__mock/stats");
    std::string key = "\"" + counter + "\":";
    auto at = stats.find(key);
    if (at == std::string::npos) {
        ADD_FAILURE() << "no " << counter << " in " << stats;
        return -1;
    }
    return std::strtol(stats.c_str() + at + key.size(), nullptr, 10);
}

inline void fault(const std::string &spec) { admin("POST", "/__mock/faults", spec.c_str()); }

/// The eiam::Error `run` throws (a failure, and an empty error, if none).
inline eiam::Error error_of(const std::function<void()> &run) {
    try {
        run();
        ADD_FAILURE() << "no exception";
    } catch (const eiam::Error &e) {
        return e;
    } catch (const std::exception &e) {
        ADD_FAILURE() << "not an eiam::Error: " << e.what();
    }
    return eiam::Error(EIAM_STATUS_OK, 0, "", "none");
}

#endif
