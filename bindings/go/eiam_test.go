package eiam

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"
)

// The project's mock server, started the way users start it: the
// eiam-mock binary (EIAM_MOCK_BIN, default ../../target/debug/eiam-mock).
var mockURL, mockID, mockSecret string

// mockServer is one eiam-mock process; it exits when its stdin closes.
type mockServer struct {
	url, id, secret string
	stdin           io.Closer
	cmd             *exec.Cmd
}

// startMock starts an eiam-mock and reads its address and credentials.
func startMock() (*mockServer, error) {
	bin := os.Getenv("EIAM_MOCK_BIN")
	if bin == "" {
		bin = "../../target/debug/eiam-mock"
	}
	cmd := exec.Command(bin, "--exit-on-stdin-eof")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start eiam-mock: %w", err)
	}
	m := &mockServer{stdin: stdin, cmd: cmd}
	lines := bufio.NewScanner(stdout)
	for i := 0; i < 3 && lines.Scan(); i++ {
		k, v, _ := strings.Cut(lines.Text(), "=")
		switch k {
		case "EIAM_MOCK_URL":
			m.url = v
		case "EIAM_MOCK_CLIENT_ID":
			m.id = v
		case "EIAM_MOCK_CLIENT_SECRET":
			m.secret = v
		}
	}
	return m, nil
}

func (m *mockServer) stop() {
	m.stdin.Close()
	m.cmd.Wait()
}

// otherMocks are the mocks tests started besides the main one.
var otherMocks struct {
	sync.Mutex
	list []*mockServer
}

func TestMain(m *testing.M) {
	primary, err := startMock()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	mockURL, mockID, mockSecret = primary.url, primary.id, primary.secret
	code := m.Run()
	primary.stop()
	for _, other := range otherMocks.list {
		other.stop()
	}
	os.Exit(code)
}

// admin calls an admin endpoint of the main mock.
func admin(t *testing.T, method, path, body string) map[string]any {
	t.Helper()
	return adminAt(t, mockURL, method, path, body)
}

func adminAt(t *testing.T, base, method, path, body string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(data, &out)
	return out
}

func newClient(t *testing.T, secret string, retries int) *Client {
	t.Helper()
	c, err := NewClient(Config{BaseURL: mockURL, ClientID: mockID, ClientSecret: secret, MaxRetries: &retries})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestBindThenQuery(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 2)
	id, err := c.BindPublicAccountOwner(ctx, "demo-app", "pub-2", "cq04130006")
	if err != nil || id != "pub-2" {
		t.Fatalf("bind: %q %v", id, err)
	}
	owner, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-2")
	if err != nil || owner.UserName != "cq04130006" || owner.Disabled || owner.UserID == "" {
		t.Fatalf("get: %+v %v", owner, err)
	}
}

func TestAPIErrorWithErrorsAs(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, mockSecret, 0)
	_, err := c.GetPublicAccountOwner(ctx, "no-such-app", "pub-1")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *Error: %v", err)
	}
	if e.Status != StatusAPIError || e.HTTPStatus != 400 || e.Code != "APP.0001" || e.Message != "应用不存在" {
		t.Fatalf("%+v", e)
	}
	if err.Error() != "api error APP.0001 (HTTP 400): 应用不存在" {
		t.Fatalf("%q", err.Error())
	}
}

func TestInvalidArgumentsFailLocally(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	_, err := c.GetPublicAccountOwner(ctx, "", "pub-1")
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument || e.Code != "APP.0006" {
		t.Fatalf("%v", err)
	}
	if _, err := NewClient(Config{BaseURL: "http://tenant.example.com", AccessToken: "t"}); err == nil {
		t.Fatal("http:// to a remote host must be refused")
	}
	if got := admin(t, "GET", "/__mock/stats", "")["requests"]; got != 0.0 {
		t.Fatalf("requests reached the mock: %v", got)
	}
}

func TestAuthErrorHidesTheSecret(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, "go-wrong-secret", 0)
	err := c.Authenticate(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusAuthError || e.Code != "invalid_client" {
		t.Fatalf("%v", err)
	}
	if strings.Contains(err.Error(), "go-wrong-secret") {
		t.Fatal("secret in the message")
	}
}

func TestTransportAndTimeout(t *testing.T) {
	ctx := testCtx(t)
	zero := 0
	c, _ := NewClient(Config{BaseURL: "http://127.0.0.1:1", ClientID: "a", ClientSecret: "b", MaxRetries: &zero})
	defer c.Close()
	var e *Error
	if _, err := c.GetPublicAccountOwner(ctx, "a", "b"); !errors.As(err, &e) || e.Status != StatusTransportError {
		t.Fatalf("%v", err)
	}
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	slow, _ := NewClient(Config{BaseURL: "http://" + silent.Addr().String(), ClientID: "a", ClientSecret: "b", Timeout: 300 * time.Millisecond})
	defer slow.Close()
	if _, err := slow.GetPublicAccountOwner(ctx, "a", "b"); !errors.As(err, &e) || e.Status != StatusTimeout {
		t.Fatalf("%v", err)
	}
}

// Errors read as the library's own (Rust Display: "<kind> error[ code][ (HTTP n)]: message").
func TestErrorTextIsTheLibrarys(t *testing.T) {
	ctx := testCtx(t)
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	slow, _ := NewClient(Config{BaseURL: "http://" + silent.Addr().String(), AccessToken: "t", Timeout: 100 * time.Millisecond})
	defer slow.Close()
	_, err := slow.GetPublicAccountOwner(ctx, "a", "b")
	var e *Error
	if !errors.As(err, &e) || err.Error() != "timeout error: "+e.Message {
		t.Fatalf("%q", err)
	}
	_, err = NewClient(Config{BaseURL: "not a url", AccessToken: "t"})
	if !errors.As(err, &e) || err.Error() != "invalid argument error: "+e.Message || e.Status.String() != "invalid argument" {
		t.Fatalf("%q", err)
	}
	if StatusAPIError.String() != "api" || StatusCancelled.String() != "cancelled" || Status(99).String() != "unknown" {
		t.Fatal(StatusAPIError, StatusCancelled, Status(99))
	}
	// A service error reads exactly as the library's eiam_error_to_string.
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	_, err = c.GetPublicAccountOwner(ctx, "demo-app", "no-such-account")
	if !errors.As(err, &e) || err.Error() != "api error APP.ACCOUNT.0038 (HTTP 400): "+e.Message {
		t.Fatalf("%q", err)
	}
}

func TestRetriesThenSuccess(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	admin(t, "POST", "/__mock/faults", `{"status":503,"count":2,"retry_after":"0"}`)
	c := newClient(t, mockSecret, 2)
	if _, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); err != nil {
		t.Fatal(err)
	}
	if got := admin(t, "GET", "/__mock/stats", "")["api_requests"]; got != 3.0 {
		t.Fatalf("api_requests %v", got)
	}
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 2)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if o, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); err != nil || o.UserName != "zhangsan" {
					errs <- fmt.Errorf("%+v %v", o, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := admin(t, "GET", "/__mock/stats", "")["token_requests"]; got != 1.0 {
		t.Fatalf("token_requests %v", got)
	}
}

func TestCloseIsIdempotentAndFinal(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, mockSecret, 0)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); !errors.Is(err, ErrClosed) {
		t.Fatalf("%v", err)
	}
}

func TestVersion(t *testing.T) {
	if !strings.Contains(Version(), ".") {
		t.Fatal(Version())
	}
}

// stats reads one of the main mock's request counters.
func stats(t *testing.T, counter string) float64 {
	t.Helper()
	return statsAt(t, mockURL, counter)
}

func statsAt(t *testing.T, base, counter string) float64 {
	t.Helper()
	v, ok := adminAt(t, base, "GET", "/__mock/stats", "")[counter].(float64)
	if !ok {
		t.Fatalf("no counter %q in the mock's stats", counter)
	}
	return v
}

// expectInvalid checks that err is an invalid-argument *Error whose message
// names the argument and does not echo the value.
func expectInvalid(t *testing.T, err error, name, value string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument {
		t.Fatalf("want an invalid-argument error naming %s, got %v", name, err)
	}
	if !strings.Contains(e.Message, name) {
		t.Fatalf("message %q does not name %s", e.Message, name)
	}
	if strings.Contains(e.Message, value) {
		t.Fatalf("message %q echoes the value", e.Message)
	}
}

// expectRefusedLocally is expectInvalid for a call made after a reset of
// the mock, and checks that no request reached the mock.
func expectRefusedLocally(t *testing.T, err error, name, value string) {
	t.Helper()
	expectInvalid(t, err, name, value)
	if got := stats(t, "requests"); got != 0 {
		t.Fatalf("%v requests reached the mock", got)
	}
}

// A NUL would cut the C string short: "pub-2\x00-other-account" would bind
// pub-2. Every string argument must be refused before anything is sent.
func TestEmbeddedNULIsRefusedBeforeAnythingIsSent(t *testing.T) {
	ctx := testCtx(t)
	const tail = "\x00-other-account"
	good := func() Config {
		return Config{BaseURL: mockURL, ClientID: mockID, ClientSecret: mockSecret}
	}
	withConfig := func(edit func(*Config)) func() error {
		return func() error {
			cfg := good()
			edit(&cfg)
			c, err := NewClient(cfg)
			if err == nil {
				defer c.Close()
				_, err = c.GetPublicAccountOwner(ctx, "demo-app", "pub-2")
				if err == nil {
					err = errors.New("the client was created and a call went through")
				}
			}
			return err
		}
	}
	call := func(f func(c *Client) error) func() error {
		return func() error {
			c, err := NewClient(good())
			if err != nil {
				return fmt.Errorf("the good config was refused: %w", err)
			}
			defer c.Close()
			return f(c)
		}
	}
	bind := func(a, u, n string) func() error {
		return call(func(c *Client) error { _, err := c.BindPublicAccountOwner(ctx, a, u, n); return err })
	}
	get := func(a, u string) func() error {
		return call(func(c *Client) error { _, err := c.GetPublicAccountOwner(ctx, a, u); return err })
	}
	rows := []struct {
		label, arg string // the subtest, the argument the message must name
		run        func() error
	}{
		{"Config.BaseURL", "BaseURL", withConfig(func(c *Config) { c.BaseURL += tail })},
		{"Config.ClientID", "ClientID", withConfig(func(c *Config) { c.ClientID += tail })},
		{"Config.ClientSecret", "ClientSecret", withConfig(func(c *Config) { c.ClientSecret += tail })},
		{"Config.AccessToken", "AccessToken", withConfig(func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "tok"+tail })},
		{"Config.CAFile", "CAFile", withConfig(func(c *Config) { c.CAFile = "/etc/ssl/certs/ca-certificates.crt" + tail })},
		{"Config.Proxy", "Proxy", withConfig(func(c *Config) { c.Proxy = "http://127.0.0.1:1" + tail })},
		{"Config.UserAgent", "UserAgent", withConfig(func(c *Config) { c.UserAgent = "app/1" + tail })},
		{"Bind.appID", "appID", bind("demo-app"+tail, "pub-2", "cq04130006")},
		{"Bind.appUserID", "appUserID", bind("demo-app", "pub-2"+tail, "cq04130006")},
		{"Bind.userName", "userName", bind("demo-app", "pub-2", "cq04130006"+tail)},
		{"Get.appID", "appID", get("demo-app"+tail, "pub-2")},
		{"Get.appUserID", "appUserID", get("demo-app", "pub-2"+tail)},
	}
	for _, row := range rows {
		t.Run(row.label, func(t *testing.T) {
			admin(t, "POST", "/__mock/reset", "")
			expectRefusedLocally(t, row.run(), row.arg, tail)
		})
	}
}

// Configuration values are never converted silently: out of range is an
// error naming the field, a sub-millisecond duration rounds up to 1 ms.
func TestConfigValuesAreNotConvertedSilently(t *testing.T) {
	ctx := testCtx(t)
	base := func() Config { return Config{BaseURL: mockURL, AccessToken: "t"} }
	huge, negative := 1<<32, -1
	for _, row := range []struct {
		field string
		edit  func(*Config)
	}{
		{"MaxRetries", func(c *Config) { c.MaxRetries = &huge }},
		{"MaxRetries", func(c *Config) { c.MaxRetries = &negative }},
		{"Timeout", func(c *Config) { c.Timeout = -time.Second }},
		{"ConnectTimeout", func(c *Config) { c.ConnectTimeout = -time.Nanosecond }},
		{"MaxConcurrentCalls", func(c *Config) { c.MaxConcurrentCalls = -1 }},
	} {
		t.Run(row.field, func(t *testing.T) {
			cfg := base()
			row.edit(&cfg)
			c, err := NewClient(cfg)
			if err == nil {
				c.Close()
			}
			expectInvalid(t, err, row.field, "\x00")
		})
	}

	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	for _, row := range []struct {
		timeout time.Duration
		shown   string
	}{{500 * time.Microsecond, "deadline of 1ms"}, {1500 * time.Microsecond, "deadline of 2ms"}} {
		t.Run(row.timeout.String(), func(t *testing.T) {
			c, err := NewClient(Config{BaseURL: "http://" + silent.Addr().String(), AccessToken: "t", Timeout: row.timeout})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.GetPublicAccountOwner(ctx, "a", "b")
			var e *Error
			if !errors.As(err, &e) || e.Status != StatusTimeout || !strings.Contains(e.Message, row.shown) {
				t.Fatalf("want a timeout with %q, got %v", row.shown, err)
			}
		})
	}
	t.Run("ConnectTimeout 1µs", func(t *testing.T) {
		c, err := NewClient(Config{BaseURL: mockURL, AccessToken: "t", ConnectTimeout: time.Microsecond})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}

// callAtOnce makes n goroutines call GetPublicAccountOwner together, each
// held by the mock for delay, and checks that every call was answered.
func callAtOnce(t *testing.T, c *Client, n int, delay time.Duration) {
	t.Helper()
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/faults", fmt.Sprintf(`{"action":"normal","count":%d,"delay_ms":%d}`, n, delay.Milliseconds()))
	defer admin(t, "DELETE", "/__mock/faults", "")
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if o, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); err != nil || o.UserName != "zhangsan" {
				errs <- fmt.Errorf("%+v %v", o, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := stats(t, "api_requests"); got != float64(n) {
		t.Fatalf("api_requests %v, want %d", got, n)
	}
}

// Each call blocked in C holds an OS thread; without a bound, thousands of
// goroutines calling at once end in "fatal error: thread exhaustion". The
// thread limit is lowered here so that an unbounded binding fails for sure.
func TestManyGoroutinesAtOnceStayWithinTheThreadLimit(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	threads := pprof.Lookup("threadcreate").Count()
	defer debug.SetMaxThreads(debug.SetMaxThreads(threads + 200))
	callAtOnce(t, c, 5000, 20*time.Millisecond)
	if got := stats(t, "max_in_flight"); got > 64 {
		t.Fatalf("%v calls in flight at once, want at most the default 64", got)
	}
}

func TestMaxConcurrentCallsBoundsTheCallsInFlight(t *testing.T) {
	admin(t, "POST", "/__mock/reset", "")
	c, err := NewClient(Config{BaseURL: mockURL, ClientID: mockID, ClientSecret: mockSecret, MaxConcurrentCalls: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	callAtOnce(t, c, 100, 20*time.Millisecond)
	if got := stats(t, "max_in_flight"); got > 3 || got < 2 {
		t.Fatalf("%v calls in flight at once, want 3 (2 at worst: the calls must overlap)", got)
	}
}

// testCtx is a context the test cancels when it ends: one that can be
// done, so that every call of the suite runs through the cancel path.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}
