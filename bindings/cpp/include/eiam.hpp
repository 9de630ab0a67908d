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
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
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

/// `value` for C, refused as c_str says; `arg()` names the argument (it is
/// only called to refuse one).
template <typename Arg>
const char *c_str_named(const std::string &value, Arg &&arg) {
    if (value.find('\0') != std::string::npos) throw invalid_argument(arg() + " must not contain NUL characters");
    return value.c_str();
}

/// `value` for C. A string with an embedded NUL cannot be carried (C would
/// see it cut short, and act on another account), so it is refused before
/// any C call, naming the argument (`items[index].name` for a bulk item).
inline const char *c_str(const std::string &value, const char *name,
                         std::size_t index = std::string::npos) {
    return c_str_named(value, [&] {
        return index == std::string::npos ? std::string(name) : "items[" + std::to_string(index) + "]." + name;
    });
}

/// A struct the library fills, released by `Clear` however the scope is
/// left (eiam_owner, eiam_account, the pages).
template <typename T, void (*Clear)(T *)>
struct Filled {
    T value{};
    Filled() = default;
    Filled(const Filled &) = delete;
    Filled &operator=(const Filled &) = delete;
    ~Filled() { Clear(&value); }
};

/// A copy of a string the library returned, which is then freed.
inline std::string take_string(char *raw) {
    std::unique_ptr<char, void (*)(char *)> owned(raw, eiam_string_free);
    return std::string(owned.get());
}

/// A copy of a string the library may leave NULL.
inline std::optional<std::string> opt_string(const char *s) {
    return s ? std::optional<std::string>(s) : std::nullopt;
}

/// An optional bool as the C tristate (EIAM_BOOL_UNSET when empty).
inline int tristate(std::optional<bool> value) noexcept {
    return !value ? EIAM_BOOL_UNSET : *value ? EIAM_BOOL_TRUE : EIAM_BOOL_FALSE;
}

/// `value` for C, or NULL when empty; refused as c_str does.
inline const char *opt_c_str(const std::optional<std::string> &value, const char *name) {
    return value ? c_str(*value, name) : nullptr;
}

/// `values` for C, each refused as c_str does, naming `name[i]`.
inline std::vector<const char *> c_strs(const std::vector<std::string> &values, const char *name) {
    std::vector<const char *> out;
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back(c_str_named(values[i], [&] { return std::string(name) + "[" + std::to_string(i) + "]"; }));
    return out;
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

/// The kinds of application account.
enum class AccountType { Basic, Orphan, Public };

/// The service's name of the type: "BASIC_ACCOUNT", "ORPHAN_ACCOUNT" or
/// "PUBLIC_ACCOUNT".
inline std::string to_string(AccountType type) {
    switch (type) {
    case AccountType::Basic: return "BASIC_ACCOUNT";
    case AccountType::Orphan: return "ORPHAN_ACCOUNT";
    case AccountType::Public: return "PUBLIC_ACCOUNT";
    }
    return "";
}

/// The optional fields of a create or an update: one left empty is not
/// sent (an update then leaves it as it is). The password is never put
/// in an exception's text.
struct AccountFields {
    std::optional<std::string> name;
    /// The application organization's code.
    std::optional<std::string> org_code;
    std::optional<std::string> password;
    std::optional<bool> disabled;
    /// Custom attributes, the text of a JSON object (`{"dept": "x"}`).
    std::optional<std::string> extension;
};

/// An application account.
struct Account {
    /// The account_id of every call on it.
    std::string id;
    /// The login name in the application.
    std::string account_name;
    /// The display name, if it has one.
    std::optional<std::string> name;
    /// The application organization's id, if it has one.
    std::optional<std::string> org_id;
    /// "BASIC_ACCOUNT", "ORPHAN_ACCOUNT" or "PUBLIC_ACCOUNT", as sent.
    std::string account_type;
    bool disabled = false;
    /// Custom attributes, the text of a JSON object ("{}" for none).
    std::string extension;
};

/// A member of a public account.
struct AccountUser {
    std::string id;
    std::string user_name;
    bool disabled = false;
};

/// One page of a list: `items`, of `total` in the whole list.
template <class T>
struct Page {
    std::vector<T> items;
    std::uint64_t total = 0;
    /// This page's number, from 0.
    std::uint32_t page = 0;
};

namespace detail {

inline Account to_account(const eiam_account &a) {
    return Account{a.id, a.account_name, opt_string(a.name), opt_string(a.org_id), a.account_type, a.disabled,
                   a.extension ? a.extension : "{}"};
}

inline AccountUser to_account_user(const eiam_account_user &u) { return AccountUser{u.id, u.user_name, u.disabled}; }

/// What the generic paging code needs of each C list.
template <class T>
struct Paging;

template <>
struct Paging<Account> {
    using CPager = eiam_account_pager;
    using CPage = Filled<eiam_account_page, eiam_account_page_clear>;
    static constexpr auto next = eiam_account_pager_next;
    static constexpr auto free = eiam_account_pager_free;
    static constexpr auto convert = to_account;
};

template <>
struct Paging<AccountUser> {
    using CPager = eiam_account_user_pager;
    using CPage = Filled<eiam_account_user_page, eiam_account_user_page_clear>;
    static constexpr auto next = eiam_account_user_pager_next;
    static constexpr auto free = eiam_account_user_pager_free;
    static constexpr auto convert = to_account_user;
};

/// A filled C page, copied.
template <class T, class CPage>
Page<T> to_page(const CPage &c) {
    Page<T> out;
    out.items.reserve(c.len);
    for (std::size_t i = 0; i < c.len; ++i) out.items.push_back(Paging<T>::convert(c.items[i]));
    out.total = c.total;
    out.page = c.page;
    return out;
}

/// `fields` for C. The strings stay `fields`' own (nothing is copied, so
/// no copy of the password is left behind); NULs are refused.
inline eiam_account_fields c_fields(const AccountFields &fields) {
    eiam_account_fields out{};
    out.name = opt_c_str(fields.name, "fields.name");
    out.org_code = opt_c_str(fields.org_code, "fields.org_code");
    out.password = opt_c_str(fields.password, "fields.password");
    out.disabled = tristate(fields.disabled);
    out.extension = opt_c_str(fields.extension, "fields.extension");
    return out;
}

}  // namespace detail

class Client;

/// Every item of a list, fetched a page at a time as the iteration needs
/// it (`for (const Account &a : client.accounts("app"))`). Move-only; it
/// owns the C pager and frees it when destroyed (also after a `break` or
/// an exception). The Client it came from must outlive it, and its
/// iterators point into it: do not move it while iterating.
///
/// A page that fails throws eiam::Error from begin() or ++ and ends the
/// walk; so does a service that answers the same page again (instead of
/// looping).
template <class T>
class Range {
    using Traits = detail::Paging<T>;
    using CPager = typename Traits::CPager;

public:
    /// A single-pass input iterator; a copy sees the same position.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T *;
        using reference = const T &;

        iterator() = default;
        reference operator*() const { return range_->items_[range_->at_]; }
        pointer operator->() const { return &**this; }
        iterator &operator++() {
            // Equal to end() if the next page throws.
            Range *range = std::exchange(range_, nullptr);
            range->advance();
            if (!range->used_up()) range_ = range;
            return *this;
        }
        /// `*it++` gives the item it was on.
        struct Postfix {
            T value;
            const T &operator*() const { return value; }
        };
        Postfix operator++(int) {
            Postfix before{**this};
            ++*this;
            return before;
        }
        friend bool operator==(const iterator &a, const iterator &b) { return a.range_ == b.range_; }
        friend bool operator!=(const iterator &a, const iterator &b) { return a.range_ != b.range_; }

    private:
        friend class Range;
        explicit iterator(Range *range) : range_(range) {}
        Range *range_ = nullptr;
    };

    Range(Range &&) noexcept = default;
    Range &operator=(Range &&) noexcept = default;

    /// Fetches the first page on the first call; after that, where the
    /// walk is.
    iterator begin() {
        if (!started_) {
            started_ = true;
            fetch();
        }
        return used_up() ? end() : iterator(this);
    }
    iterator end() noexcept { return iterator(); }

private:
    friend class Client;
    struct PagerDeleter {
        void operator()(CPager *p) const noexcept { Traits::free(p); }
    };
    explicit Range(CPager *pager) : pager_(pager) {}

    bool used_up() const noexcept { return at_ >= items_.size(); }
    void advance() {
        if (++at_ >= items_.size()) fetch();
    }
    // The next page into items_, or none (and the pager freed) at the end
    // or on an error.
    void fetch() {
        items_.clear();
        at_ = 0;
        if (!pager_) return;
        typename Traits::CPage page;
        detail::ErrorSlot slot;
        const eiam_status st = Traits::next(pager_.get(), &page.value, &slot.err);
        if (st != EIAM_STATUS_OK || page.value.len == 0) pager_.reset();
        detail::check(st, slot.err);
        items_ = detail::to_page<T>(page.value).items;
    }

    std::unique_ptr<CPager, PagerDeleter> pager_;
    std::vector<T> items_;
    std::size_t at_ = 0;
    bool started_ = false;
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

/// A cancel token (move-only). cancel() ends, from any thread, every call
/// of the clients made from it with Client::with_cancel (and the futures
/// Client::async started with it): each throws CancelledError, within a
/// few tens of milliseconds even while waiting for the service's answer.
/// A request already sent may still take effect on the service.
/// Destroying the token while calls run is safe: they carry on, and can
/// no longer be cancelled through it.
class Cancel {
public:
    Cancel() : cancel_(eiam_cancel_new()) {
        if (!cancel_) throw std::bad_alloc();
    }
    /// Cancels the calls watching this token, now and later; twice is harmless.
    void cancel() const noexcept { eiam_cancel_cancel(cancel_.get()); }
    const eiam_cancel *get() const noexcept { return cancel_.get(); }

private:
    struct Deleter {
        void operator()(eiam_cancel *c) const noexcept { eiam_cancel_free(c); }
    };
    std::unique_ptr<eiam_cancel, Deleter> cancel_;
};

namespace detail {
template <class T>
struct is_range : std::false_type {};
template <class T>
struct is_range<Range<T>> : std::true_type {};
}  // namespace detail

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

    /// This client (its connections, its token, its configuration) with
    /// calls that `cancel` ends. This client and `cancel` may be destroyed
    /// before the view.
    Client with_cancel(const Cancel &cancel) const {
        detail::ErrorSlot slot;
        eiam_client *raw = nullptr;
        detail::check(eiam_client_with_cancel(client_.get(), cancel.get(), &raw, &slot.err), slot.err);
        return Client(raw);
    }

    /// Runs `work(client)`, any calls on a view of this client, on a thread
    /// of its own and returns at once; the future gives what `work` returns
    /// or throws what it throws. `cancel.cancel()` ends its calls with
    /// CancelledError (one token may serve many futures). The thread holds
    /// its own view, so this Client and the token may be destroyed while it
    /// runs. As with any std::async future, destroying the future waits for
    /// the work (cancel it first not to wait).
    ///     auto f = client.async([](const eiam::Client &c) { return c.get_account("app1", id); }, cancel);
    template <class F>
    auto async(F work, const Cancel &cancel) const {
        using R = std::invoke_result_t<F &, const Client &>;
        // A Range reads its pages through the view, which ends with the thread.
        static_assert(!detail::is_range<std::decay_t<R>>::value,
                      "a Range needs its Client: collect the items inside the work instead");
        return std::async(std::launch::async, [view = with_cancel(cancel), work = std::move(work)]() mutable -> R {
            return std::invoke(work, static_cast<const Client &>(view));
        });
    }

    /// As async(work, cancel), with no way to cancel it.
    template <class F>
    auto async(F work) const {
        return async(std::move(work), Cancel());
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
        return returning_id([&](char **out, eiam_error *e) {
            return eiam_bind_public_account_owner(client_.get(), a, u, n, out, e);
        });
    }

    /// The owner of the public account.
    Owner get_public_account_owner(const std::string &app_id, const std::string &app_user_id) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id");
        detail::ErrorSlot slot;
        detail::Filled<eiam_owner, eiam_owner_clear> raw;
        detail::check(eiam_get_public_account_owner(client_.get(), a, u, &raw.value, &slot.err), slot.err);
        return Owner{raw.value.user_id, raw.value.user_name, raw.value.disabled};
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

    /// Creates a public (shared) account; returns its account id. Not
    /// retried once the request may have reached the service: after a
    /// lost answer it throws, and the account may exist.
    std::string create_public_account(const std::string &app_id, const std::string &account_name,
                                      const AccountFields &fields = {}) const {
        return create_named(eiam_create_public_account, app_id, account_name, fields);
    }

    /// Creates a compliance (basic) account of user `user_id` (without an
    /// account_name the service names it after the user); as
    /// create_public_account.
    std::string create_basic_account(const std::string &app_id, const std::string &user_id,
                                     const std::optional<std::string> &account_name = std::nullopt,
                                     const AccountFields &fields = {}) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(user_id, "user_id"),
                   *n = detail::opt_c_str(account_name, "account_name");
        const eiam_account_fields f = detail::c_fields(fields);
        return returning_id([&](char **out, eiam_error *e) {
            return eiam_create_basic_account(client_.get(), a, u, n, &f, out, e);
        });
    }

    /// Creates an orphan account (one with no user); as create_public_account.
    std::string create_orphan_account(const std::string &app_id, const std::string &account_name,
                                      const AccountFields &fields = {}) const {
        return create_named(eiam_create_orphan_account, app_id, account_name, fields);
    }

    /// Gives the users named `user_names` access to the public account;
    /// returns its account id.
    std::string add_public_account_users(const std::string &app_id, const std::string &app_user_id,
                                         const std::vector<std::string> &user_names) const {
        return change_members(eiam_add_public_account_users, app_id, app_user_id, user_names);
    }

    /// Takes access to the public account away from the users named
    /// `user_names`; returns its account id.
    std::string remove_public_account_users(const std::string &app_id, const std::string &app_user_id,
                                            const std::vector<std::string> &user_names) const {
        return change_members(eiam_remove_public_account_users, app_id, app_user_id, user_names);
    }

    /// Page `page` (from 0) of the public account's members.
    template <typename PageInt = std::uint32_t, typename SizeInt = std::uint32_t,
              typename = std::enable_if_t<std::is_integral_v<PageInt> && std::is_integral_v<SizeInt>>>
    Page<AccountUser> list_public_account_users(const std::string &app_id, const std::string &app_user_id,
                                                PageInt page = 0, SizeInt page_size = EIAM_DEFAULT_PAGE_SIZE) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id");
        const auto c_page = detail::checked<std::uint32_t>(page, "page");
        const auto c_size = detail::checked<std::uint32_t>(page_size, "page_size");
        return fetch_page<AccountUser>([&](eiam_account_user_page *out, eiam_error *e) {
            return eiam_list_public_account_users(client_.get(), a, u, c_page, c_size, out, e);
        });
    }

    /// Every member of the public account, a page of `page_size` fetched
    /// at a time as the iteration needs it.
    template <typename SizeInt = std::uint32_t, typename = std::enable_if_t<std::is_integral_v<SizeInt>>>
    Range<AccountUser> public_account_users(const std::string &app_id, const std::string &app_user_id,
                                            SizeInt page_size = EIAM_DEFAULT_PAGE_SIZE) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id");
        const auto c_size = detail::checked<std::uint32_t>(page_size, "page_size");
        return new_range<AccountUser>([&](eiam_account_user_pager **out, eiam_error *e) {
            return eiam_account_user_pager_new(client_.get(), a, u, c_size, out, e);
        });
    }

    /// The account `account_id`.
    Account get_account(const std::string &app_id, const std::string &account_id) const {
        const char *a = detail::c_str(app_id, "app_id"), *id = detail::c_str(account_id, "account_id");
        detail::Filled<eiam_account, eiam_account_clear> out;
        detail::ErrorSlot slot;
        detail::check(eiam_get_account(client_.get(), a, id, &out.value, &slot.err), slot.err);
        return detail::to_account(out.value);
    }

    /// Page `page` (from 0) of the application's accounts of `type` (every
    /// type without one).
    template <typename PageInt = std::uint32_t, typename SizeInt = std::uint32_t,
              typename = std::enable_if_t<std::is_integral_v<PageInt> && std::is_integral_v<SizeInt>>>
    Page<Account> list_accounts(const std::string &app_id, std::optional<AccountType> type = std::nullopt,
                                PageInt page = 0, SizeInt page_size = EIAM_DEFAULT_PAGE_SIZE) const {
        const char *a = detail::c_str(app_id, "app_id");
        const std::string t = type ? to_string(*type) : "";
        const auto c_page = detail::checked<std::uint32_t>(page, "page");
        const auto c_size = detail::checked<std::uint32_t>(page_size, "page_size");
        return fetch_page<Account>([&](eiam_account_page *out, eiam_error *e) {
            return eiam_list_accounts(client_.get(), a, t.c_str(), c_page, c_size, out, e);
        });
    }

    /// Every account of the application (of `type`, or all), a page of
    /// `page_size` fetched at a time as the iteration needs it.
    template <typename SizeInt = std::uint32_t, typename = std::enable_if_t<std::is_integral_v<SizeInt>>>
    Range<Account> accounts(const std::string &app_id, std::optional<AccountType> type = std::nullopt,
                            SizeInt page_size = EIAM_DEFAULT_PAGE_SIZE) const {
        const char *a = detail::c_str(app_id, "app_id");
        const std::string t = type ? to_string(*type) : "";
        const auto c_size = detail::checked<std::uint32_t>(page_size, "page_size");
        return new_range<Account>([&](eiam_account_pager **out, eiam_error *e) {
            return eiam_account_pager_new(client_.get(), a, t.c_str(), c_size, out, e);
        });
    }

    /// Sets the account's account_name and the fields that are set in
    /// `fields` (the others stay as they are); returns its account id.
    std::string update_account(const std::string &app_id, const std::string &account_id,
                               const std::string &account_name, const AccountFields &fields = {}) const {
        const char *a = detail::c_str(app_id, "app_id"), *id = detail::c_str(account_id, "account_id"),
                   *n = detail::c_str(account_name, "account_name");
        const eiam_account_fields f = detail::c_fields(fields);
        return returning_id([&](char **out, eiam_error *e) {
            return eiam_update_account(client_.get(), a, id, n, &f, out, e);
        });
    }

    /// Disables the account; returns its account id.
    std::string disable_account(const std::string &app_id, const std::string &account_id) const {
        return switch_account(eiam_disable_account, app_id, account_id);
    }

    /// Enables the account; returns its account id.
    std::string enable_account(const std::string &app_id, const std::string &account_id) const {
        return switch_account(eiam_enable_account, app_id, account_id);
    }

    /// Deletes the account (of any type). Retried like a read: when a lost
    /// answer's retry finds the account gone, that counts as deleted.
    void delete_account(const std::string &app_id, const std::string &account_id) const {
        const char *a = detail::c_str(app_id, "app_id"), *id = detail::c_str(account_id, "account_id");
        detail::ErrorSlot slot;
        detail::check(eiam_delete_account(client_.get(), a, id, &slot.err), slot.err);
    }

    /// A call eiam does not wrap yet, with the same token, deadline,
    /// retries and errors as the others: `method` ("GET", "POST", "PUT",
    /// "PATCH", "DELETE") to `path` (from the base URL, starting "/api/",
    /// ids percent-encoded by the caller) with `query` (encoded here) and
    /// `json_body` (JSON text). Without `idempotent`, GET, PUT and DELETE
    /// are retried like reads and POST and PATCH only when they certainly
    /// did not arrive. Returns the answer's JSON text, or nullopt when it
    /// had no body.
    std::optional<std::string> request(const std::string &method, const std::string &path,
                                       const std::vector<std::pair<std::string, std::string>> &query = {},
                                       const std::optional<std::string> &json_body = std::nullopt,
                                       std::optional<bool> idempotent = std::nullopt) const {
        const char *m = detail::c_str(method, "method"), *p = detail::c_str(path, "path");
        std::vector<eiam_query_param> q;
        q.reserve(query.size());
        for (std::size_t i = 0; i < query.size(); ++i)
            q.push_back({detail::c_str_named(query[i].first, [&] { return "query[" + std::to_string(i) + "].name"; }),
                         detail::c_str_named(query[i].second,
                                             [&] { return "query[" + std::to_string(i) + "].value"; })});
        const char *body = detail::opt_c_str(json_body, "json_body");
        detail::ErrorSlot slot;
        char *raw = nullptr;
        detail::check(eiam_request(client_.get(), m, p, q.data(), q.size(), body, detail::tristate(idempotent), &raw,
                                   &slot.err),
                      slot.err);
        if (!raw) return std::nullopt;
        return detail::take_string(raw);
    }

private:
    /// Runs `c_call(&out_account_id, &err)`; returns a copy of the id.
    template <typename F>
    static std::string returning_id(F &&c_call) {
        detail::ErrorSlot slot;
        char *raw = nullptr;
        detail::check(c_call(&raw, &slot.err), slot.err);
        return detail::take_string(raw);
    }

    /// A public or orphan account's create.
    template <typename CFn>
    std::string create_named(CFn c_fn, const std::string &app_id, const std::string &account_name,
                             const AccountFields &fields) const {
        const char *a = detail::c_str(app_id, "app_id"), *n = detail::c_str(account_name, "account_name");
        const eiam_account_fields f = detail::c_fields(fields);
        return returning_id([&](char **out, eiam_error *e) { return c_fn(client_.get(), a, n, &f, out, e); });
    }

    template <typename CFn>
    std::string change_members(CFn c_fn, const std::string &app_id, const std::string &app_user_id,
                               const std::vector<std::string> &user_names) const {
        const char *a = detail::c_str(app_id, "app_id"), *u = detail::c_str(app_user_id, "app_user_id");
        const std::vector<const char *> names = detail::c_strs(user_names, "user_names");
        return returning_id([&](char **out, eiam_error *e) {
            return c_fn(client_.get(), a, u, names.data(), names.size(), out, e);
        });
    }

    template <typename CFn>
    std::string switch_account(CFn c_fn, const std::string &app_id, const std::string &account_id) const {
        const char *a = detail::c_str(app_id, "app_id"), *id = detail::c_str(account_id, "account_id");
        return returning_id([&](char **out, eiam_error *e) { return c_fn(client_.get(), a, id, out, e); });
    }

    /// A copy of the page `c_list(&out_page, &err)` fills.
    template <typename T, typename F>
    static Page<T> fetch_page(F &&c_list) {
        typename detail::Paging<T>::CPage out;
        detail::ErrorSlot slot;
        detail::check(c_list(&out.value, &slot.err), slot.err);
        return detail::to_page<T>(out.value);
    }

    /// A Range over the pager `c_new(&out_pager, &err)` makes.
    template <typename T, typename F>
    static Range<T> new_range(F &&c_new) {
        detail::ErrorSlot slot;
        typename detail::Paging<T>::CPager *raw = nullptr;
        detail::check(c_new(&raw, &slot.err), slot.err);
        return Range<T>(raw);
    }

    explicit Client(eiam_client *raw) : client_(raw) {}

    std::unique_ptr<eiam_client, detail::ClientDeleter> client_;
};

/// The library's version ("0.1.0").
inline std::string version() { return eiam_version(); }

}  // namespace eiam

#endif  // EIAM_HPP
