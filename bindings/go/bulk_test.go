package eiam

import (
	"errors"
	"fmt"
	"testing"
)

// statusOf is the Status of err, or StatusOK when err is nil.
func statusOf(t *testing.T, err error) Status {
	t.Helper()
	if err == nil {
		return StatusOK
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *Error: %v", err)
	}
	return e.Status
}

func TestBulkResultsInInputOrderWithPerItemErrors(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	var reports []Progress
	results, err := c.BindPublicAccountOwners(ctx, []BindItem{
		{"demo-app", "pub-1", "zhangsan"},
		{"demo-app", "missing", "zhangsan"},
		{"", "pub-1", "zhangsan"},
		{"demo-app", "pub-2", "cq04130006"},
	}, BindOptions{Concurrency: 2, Progress: func(p Progress) bool {
		reports = append(reports, p)
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 || results[0].AccountID != "pub-1" ||
		results[3].AccountID != "pub-2" || results[0].Err != nil || results[3].Err != nil {
		t.Fatalf("%+v", results)
	}
	var e *Error
	if !errors.As(results[1].Err, &e) || e.Status != StatusAPIError || e.Code != "APP.ACCOUNT.0038" || results[1].AccountID != "" {
		t.Fatalf("item 1: %+v", results[1])
	}
	if !errors.As(results[2].Err, &e) || e.Status != StatusInvalidArgument || e.Code != "APP.0006" {
		t.Fatalf("item 2: %+v", results[2])
	}
	if len(reports) != 4 {
		t.Fatalf("%d progress reports, want 4: %+v", len(reports), reports)
	}
	for i, p := range reports {
		if p.Done != i+1 || p.Total != 4 {
			t.Fatalf("report %d: %+v", i, p)
		}
	}
	if last := reports[3]; last.Failures != 2 {
		t.Fatalf("last report %+v, want 2 failures", last)
	}
	if owner := admin(t, "GET", "/__mock/owner?app_id=demo-app&app_user_id=pub-2", "")["user_name"]; owner != "cq04130006" {
		t.Fatalf("pub-2 is owned by %v", owner)
	}
}

func TestBulkWithoutProgressAndWithNoItems(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, mockSecret, 0)
	results, err := c.BindPublicAccountOwners(ctx, []BindItem{{"demo-app", "pub-1", "zhangsan"}}, BindOptions{})
	if err != nil || len(results) != 1 || results[0].Err != nil {
		t.Fatalf("%+v %v", results, err)
	}
	results, err = c.BindPublicAccountOwners(ctx, nil, BindOptions{})
	if err != nil || len(results) != 0 {
		t.Fatalf("%+v %v", results, err)
	}
}

func TestBulkProgressReturningFalseCancelsTheItemsNotStarted(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	items := make([]BindItem, 5)
	for i := range items {
		items[i] = BindItem{"demo-app", "pub-1", "zhangsan"}
	}
	calls := 0
	results, err := c.BindPublicAccountOwners(ctx, items, BindOptions{Concurrency: 1, Progress: func(Progress) bool {
		calls++
		return false
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || statusOf(t, results[0].Err) != StatusOK {
		t.Fatalf("%d calls, %+v", calls, results)
	}
	for _, r := range results[1:] {
		if statusOf(t, r.Err) != StatusCancelled {
			t.Fatalf("%+v", results)
		}
	}
	if got := stats(t, "api_requests"); got != 1 {
		t.Fatalf("api_requests %v, want 1", got)
	}
}

// The callback runs on a library worker thread, where a panic could not
// reach the caller: it is caught there, cancels the rest, and is raised
// again in the caller's goroutine.
func TestBulkPanicInProgressReachesTheCaller(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	items := []BindItem{{"demo-app", "pub-1", "zhangsan"}, {"demo-app", "pub-1", "zhangsan"}, {"demo-app", "pub-1", "zhangsan"}}
	got := func() (r any) {
		defer func() { r = recover() }()
		c.BindPublicAccountOwners(ctx, items, BindOptions{Concurrency: 1, Progress: func(Progress) bool { panic("boom") }})
		return nil
	}()
	if got != "boom" {
		t.Fatalf("recovered %v, want the callback's panic", got)
	}
	if n := stats(t, "api_requests"); n != 1 {
		t.Fatalf("api_requests %v, want 1: the panic cancels the items not started", n)
	}
	if _, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); err != nil {
		t.Fatalf("the client is unusable after the panic: %v", err)
	}
}

func TestBulkRefusesBadOptionsAndNULsBeforeSending(t *testing.T) {
	ctx := testCtx(t)
	const tail = "\x00-other-account"
	c := newClient(t, mockSecret, 0)
	good := BindItem{"demo-app", "pub-2", "cq04130006"}
	for _, row := range []struct {
		arg  string
		edit func(*BindItem)
		opts BindOptions
	}{
		{"items[1].AppID", func(i *BindItem) { i.AppID += tail }, BindOptions{}},
		{"items[1].AppUserID", func(i *BindItem) { i.AppUserID += tail }, BindOptions{}},
		{"items[1].UserName", func(i *BindItem) { i.UserName += tail }, BindOptions{}},
		{"Concurrency", func(*BindItem) {}, BindOptions{Concurrency: -1}},
		{"Concurrency", func(*BindItem) {}, BindOptions{Concurrency: 1 << 32}},
	} {
		t.Run(fmt.Sprintf("%s=%v", row.arg, row.opts.Concurrency), func(t *testing.T) {
			admin(t, "POST", "/__mock/reset", "")
			bad := good
			row.edit(&bad)
			results, err := c.BindPublicAccountOwners(ctx, []BindItem{good, bad}, row.opts)
			expectRefusedLocally(t, err, row.arg, tail)
			if results != nil {
				t.Fatalf("results %+v with an error", results)
			}
		})
	}
}
