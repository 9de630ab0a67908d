package eiam

import (
	"context"
	"errors"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The bound the issue sets on a cancelled call: it returns within this.
const cancelBound = 100 * time.Millisecond

// The tests here leave requests held by a mock for seconds after they
// end, which would count in the main mock's in_flight: they run against
// a mock of their own, started once.
var holdingMock = sync.OnceValues(func() (*mockServer, error) {
	m, err := startMock()
	if err == nil {
		otherMocks.Lock()
		otherMocks.list = append(otherMocks.list, m)
		otherMocks.Unlock()
	}
	return m, err
})

// holding is the holding mock, reset.
func holding(t *testing.T) *mockServer {
	t.Helper()
	m, err := holdingMock()
	if err != nil {
		t.Fatal(err)
	}
	adminAt(t, m.url, "POST", "/__mock/reset", "")
	return m
}

// holdNextAPIRequests makes the mock hold the next n API requests for 10 s.
func (m *mockServer) holdNextAPIRequests(t *testing.T, n int) {
	t.Helper()
	adminAt(t, m.url, "POST", "/__mock/faults", `{"action":"normal","delay_ms":10000,"count":`+strconv.Itoa(n)+`}`)
	t.Cleanup(func() { adminAt(t, m.url, "DELETE", "/__mock/faults", "") })
}

// waitForAPIRequests polls the mock until it has seen n API requests.
func (m *mockServer) waitForAPIRequests(t *testing.T, n float64) {
	t.Helper()
	for until := time.Now().Add(5 * time.Second); statsAt(t, m.url, "api_requests") < n; {
		if time.Now().After(until) {
			t.Fatalf("the mock never saw %v API requests", n)
		}
	}
}

// getOwnerInBackground calls GetPublicAccountOwner on a goroutine of its
// own; the channel gets the call's error.
func getOwnerInBackground(ctx context.Context, c *Client) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1")
		done <- err
	}()
	return done
}

// waitForAGoroutineWaitingForASlot polls the goroutines' stacks until
// one is blocked in acquire's select, waiting for a slot.
func waitForAGoroutineWaitingForASlot(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for until := time.Now().Add(5 * time.Second); ; {
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			if strings.Contains(g, "[select") && strings.Contains(g, "(*Client).acquire") {
				return
			}
		}
		if time.Now().After(until) {
			t.Fatal("no goroutine came to wait for a slot")
		}
	}
}

// authenticated is a client of the holding mock (reset) with its token
// already fetched, so that the next request it sends is an API request.
func authenticated(t *testing.T, cfg Config) (*Client, *mockServer) {
	t.Helper()
	m := holding(t)
	cfg.BaseURL, cfg.ClientID, cfg.ClientSecret = m.url, m.id, m.secret
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, m
}

// expectContextError checks that err is the library's cancellation and
// wraps want (context.Canceled or context.DeadlineExceeded).
func expectContextError(t *testing.T, err, want error) {
	t.Helper()
	var e *Error
	if !errors.Is(err, want) || !errors.As(err, &e) || e.Status != StatusCancelled {
		t.Fatalf("%v, want a cancelled *Error wrapping %v", err, want)
	}
}

// The case: a call the service holds, cancelled once the service
// has the request, returns within 100 ms with context.Canceled.
func TestCancelEndsACallTheServiceHolds(t *testing.T) {
	c, m := authenticated(t, Config{})
	m.holdNextAPIRequests(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := getOwnerInBackground(ctx, c)
	m.waitForAPIRequests(t, 1)
	cancelled := time.Now()
	cancel()
	err := <-done
	if took := time.Since(cancelled); took > cancelBound {
		t.Fatalf("returned %v after the cancel, want at most %v", took, cancelBound)
	}
	expectContextError(t, err, context.Canceled)
}

// A deadline shorter than the client's timeout ends the call by the
// deadline, with context.DeadlineExceeded.
func TestContextDeadlineShorterThanTheClientTimeout(t *testing.T) {
	c, m := authenticated(t, Config{Timeout: 30 * time.Second})
	m.holdNextAPIRequests(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	_, err := c.GetAccount(ctx, "paging-app", "acct-001")
	if late := time.Since(deadline); late > cancelBound {
		t.Fatalf("returned %v after the deadline, want at most %v", late, cancelBound)
	}
	expectContextError(t, err, context.DeadlineExceeded)
	if n := statsAt(t, m.url, "api_requests"); n != 1 {
		t.Fatalf("api_requests %v, want the 1 the deadline cut short", n)
	}
}

// A context already done returns at once from every call, and nothing is
// sent, not even the token request.
func TestDoneContextSendsNothing(t *testing.T) {
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	names := []string{"zhangsan"}
	one := func(err error) error { return err }
	id := func(_ string, err error) error { return err }
	calls := map[string]func() error{
		"Authenticate":           func() error { return c.Authenticate(ctx) },
		"BindPublicAccountOwner": func() error { return id(c.BindPublicAccountOwner(ctx, "demo-app", "pub-2", "lisi")) },
		"GetPublicAccountOwner": func() error {
			_, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1")
			return err
		},
		"BindPublicAccountOwners": func() error {
			_, err := c.BindPublicAccountOwners(ctx, []BindItem{{"demo-app", "pub-2", "lisi"}}, BindOptions{})
			return err
		},
		"CreatePublicAccount":      func() error { return id(c.CreatePublicAccount(ctx, "demo-app", "x", nil)) },
		"CreateBasicAccount":       func() error { return id(c.CreateBasicAccount(ctx, "demo-app", "zhangsan", nil, nil)) },
		"CreateOrphanAccount":      func() error { return id(c.CreateOrphanAccount(ctx, "demo-app", "x", nil)) },
		"AddPublicAccountUsers":    func() error { return id(c.AddPublicAccountUsers(ctx, "demo-app", "pub-1", names)) },
		"RemovePublicAccountUsers": func() error { return id(c.RemovePublicAccountUsers(ctx, "demo-app", "pub-1", names)) },
		"ListPublicAccountUsers": func() error {
			_, err := c.ListPublicAccountUsers(ctx, "demo-app", "pub-1", 0, 0)
			return err
		},
		"PublicAccountUsers": func() error { return walkErr(c.PublicAccountUsers(ctx, "demo-app", "pub-1", 0)) },
		"GetAccount": func() error {
			_, err := c.GetAccount(ctx, "paging-app", "acct-001")
			return err
		},
		"ListAccounts": func() error {
			_, err := c.ListAccounts(ctx, "paging-app", ListOptions{})
			return err
		},
		"Accounts":       func() error { return walkErr(c.Accounts(ctx, "paging-app", "", 0)) },
		"UpdateAccount":  func() error { return id(c.UpdateAccount(ctx, "paging-app", "acct-001", "a", nil)) },
		"DisableAccount": func() error { return id(c.DisableAccount(ctx, "paging-app", "acct-001")) },
		"EnableAccount":  func() error { return id(c.EnableAccount(ctx, "paging-app", "acct-001")) },
		"DeleteAccount":  func() error { return one(c.DeleteAccount(ctx, "paging-app", "acct-001")) },
		"Request": func() error {
			_, err := c.Request(ctx, "GET", "/api/v2/tenant/ping", nil, nil, nil)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { expectContextError(t, call(), context.Canceled) })
	}
	if n := stats(t, "requests"); n != 0 {
		t.Fatalf("%v requests reached the mock, want 0", n)
	}
}

// A call waiting for one of MaxConcurrentCalls leaves the queue when its
// context is done, and never sends.
func TestWaitingForASlotRespectsTheContext(t *testing.T) {
	c, m := authenticated(t, Config{MaxConcurrentCalls: 1})
	m.holdNextAPIRequests(t, 1)
	holder, release := context.WithCancel(context.Background())
	held := getOwnerInBackground(holder, c)
	m.waitForAPIRequests(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	waiting := getOwnerInBackground(ctx, c)
	waitForAGoroutineWaitingForASlot(t)
	cancelled := time.Now()
	cancel()
	err := <-waiting
	if took := time.Since(cancelled); took > cancelBound {
		t.Fatalf("the waiting call returned %v after the cancel", took)
	}
	expectContextError(t, err, context.Canceled)
	release()
	expectContextError(t, <-held, context.Canceled)
	if n := statsAt(t, m.url, "api_requests"); n != 1 {
		t.Fatalf("api_requests %v, want only the holder's 1", n)
	}
}

// osThreads is the process's thread count, as Linux reports it.
func osThreads(t *testing.T) int {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatal("no Threads: line in /proc/self/status")
	return 0
}

// Calls cut short by their context leave no goroutine (goleak) and no OS
// thread behind: after a first round (which may start the few threads Go
// runs on, up to about GOMAXPROCS), 60 more calls add none of their own.
func TestCancelledCallsLeaveNoGoroutinesNorThreads(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	c, m := authenticated(t, Config{})
	m.holdNextAPIRequests(t, 1000)
	round := func() {
		for range 20 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
			_, err := c.GetAccount(ctx, "paging-app", "acct-001")
			cancel()
			expectContextError(t, err, context.DeadlineExceeded)
		}
	}
	round()
	before := osThreads(t)
	for range 3 {
		round()
	}
	if after := osThreads(t); after > before+runtime.GOMAXPROCS(0) {
		t.Fatalf("%d OS threads after 60 more cancelled calls, %d before", after, before)
	}
	c.Close()
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)
}

// An iterator whose context is done mid-walk ends with the context's
// error at the next item, asks for no more pages, and frees its pager.
func TestIteratorStopsWithTheContextsError(t *testing.T) {
	c, m := authenticated(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen int
	var last error
	for account, err := range c.Accounts(ctx, "paging-app", "", 10) {
		if err != nil {
			last = err
			break
		}
		if seen++; seen == 3 {
			cancel()
		}
		_ = account
	}
	expectContextError(t, last, context.Canceled)
	if seen != 3 {
		t.Fatalf("%d items after the cancel, want none", seen-3)
	}
	if n := statsAt(t, m.url, "api_requests"); n != 1 {
		t.Fatalf("api_requests %v, want the first page's 1", n)
	}
	expectNoPagers(t, c)
}

// A page the service holds is cut short by the walk's context.
func TestIteratorCancelEndsAPageTheServiceHolds(t *testing.T) {
	c, m := authenticated(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelled := make(chan time.Time, 1)
	var seen int
	var last error
	for _, err := range c.Accounts(ctx, "paging-app", "", MinPageSize) {
		if err != nil {
			last = err
			break
		}
		// The first page is in; the second is asked for after it.
		if seen++; seen == 1 {
			m.holdNextAPIRequests(t, 1)
			go func() {
				m.waitForAPIRequests(t, 2)
				cancelled <- time.Now()
				cancel()
			}()
		}
	}
	expectContextError(t, last, context.Canceled)
	if took := time.Since(<-cancelled); took > cancelBound {
		t.Fatalf("the walk ended %v after the cancel", took)
	}
	if seen != int(MinPageSize) {
		t.Fatalf("%d items, want the first page's %d", seen, MinPageSize)
	}
	expectNoPagers(t, c)
}

func expectNoPagers(t *testing.T, c *Client) {
	t.Helper()
	c.pagersMu.Lock()
	defer c.pagersMu.Unlock()
	if len(c.pagers) != 0 {
		t.Fatalf("%d pagers still open after the walk", len(c.pagers))
	}
}

// A bulk job its context ends returns its results with the error: the
// items done, and the others cancelled with the context's error.
func TestBulkEndedByItsContext(t *testing.T) {
	c, m := authenticated(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	items := []BindItem{{"demo-app", "pub-2", "zhangsan"}, {"demo-app", "pub-2", "lisi"}, {"demo-app", "pub-2", "cq04130006"}}
	results, err := c.BindPublicAccountOwners(ctx, items, BindOptions{Concurrency: 1, Progress: func(p Progress) bool {
		if p.Done == 1 {
			// The next item is held by the service, or never started.
			m.holdNextAPIRequests(t, 1)
			cancel()
		}
		return true
	}})
	expectContextError(t, err, context.Canceled)
	if len(results) != 3 || results[0].Err != nil || results[0].AccountID != "pub-2" {
		t.Fatalf("%+v, want the first item bound", results)
	}
	for _, r := range results[1:] {
		expectContextError(t, r.Err, context.Canceled)
	}
}

// The cost of watching a context, on loopback: a ctx that can never be
// done takes the path the binding had before contexts (no token), one
// that can be done pays a C cancel token and a client view per call.
func BenchmarkGetAccount(b *testing.B) {
	c, err := NewClient(Config{BaseURL: mockURL, ClientID: mockID, ClientSecret: mockSecret})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, ctx := range map[string]context.Context{"background": context.Background(), "cancellable": cancellable} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if _, err := c.GetAccount(ctx, "paging-app", "acct-001"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The context machinery alone, without a request: what a call pays for
// its ctx on top of the C call.
func BenchmarkWatch(b *testing.B) {
	c, err := NewClient(Config{BaseURL: mockURL, AccessToken: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range b.N {
		_, leave, err := c.enter(ctx)
		if err != nil {
			b.Fatal(err)
		}
		leave()
	}
}
