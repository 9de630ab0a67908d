// eiam.hpp: header-only C++17 wrapper of the eiam C API (eiam.h).
//
// RAII and move-only handles, std::string in and out, exceptions derived
// from std::runtime_error (one class per eiam_status). Every string the C
// library returns is copied and released exactly once, here.
//
// A callback handed to the C library must not throw or longjmp out of it:
// no C++ exception can cross the library's frames (the process aborts).
// The wrapper's own callbacks catch everything and rethrow it in the
// caller's thread once the C call has returned.
#ifndef EIAM_HPP
#define EIAM_HPP

#include <eiam.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace eiam {

/// A failed call: the C status, the HTTP status (0 if none), the service's
/// normalized code (empty if none) and the message.
class Error : public std::runtime_error {
public:
    Error(eiam_status status, std::uint16_t http_status, std::string code, const std::string &message,
          std::string text = "")
        : std::runtime_error(message), status_(status), http_status_(http_status), code_(std::move(code)),
          text_(text.empty() ? kind() + " error: " + message : std::move(text)) {}
    eiam_status status() const noexcept { return status_; }
    std::uint16_t http_status() const noexcept { return http_status_; }
    const std::string &code() const noexcept { return code_; }
    std::string message() const { return what(); }
    /// The library's name of the status (eiam_status_name): "api", "timeout", ...
    std::string kind() const { return eiam_status_name(status_); }
    /// The whole error as the library writes it (eiam_error_to_string):
    /// "api error APP.ACCOUNT.0038 (HTTP 400): ...".
    const std::string &text() const noexcept { return text_; }

private:
    eiam_status status_;
    std::uint16_t http_status_;
    std::string code_;
    std::string text_;
};

#define EIAM_HPP_ERROR(Name)                 \
    class Name : public Error {              \
    public:                                  \
        using Error::Error;                  \
    };
EIAM_HPP_ERROR(InvalidArgumentError)
EIAM_HPP_ERROR(ApiError)
EIAM_HPP_ERROR(AuthError)
EIAM_HPP_ERROR(TransportError)
EIAM_HPP_ERROR(TimeoutError)
EIAM_HPP_ERROR(ProtocolError)
EIAM_HPP_ERROR(InternalError)
EIAM_HPP_ERROR(CancelledError)
#undef EIAM_HPP_ERROR

/// A bulk job's state after one more item finished.
struct Progress {
    std::size_t done = 0;
    std::size_t total = 0;
    std::size_t failures = 0;
};

/// Called after each bulk item, one call at a time, from one of the
/// library's worker threads; return false to cancel the items not yet
/// started. An exception it throws cancels them too and is thrown again
/// by bind_public_account_owners once the job is over (the results are
/// then freed: to keep them, record them here and return false instead).
using ProgressFn = std::function<bool(const Progress &)>;

namespace detail {

/// Owns an eiam_error; clears it however the scope is left.
struct ErrorSlot {
    eiam_error err{};
    ErrorSlot() = default;
    ErrorSlot(const ErrorSlot &) = delete;
    ErrorSlot &operator=(const ErrorSlot &) = delete;
    ~ErrorSlot() { eiam_error_clear(&err); }
};

/// The library's own text of a filled eiam_error, or "" if it has none.
inline std::string error_text(const eiam_error &err) {
    char *text = nullptr;
    if (eiam_error_to_string(&err, &text, nullptr) != EIAM_STATUS_OK) return "";
    std::string copy(text);
    eiam_string_free(text);
    return copy;
}

template <typename E>
std::exception_ptr make_exception(const eiam_error &err) {
    return std::make_exception_ptr(E(err.status, err.http_status, err.code ? err.code : "",
                                     err.message ? err.message : "unknown error", error_text(err)));
}

/// The exception for a filled eiam_error (copies its strings).
inline std::exception_ptr to_exception(const eiam_error &err) {
    switch (err.status) {
    case EIAM_STATUS_INVALID_ARGUMENT: return make_exception<InvalidArgumentError>(err);
    case EIAM_STATUS_API_ERROR: return make_exception<ApiError>(err);
    case EIAM_STATUS_AUTH_ERROR: return make_exception<AuthError>(err);
    case EIAM_STATUS_TRANSPORT_ERROR: return make_exception<TransportError>(err);
    case EIAM_STATUS_TIMEOUT: return make_exception<TimeoutError>(err);
    case EIAM_STATUS_PROTOCOL_ERROR: return make_exception<ProtocolError>(err);
    case EIAM_STATUS_CANCELLED: return make_exception<CancelledError>(err);
    default: return make_exception<InternalError>(err);
    }
}

/// Throws the exception for `err` unless `status` is OK.
inline void check(eiam_status status, const eiam_error &err) {
    if (status != EIAM_STATUS_OK) std::rethrow_exception(to_exception(err));
}

/// An error the wrapper raises itself, before any C call.
inline InvalidArgumentError invalid_argument(const std::string &message) {
    return InvalidArgumentError(EIAM_STATUS_INVALID_ARGUMENT, 0, "", message);
}

/// `value` as a `To` for C, or an InvalidArgumentError naming `name`: a
/// number C cannot hold is refused, never wrapped (1 << 32 retries is not 0).
template <typename To, typename From>
To checked(From value, const char *name) {
    static_assert(std::is_integral_v<From> && std::is_unsigned_v<To>, "integers only");
    bool negative = false;
    if constexpr (std::is_signed_v<From>) negative = value < 0;
    if (negative || static_cast<std::uintmax_t>(value) > std::numeric_limits<To>::max())
        throw invalid_argument(std::string(name) + " must be between 0 and " +
                               std::to_string(std::numeric_limits<To>::max()));
    return static_cast<To>(value);
}

/// `d` in whole milliseconds for C, a part of one rounded up (so that a
/// short timeout stays a timeout); negative, NaN and huge ones are refused.
template <typename Rep, typename Period>
std::uint64_t millis(std::chrono::duration<Rep, Period> d, const char *name) {
    const std::chrono::duration<long double, std::milli> ms(d);
    if (std::isnan(ms.count())) throw invalid_argument(std::string(name) + " is not a number");
    if (ms.count() < 0) throw invalid_argument(std::string(name) + " must not be negative");
    // Past this, the conversion below would overflow.
    if (ms.count() > 9e18L) throw invalid_argument(std::string(name) + " is too large");
    return static_cast<std::uint64_t>(std::chrono::ceil<std::chrono::milliseconds>(d).count());
}

/// `value` for C. A string with an embedded NUL cannot be carried (C would
/// see it cut short, and act on another account), so it is refused before
/// any C call, naming the argument (`items[index].name` for a bulk item).
inline const char *c_str(const std::string &value, const char *name,
                         std::size_t index = std::string::npos) {
    if (value.find('\0') != std::string::npos) {
        std::string arg = index == std::string::npos
                              ? std::string(name)
                              : "items[" + std::to_string(index) + "]." + name;
        throw invalid_argument(arg + " must not contain NUL characters");
    }
    return value.c_str();
}

/// What the C progress callback reaches: the user's function, and the
/// exception it threw. An exception must not leave the callback (Rust
/// aborts on a foreign exception), so it is kept here, the job is
/// cancelled, and the caller throws it once the C call has returned.
struct ProgressContext {
    const ProgressFn *progress;
    std::exception_ptr thrown;

    // The library calls this one call at a time, so `thrown` needs no lock.
    static bool call(void *user_data, std::size_t done, std::size_t total, std::size_t failures) noexcept {
        auto *self = static_cast<ProgressContext *>(user_data);
        if (self->thrown) return false;
        try {
            return (*self->progress)(Progress{done, total, failures});
        } catch (...) {
            self->thrown = std::current_exception();
            return false;
        }
    }
};

struct ConfigDeleter {
    void operator()(eiam_config *c) const noexcept { eiam_config_free(c); }
};
struct ClientDeleter {
    void operator()(eiam_client *c) const noexcept { eiam_client_free(c); }
};

}  // namespace detail

/// The owner of a public account.
struct Owner {
    std::string user_id;
    std::string user_name;
    bool disabled = false;
};

/// One item of a bulk bind.
struct BindItem {
    std::string app_id;
    std::string app_user_id;
    std::string user_name;
};

/// The outcome of one bulk item: the account id, or the error.
struct BindResult {
    std::optional<std::string> account_id;
    std::exception_ptr error;
    bool ok() const noexcept { return account_id.has_value(); }
};

/// Client settings (a builder; use from one thread at a time).
class Config {
public:
    explicit Config(const std::string &base_url) {
        const char *url = detail::c_str(base_url, "base_url");
        cfg_.reset(eiam_config_new());
        if (!cfg_) throw std::bad_alloc();
        set([&](eiam_error *e) { return eiam_config_set_base_url(cfg_.get(), url, e); });
    }
    Config &client_credentials(const std::string &id, const std::string &secret) {
        const char *c_id = detail::c_str(id, "client_id"), *c_secret = detail::c_str(secret, "client_secret");
        return set([&](eiam_error *e) { return eiam_config_set_client_credentials(cfg_.get(), c_id, c_secret, e); });
    }
    /// The client id alone; eiam::Client checks that the secret is set too.
    Config &client_id(const std::string &id) {
        const char *c_id = detail::c_str(id, "client_id");
        return set([&](eiam_error *e) { return eiam_config_set_client_id(cfg_.get(), c_id, e); });
    }
    Config &client_secret(const std::string &secret) {
        const char *c_secret = detail::c_str(secret, "client_secret");
        return set([&](eiam_error *e) { return eiam_config_set_client_secret(cfg_.get(), c_secret, e); });
    }
    Config &access_token(const std::string &token) {
        const char *c_token = detail::c_str(token, "access_token");
        return set([&](eiam_error *e) { return eiam_config_set_access_token(cfg_.get(), c_token, e); });
    }
    // Integer settings take any integer type and refuse what C cannot hold
    // (a negative timeout, 1 << 32 retries) instead of converting it.
    template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
    Config &timeout_ms(Int ms) {
        const auto c_ms = detail::checked<std::uint64_t>(ms, "timeout_ms");
        return set([&](eiam_error *e) { return eiam_config_set_timeout_ms(cfg_.get(), c_ms, e); });
    }
    /// The deadline of one call; a part of a millisecond rounds up.
    template <typename Rep, typename Period>
    Config &timeout(std::chrono::duration<Rep, Period> d) {
        const auto c_ms = detail::millis(d, "timeout");
        return set([&](eiam_error *e) { return eiam_config_set_timeout_ms(cfg_.get(), c_ms, e); });
    }
    template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
    Config &connect_timeout_ms(Int ms) {
        const auto c_ms = detail::checked<std::uint64_t>(ms, "connect_timeout_ms");
        return set([&](eiam_error *e) { return eiam_config_set_connect_timeout_ms(cfg_.get(), c_ms, e); });
    }
    /// The time allowed to connect; a part of a millisecond rounds up.
    template <typename Rep, typename Period>
    Config &connect_timeout(std::chrono::duration<Rep, Period> d) {
        const auto c_ms = detail::millis(d, "connect_timeout");
        return set([&](eiam_error *e) { return eiam_config_set_connect_timeout_ms(cfg_.get(), c_ms, e); });
    }
    template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
    Config &max_retries(Int n) {
        const auto c_n = detail::checked<std::uint32_t>(n, "max_retries");
        return set([&](eiam_error *e) { return eiam_config_set_max_retries(cfg_.get(), c_n, e); });
    }
    Config &ca_file(const std::string &path) {
        const char *c_path = detail::c_str(path, "ca_file");
        return set([&](eiam_error *e) { return eiam_config_set_ca_file(cfg_.get(), c_path, e); });
    }
    /// Whether the platform trust store is used (default true); with false,
    /// only ca_file is trusted.
    Config &use_platform_roots(bool use_them) {
        return set([&](eiam_error *e) { return eiam_config_set_use_platform_roots(cfg_.get(), use_them, e); });
    }
    Config &proxy(const std::string &url) {
        const char *c_url = detail::c_str(url, "proxy");
        return set([&](eiam_error *e) { return eiam_config_set_proxy(cfg_.get(), c_url, e); });
    }
    Config &allow_insecure_http(bool allow) {
        return set([&](eiam_error *e) { return eiam_config_set_allow_insecure_http(cfg_.get(), allow, e); });
    }
    /// DANGER: turns TLS certificate and host name verification off
    /// (default false). Anyone on the path can then read and change the
    /// traffic, tokens included. For throwaway test set-ups only.
    Config &danger_accept_invalid_certs(bool accept) {
        return set(
            [&](eiam_error *e) { return eiam_config_set_danger_accept_invalid_certs(cfg_.get(), accept, e); });
    }
    Config &user_agent(const std::string &product) {
        const char *c_product = detail::c_str(product, "user_agent");
        return set([&](eiam_error *e) { return eiam_config_set_user_agent(cfg_.get(), c_product, e); });
    }
    const eiam_config *get() const noexcept { return cfg_.get(); }

private:
    template <typename F>
    Config &set(F &&setter) {
        detail::ErrorSlot slot;
        detail::check(setter(&slot.err), slot.err);
        return *this;
    }
    std::unique_ptr<eiam_config, detail::ConfigDeleter> cfg_;
};

/// A client of one tenant. Move-only; safe to share (by reference) between
/// threads: calls are const and the C client is thread-safe.
class Client {
public:
    explicit Client(const Config &config) {
        detail::ErrorSlot slot;
        eiam_client *raw = nullptr;
        detail::check(eiam_client_new(config.get(), &raw, &slot.err), slot.err);
        client_.reset(raw);
    }

    /// Fetches the access token now, so bad credentials fail early.
    void authenticate() const {
        detail::ErrorSlot slot;
        detail::check(eiam_client_authenticate(client_.get(), &slot.err), slot.err);
    }

    /// Makes user_name the owner of the public account; returns its account id.
    std::string bind_public_account_owner(const std::string &app_id, const std::string &app_user_id,
                                          const std::string &user_name) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id"),
                   *n = detail::c_str(user_name, "user_name");
        detail::ErrorSlot slot;
        char *raw = nullptr;
        detail::check(eiam_bind_public_account_owner(client_.get(), a, u, n, &raw, &slot.err), slot.err);
        std::unique_ptr<char, void (*)(char *)> owned(raw, eiam_string_free);
        return std::string(owned.get());
    }

    /// The owner of the public account.
    Owner get_public_account_owner(const std::string &app_id, const std::string &app_user_id) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id");
        detail::ErrorSlot slot;
        eiam_owner raw{};
        eiam_status st = eiam_get_public_account_owner(client_.get(), a, u, &raw, &slot.err);
        struct Clear {
            eiam_owner *o;
            ~Clear() { eiam_owner_clear(o); }
        } clear{&raw};
        detail::check(st, slot.err);
        return Owner{raw.user_id, raw.user_name, raw.disabled};
    }

    /// Binds many owners with at most `concurrency` calls in flight (0:
    /// the library's default); one result per item, in order.
    template <typename Int = std::uint32_t, typename = std::enable_if_t<std::is_integral_v<Int>>>
    std::vector<BindResult> bind_public_account_owners(const std::vector<BindItem> &items, Int concurrency = 0,
                                                       const ProgressFn &progress = {}) const {
        const auto c_concurrency = detail::checked<std::uint32_t>(concurrency, "concurrency");
        std::vector<eiam_bind_item> c_items;
        c_items.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            c_items.push_back({detail::c_str(items[i].app_id, "app_id", i),
                               detail::c_str(items[i].app_user_id, "app_user_id", i),
                               detail::c_str(items[i].user_name, "user_name", i)});
        std::vector<eiam_bind_result> c_results(items.size());
        struct Clear {
            std::vector<eiam_bind_result> &r;
            ~Clear() { eiam_bind_results_clear(r.data(), r.size()); }
        } clear{c_results};
        detail::ErrorSlot slot;
        detail::ProgressContext context{&progress, nullptr};
        detail::check(eiam_bind_public_account_owners(client_.get(), c_items.data(), c_items.size(), c_concurrency,
                                                      progress ? detail::ProgressContext::call : nullptr, &context,
                                                      c_results.data(), &slot.err),
                      slot.err);
        // The callback's exception, now that no library frame is left
        // between it and the caller; `clear` frees the results.
        if (context.thrown) std::rethrow_exception(context.thrown);
        std::vector<BindResult> out(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (c_results[i].error.status == EIAM_STATUS_OK)
                out[i].account_id = std::string(c_results[i].account_id);
            else
                out[i].error = detail::to_exception(c_results[i].error);
        }
        return out;
    }

private:
    std::unique_ptr<eiam_client, detail::ClientDeleter> client_;
};

/// The library's version ("0.1.0").
inline std::string version() { return eiam_version(); }

}  // namespace eiam

#endif  // EIAM_HPP
