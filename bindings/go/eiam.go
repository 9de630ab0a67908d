// Package eiam is the Go binding of the eiam SDK: a client of the EIAM
// (Employee Identity) management API of Bamboo Cloud IDaaS, over the C
// library libeiam.
//
// Build it against an installed libeiam (see docs/getting-started/go.md:
// `make install PREFIX=...`), found through pkg-config:
//
//	PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig go build
//
// Every call takes a context.Context first and blocks the calling
// goroutine until the C library answers; its deadline is the client's
// Timeout (token fetch and retries included) or the context's, whichever
// comes first. A context done before or during a call ends it (the C call
// is cancelled) with an error that wraps both an *Error (StatusCancelled)
// and ctx.Err(). At most Config.MaxConcurrentCalls calls of a client run
// in C at once; other goroutines wait their turn, or until their context
// is done.
package eiam

/*
#cgo pkg-config: eiam
#include <stdlib.h>
#include <eiam.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Status is the outcome of a call, as the C library's eiam_status.
type Status int

// The statuses; the numbers are the C library's and never change.
const (
	StatusOK              Status = C.EIAM_STATUS_OK
	StatusInvalidArgument Status = C.EIAM_STATUS_INVALID_ARGUMENT
	StatusAPIError        Status = C.EIAM_STATUS_API_ERROR
	StatusAuthError       Status = C.EIAM_STATUS_AUTH_ERROR
	StatusTransportError  Status = C.EIAM_STATUS_TRANSPORT_ERROR
	StatusTimeout         Status = C.EIAM_STATUS_TIMEOUT
	StatusProtocolError   Status = C.EIAM_STATUS_PROTOCOL_ERROR
	StatusInternalError   Status = C.EIAM_STATUS_INTERNAL_ERROR
	StatusCancelled       Status = C.EIAM_STATUS_CANCELLED
)

// String is the status's name as the library writes it ("api", "timeout",
// "unknown" for a number it does not know): eiam_status_name.
func (s Status) String() string {
	return C.GoString(C.eiam_status_name(C.int(s)))
}

// Error is a failed call. Use errors.As to get it.
type Error struct {
	Status     Status
	HTTPStatus int    // 0 when no HTTP response was received
	Code       string // the service's normalized code ("APP.ACCOUNT.0038", "invalid_client"), or ""
	Message    string
	text       string // the library's own text of the error, when it came from C
}

// Error reads as the library's own errors do:
// "api error APP.0001 (HTTP 400): 应用不存在".
func (e *Error) Error() string {
	if e.text != "" {
		return e.text
	}
	// Refused by the binding before any C call: no code, no HTTP status.
	return e.Status.String() + " error: " + e.Message
}

// ErrClosed is returned by calls on a closed Client.
var ErrClosed = errors.New("eiam: client is closed")

// takeError converts a filled eiam_error into an *Error and clears it.
func takeError(status C.enum_eiam_status, cerr *C.eiam_error) error {
	defer C.eiam_error_clear(cerr)
	if status == C.EIAM_STATUS_OK {
		return nil
	}
	return errorOf(cerr)
}

// errorOf copies a filled eiam_error (its status is not OK), with its text
// as the library writes it (eiam_error_to_string).
func errorOf(cerr *C.eiam_error) *Error {
	e := &Error{Status: Status(cerr.status), HTTPStatus: int(cerr.http_status)}
	if cerr.code != nil {
		e.Code = C.GoString(cerr.code)
	}
	if cerr.message != nil {
		e.Message = C.GoString(cerr.message)
	}
	var text *C.char
	if C.eiam_error_to_string(cerr, &text, nil) == C.EIAM_STATUS_OK {
		e.text = C.GoString(text)
		C.eiam_string_free(text)
	}
	return e
}

// Config describes a client. BaseURL and either ClientID+ClientSecret or
// AccessToken are required; zero values of the others mean the library's
// defaults (30 s timeout, 10 s connect timeout, 2 retries). Durations are
// passed in whole milliseconds, a part of one rounded up (500µs is 1 ms);
// a negative duration or a MaxRetries a uint32 cannot hold is refused.
type Config struct {
	BaseURL        string
	ClientID       string
	ClientSecret   string
	AccessToken    string
	Timeout        time.Duration
	ConnectTimeout time.Duration
	MaxRetries     *int // nil: default (2); pointer so 0 can turn retries off
	CAFile         string
	// UsePlatformRoots: nil or true trusts the platform store (and CAFile);
	// false trusts CAFile alone.
	UsePlatformRoots  *bool
	Proxy             string
	UserAgent         string
	AllowInsecureHTTP bool
	// DangerAcceptInvalidCerts turns TLS certificate and host name
	// verification off: anyone on the path can read and change the
	// traffic, tokens included. For throwaway test set-ups only.
	DangerAcceptInvalidCerts bool
	// MaxConcurrentCalls bounds this client's calls in C at once (0:
	// DefaultMaxConcurrentCalls); goroutines beyond it wait.
	MaxConcurrentCalls int
}

// invalidArgument is a call refused by the binding itself, before C.
func invalidArgument(message string) *Error {
	return &Error{Status: StatusInvalidArgument, Message: message}
}

// cstrings makes C strings and frees every one it made. A string with an
// embedded NUL cannot be carried: C would see it cut short (and act on
// another account), so of refuses it, naming the argument, and records
// the first refusal in err; callers check err before calling C.
//
// A secret (a password) is made with secret instead: free zeroes its C
// copy before freeing it, so that it does not linger in freed memory.
type cstrings struct {
	ptrs    []*C.char
	secrets [][]byte // the C copies of secrets, NUL excluded
	err     error
}

func (c *cstrings) of(name, s string) *C.char {
	if c.err != nil {
		return nil
	}
	if strings.IndexByte(s, 0) >= 0 {
		c.err = invalidArgument(name + " must not contain NUL characters")
		return nil
	}
	p := C.CString(s)
	c.ptrs = append(c.ptrs, p)
	return p
}

// secret is of for a value to wipe once the call is over.
func (c *cstrings) secret(name, s string) *C.char {
	p := c.of(name, s)
	if p != nil {
		c.secrets = append(c.secrets, unsafe.Slice((*byte)(unsafe.Pointer(p)), len(s)))
	}
	return p
}

func (c *cstrings) free() {
	for _, b := range c.secrets {
		clear(b)
	}
	for _, p := range c.ptrs {
		C.free(unsafe.Pointer(p))
	}
}

// millis converts a duration for C, which counts whole milliseconds: a
// part of a millisecond rounds up, so that a short timeout stays a timeout.
func millis(field string, d time.Duration) (C.uint64_t, error) {
	if d < 0 {
		return 0, invalidArgument(field + " must not be negative")
	}
	ms := d / time.Millisecond
	if d%time.Millisecond != 0 {
		ms++
	}
	return C.uint64_t(ms), nil
}

// uint32Of refuses what a C uint32_t cannot hold rather than wrap it.
func uint32Of(field string, n int) (C.uint32_t, error) {
	if n < 0 || uint64(n) > math.MaxUint32 {
		return 0, invalidArgument(fmt.Sprintf("%s must be between 0 and %d", field, uint32(math.MaxUint32)))
	}
	return C.uint32_t(n), nil
}

// DefaultMaxConcurrentCalls is how many calls of one Client run in C at
// once when Config.MaxConcurrentCalls is 0; more wait their turn.
const DefaultMaxConcurrentCalls = 64

// Client is a client of one tenant; safe for concurrent use.
type Client struct {
	// Each call in C holds an OS thread, and Go ends the process past
	// 10,000 threads: slots bounds the calls in C, one token per call.
	slots  chan struct{}
	mu     sync.RWMutex // calls hold it shared; Close holds it exclusively
	handle *C.eiam_client
	// The C pagers of the iterators in progress: the C client must outlive
	// them, so Close frees those still open before it.
	pagersMu sync.Mutex
	pagers   map[*openPager]struct{}
}

// cCall is one C call on a client: its status, and its error filled.
type cCall func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status

// call runs one C call with the client entered for ctx (see enter); the
// status f returns, with the error f filled, becomes the call's error.
func (c *Client) call(ctx context.Context, f cCall) error {
	return c.callWith(ctx, c.enter, f)
}

// enterFunc enters the client for one call: c.enter or c.acquire.
type enterFunc func(context.Context) (*C.eiam_client, func(), error)

// callWith is call with the client entered by enter: c.enter, or
// c.acquire for a pager, which watches its walk's ctx itself.
func (c *Client) callWith(ctx context.Context, enter enterFunc, f cCall) error {
	h, leave, err := enter(ctx)
	if err != nil {
		return err
	}
	defer leave()
	var cerr C.eiam_error
	return withContext(ctx, takeError(f(h, &cerr), &cerr))
}

// callForString is call for a C function that answers a string (an
// account id, a JSON text): the string copied into Go, and whether C
// answered one at all (false for NULL). The C string is freed.
func (c *Client) callForString(ctx context.Context, f func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status) (string, bool, error) {
	var out *C.char
	err := c.call(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status { return f(h, &out, cerr) })
	defer C.eiam_string_free(out)
	if err != nil || out == nil {
		return "", false, err
	}
	return C.GoString(out), true, nil
}

// callForID is callForString for the calls that answer an account id.
func (c *Client) callForID(ctx context.Context, f func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status) (string, error) {
	id, _, err := c.callForString(ctx, f)
	return id, err
}

// NewClient checks cfg and creates a client. Nothing is sent yet.
func NewClient(cfg Config) (*Client, error) {
	var strs cstrings
	defer strs.free()
	baseURL := strs.of("BaseURL", cfg.BaseURL)
	clientID := strs.of("ClientID", cfg.ClientID)
	clientSecret := strs.of("ClientSecret", cfg.ClientSecret)
	accessToken := strs.of("AccessToken", cfg.AccessToken)
	caFile := strs.of("CAFile", cfg.CAFile)
	proxy := strs.of("Proxy", cfg.Proxy)
	userAgent := strs.of("UserAgent", cfg.UserAgent)
	if strs.err != nil {
		return nil, strs.err
	}
	timeout, err := millis("Timeout", cfg.Timeout)
	if err != nil {
		return nil, err
	}
	connectTimeout, err := millis("ConnectTimeout", cfg.ConnectTimeout)
	if err != nil {
		return nil, err
	}
	slots := cfg.MaxConcurrentCalls
	if slots < 0 {
		return nil, invalidArgument("MaxConcurrentCalls must not be negative")
	} else if slots == 0 {
		slots = DefaultMaxConcurrentCalls
	}
	var maxRetries C.uint32_t
	if cfg.MaxRetries != nil {
		if maxRetries, err = uint32Of("MaxRetries", *cfg.MaxRetries); err != nil {
			return nil, err
		}
	}
	var cerr C.eiam_error
	ccfg := C.eiam_config_new()
	if ccfg == nil {
		return nil, errors.New("eiam: out of memory")
	}
	defer C.eiam_config_free(ccfg)
	steps := []func() C.enum_eiam_status{
		func() C.enum_eiam_status { return C.eiam_config_set_base_url(ccfg, baseURL, &cerr) },
	}
	// Each value goes to its own setter; the library pairs and checks them.
	if cfg.ClientID != "" {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_client_id(ccfg, clientID, &cerr) })
	}
	if cfg.ClientSecret != "" {
		steps = append(steps, func() C.enum_eiam_status {
			return C.eiam_config_set_client_secret(ccfg, clientSecret, &cerr)
		})
	}
	if cfg.AccessToken != "" {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_access_token(ccfg, accessToken, &cerr) })
	}
	if cfg.Timeout != 0 {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_timeout_ms(ccfg, timeout, &cerr) })
	}
	if cfg.ConnectTimeout != 0 {
		steps = append(steps, func() C.enum_eiam_status {
			return C.eiam_config_set_connect_timeout_ms(ccfg, connectTimeout, &cerr)
		})
	}
	if cfg.MaxRetries != nil {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_max_retries(ccfg, maxRetries, &cerr) })
	}
	if cfg.CAFile != "" {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_ca_file(ccfg, caFile, &cerr) })
	}
	if cfg.UsePlatformRoots != nil {
		steps = append(steps, func() C.enum_eiam_status {
			return C.eiam_config_set_use_platform_roots(ccfg, C.bool(*cfg.UsePlatformRoots), &cerr)
		})
	}
	if cfg.Proxy != "" {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_proxy(ccfg, proxy, &cerr) })
	}
	if cfg.UserAgent != "" {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_user_agent(ccfg, userAgent, &cerr) })
	}
	if cfg.AllowInsecureHTTP {
		steps = append(steps, func() C.enum_eiam_status { return C.eiam_config_set_allow_insecure_http(ccfg, true, &cerr) })
	}
	if cfg.DangerAcceptInvalidCerts {
		steps = append(steps, func() C.enum_eiam_status {
			return C.eiam_config_set_danger_accept_invalid_certs(ccfg, true, &cerr)
		})
	}
	for _, step := range steps {
		if err := takeError(step(), &cerr); err != nil {
			return nil, err
		}
	}
	var handle *C.eiam_client
	if err := takeError(C.eiam_client_new(ccfg, &handle, &cerr), &cerr); err != nil {
		return nil, err
	}
	c := &Client{handle: handle, slots: make(chan struct{}, slots)}
	// A forgotten Close must not leak the C client.
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close frees the client; later calls return ErrClosed. Idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle != nil {
		c.freePagers()
		C.eiam_client_free(c.handle)
		c.handle = nil
	}
	runtime.SetFinalizer(c, nil)
	return nil
}

// Authenticate fetches an access token now (or reuses the cached one), so that
// bad credentials fail here rather than at the first call. With a static access
// token there is nothing to check and it returns at once.
//
// Errors: StatusAuthError when the token endpoint refuses the client id and
// secret; StatusTransportError or StatusTimeout when it cannot be reached in
// time.
//
// Example:
//
//	err := client.Authenticate(ctx)
//	fmt.Println(err)
//	// Output: <nil>
func (c *Client) Authenticate(ctx context.Context) error {
	return c.call(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_client_authenticate(h, cerr)
	})
}

// BindPublicAccountOwner makes userName the owner of public account appUserID
// of application appID, replacing any previous owner, and returns the public
// account's account id. Binding the same owner again is harmless, so the call
// is retried like a read.
//
// Errors: StatusInvalidArgument for an empty appID (APP.0006) or appUserID
// (APP.ACCOUNT.0047), before anything is sent; StatusAPIError with APP.0001 (no
// such application) or APP.ACCOUNT.0038 (no such public account).
//
// Example:
//
//	id, err := client.BindPublicAccountOwner(ctx, "demo-app", "pub-2", "zhangsan")
//	fmt.Println(id, err)
//	// Output: pub-2 <nil>
func (c *Client) BindPublicAccountOwner(ctx context.Context, appID, appUserID, userName string) (string, error) {
	var strs cstrings
	defer strs.free()
	a, u, n := strs.of("appID", appID), strs.of("appUserID", appUserID), strs.of("userName", userName)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_bind_public_account_owner(h, a, u, n, out, cerr)
	})
}

// Owner is the owner of a public account.
type Owner struct {
	UserID   string
	UserName string
	Disabled bool
}

// GetPublicAccountOwner returns the owner of public account appUserID of
// application appID: the user's id and name and whether the user is disabled.
//
// Errors: StatusInvalidArgument for an empty appID (APP.0006) or appUserID
// (APP.ACCOUNT.0047), before anything is sent; StatusAPIError with
// APP.ACCOUNT.0038 (no such public account) or APP.ACCOUNT.0037 (the account
// has no owner).
//
// Example:
//
//	owner, err := client.GetPublicAccountOwner(ctx, "demo-app", "pub-1")
//	fmt.Println(owner.UserName, err)
//	// Output: zhangsan <nil>
func (c *Client) GetPublicAccountOwner(ctx context.Context, appID, appUserID string) (Owner, error) {
	var strs cstrings
	defer strs.free()
	a, u := strs.of("appID", appID), strs.of("appUserID", appUserID)
	if strs.err != nil {
		return Owner{}, strs.err
	}
	var cowner C.eiam_owner
	defer C.eiam_owner_clear(&cowner)
	err := c.call(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_get_public_account_owner(h, a, u, &cowner, cerr)
	})
	if err != nil {
		return Owner{}, err
	}
	return Owner{UserID: C.GoString(cowner.user_id), UserName: C.GoString(cowner.user_name), Disabled: bool(cowner.disabled)}, nil
}

// Version is the C library's version.
func Version() string { return C.GoString(C.eiam_version()) }
