package eiam

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// expectCode checks err's status, code and HTTP status.
func expectCode(t *testing.T, err error, status Status, code string, httpStatus int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want a %v error %s, got %v", status, code, err)
	}
	if e.Status != status || e.Code != code || e.HTTPStatus != httpStatus {
		t.Fatalf("want %v %s (HTTP %d), got %v %q (HTTP %d): %v", status, code, httpStatus, e.Status, e.Code, e.HTTPStatus, err)
	}
}

// mockAccount is what the mock holds of an account (nil when it has none).
func mockAccount(t *testing.T, appID, accountID string) map[string]any {
	t.Helper()
	q := url.Values{"app_id": {appID}, "account_id": {accountID}}
	account, _ := admin(t, "GET", "/__mock/account?"+q.Encode(), "")["account"].(map[string]any)
	return account
}

func accountCount(t *testing.T, appID string) float64 {
	t.Helper()
	n, ok := admin(t, "GET", "/__mock/account-count?app_id="+url.QueryEscape(appID), "")["count"].(float64)
	if !ok {
		t.Fatal("no count from the mock")
	}
	return n
}

func members(t *testing.T, appID, accountID string) []string {
	t.Helper()
	q := url.Values{"app_id": {appID}, "account_id": {accountID}}
	var names []string
	for _, n := range admin(t, "GET", "/__mock/members?"+q.Encode(), "")["user_names"].([]any) {
		names = append(names, n.(string))
	}
	return names
}

func passwordIs(t *testing.T, appID, accountID, password string) bool {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"app_id": appID, "account_id": accountID, "password": password})
	return admin(t, "POST", "/__mock/password-is", string(body))["matches"] == true
}

// codeRow is a call that must fail with the service's code.
type codeRow struct {
	name, code string
	call       func() error
}

// collect runs an iterator to its end: its items, and the error it ended with.
func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var items []T
	for item, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
	return items, nil
}

// walkErr is the error a walk ends with, if any.
func walkErr[T any](seq func(func(T, error) bool)) error {
	_, err := collect(seq)
	return err
}

func TestAccountLifecycle(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	id, err := c.CreatePublicAccount(ctx, "demo-app", "shared-ops", &AccountFields{
		Name: ptr("Ops"), OrgCode: ptr("sales"), Password: ptr("pw-1"), Disabled: ptr(false),
		Extension: map[string]any{"dept": "ops"},
	})
	if err != nil || id == "" {
		t.Fatalf("create public: %q %v", id, err)
	}
	got, err := c.GetAccount(ctx, "demo-app", id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.AccountName != "shared-ops" || got.Name == nil || *got.Name != "Ops" ||
		got.OrgID == nil || *got.OrgID == "" || got.AccountType != AccountTypePublic || got.Disabled ||
		got.Extension["dept"] != "ops" {
		t.Fatalf("get: %+v", got)
	}

	if upd, err := c.UpdateAccount(ctx, "demo-app", id, "shared-ops-2", &AccountFields{Name: ptr("Ops 2")}); err != nil || upd != id {
		t.Fatalf("update: %q %v", upd, err)
	}
	got, _ = c.GetAccount(ctx, "demo-app", id)
	if got.AccountName != "shared-ops-2" || *got.Name != "Ops 2" || *got.OrgID == "" || got.Extension["dept"] != "ops" {
		t.Fatalf("after a partial update: %+v", got)
	}
	if upd, err := c.UpdateAccount(ctx, "demo-app", id, "shared-ops-2", nil); err != nil || upd != id {
		t.Fatalf("update without fields: %q %v", upd, err)
	}

	if out, err := c.DisableAccount(ctx, "demo-app", id); err != nil || out != id {
		t.Fatalf("disable: %q %v", out, err)
	}
	if got, _ = c.GetAccount(ctx, "demo-app", id); !got.Disabled {
		t.Fatal("still enabled after DisableAccount")
	}
	if out, err := c.EnableAccount(ctx, "demo-app", id); err != nil || out != id {
		t.Fatalf("enable: %q %v", out, err)
	}
	if got, _ = c.GetAccount(ctx, "demo-app", id); got.Disabled {
		t.Fatal("still disabled after EnableAccount")
	}

	// Members: add, list (one page and the iterator), remove.
	if out, err := c.AddPublicAccountUsers(ctx, "demo-app", id, []string{"zhangsan", "lisi"}); err != nil || out != id {
		t.Fatalf("add users: %q %v", out, err)
	}
	if m := members(t, "demo-app", id); !slices.Equal(m, []string{"zhangsan", "lisi"}) {
		t.Fatalf("members %v", m)
	}
	page, err := c.ListPublicAccountUsers(ctx, "demo-app", id, 0, 10)
	if err != nil || page.Total != 2 || page.Page != 0 || len(page.Items) != 2 ||
		page.Items[0].UserName != "zhangsan" || page.Items[0].ID == "" || page.Items[0].Disabled ||
		page.Items[1].UserName != "lisi" || !page.Items[1].Disabled {
		t.Fatalf("list users: %+v %v", page, err)
	}
	users, err := collect(c.PublicAccountUsers(ctx, "demo-app", id, 0))
	if err != nil || len(users) != 2 || users[0] != page.Items[0] || users[1] != page.Items[1] {
		t.Fatalf("users iterator: %+v %v", users, err)
	}
	if out, err := c.RemovePublicAccountUsers(ctx, "demo-app", id, []string{"lisi"}); err != nil || out != id {
		t.Fatalf("remove users: %q %v", out, err)
	}
	if m := members(t, "demo-app", id); !slices.Equal(m, []string{"zhangsan"}) {
		t.Fatalf("members after remove %v", m)
	}

	// Basic (its name defaults to the user's) and orphan accounts.
	owner, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1")
	if err != nil {
		t.Fatal(err)
	}
	basic, err := c.CreateBasicAccount(ctx, "demo-app", owner.UserID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ = c.GetAccount(ctx, "demo-app", basic); got.AccountName != "zhangsan" || got.AccountType != AccountTypeBasic || got.Name != nil {
		t.Fatalf("basic: %+v", got)
	}
	named, err := c.CreateBasicAccount(ctx, "demo-app", owner.UserID, ptr("zs-2"), &AccountFields{Disabled: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ = c.GetAccount(ctx, "demo-app", named); got.AccountName != "zs-2" || !got.Disabled {
		t.Fatalf("named basic: %+v", got)
	}
	orphan, err := c.CreateOrphanAccount(ctx, "demo-app", "robot", nil)
	if err != nil {
		t.Fatal(err)
	}

	// Lists with and without a type.
	all, err := c.ListAccounts(ctx, "demo-app", ListOptions{})
	if err != nil || all.Total != 6 || len(all.Items) != 6 || all.Page != 0 {
		t.Fatalf("list all: %+v %v", all, err)
	}
	orphans, err := c.ListAccounts(ctx, "demo-app", ListOptions{AccountType: AccountTypeOrphan, PageSize: 10})
	if err != nil || orphans.Total != 1 || len(orphans.Items) != 1 || orphans.Items[0].ID != orphan || orphans.Items[0].AccountType != AccountTypeOrphan {
		t.Fatalf("list orphans: %+v %v", orphans, err)
	}
	publics, err := collect(c.Accounts(ctx, "demo-app", AccountTypePublic, 10))
	if err != nil || len(publics) != 3 || publics[2].ID != id {
		t.Fatalf("public iterator: %+v %v", publics, err)
	}

	for _, gone := range []string{id, basic, named, orphan} {
		if err := c.DeleteAccount(ctx, "demo-app", gone); err != nil {
			t.Fatal(err)
		}
		if mockAccount(t, "demo-app", gone) != nil {
			t.Fatalf("%s still exists", gone)
		}
	}
	_, err = c.GetAccount(ctx, "demo-app", id)
	expectCode(t, err, StatusAPIError, "APP.ACCOUNT.0028", 400)
}

func TestAccountErrorsCarryTheServicesCodes(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	rows := []codeRow{
		{"unknown app", "APP.0001", func() error { _, err := c.CreatePublicAccount(ctx, "no-such-app", "x", nil); return err }},
		{"get: unknown account, code normalized", "APP.ACCOUNT.0028", func() error { _, err := c.GetAccount(ctx, "demo-app", "no-such-account"); return err }},
		{"delete: unknown account", "APP.ACCOUNT.0028", func() error { return c.DeleteAccount(ctx, "demo-app", "no-such-account") }},
		{"disable: unknown account", "APP.ACCOUNT.0028", func() error { _, err := c.DisableAccount(ctx, "demo-app", "no-such-account"); return err }},
		{"unknown public account", "APP.ACCOUNT.0038", func() error { _, err := c.ListPublicAccountUsers(ctx, "demo-app", "no-such-pub", 0, 10); return err }},
		{"unknown org code", "APP.ORG.0024", func() error {
			_, err := c.CreateOrphanAccount(ctx, "demo-app", "x", &AccountFields{OrgCode: ptr("no-such-org")})
			return err
		}},
		{"unknown user", "USER.0001", func() error { _, err := c.CreateBasicAccount(ctx, "demo-app", "no-such-user", nil, nil); return err }},
		{"unknown user in a bind", "USER.0001", func() error {
			_, err := c.AddPublicAccountUsers(ctx, "demo-app", "pub-2", []string{"nobody"})
			return err
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			err := row.call()
			expectCode(t, err, StatusAPIError, row.code, 400)
			if want := "api error " + row.code + " (HTTP 400): "; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("%q does not start with %q", err, want)
			}
		})
	}
	if n := accountCount(t, "demo-app"); n != 2 {
		t.Fatalf("a failed create left an account: %v", n)
	}
}

// A bad account type and a page size out of range are the library's to
// refuse, with the service's codes, before anything is sent.
func TestBadTypesAndPageSizesAreRefusedBeforeSending(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, mockSecret, 0)
	rows := []codeRow{
		{"list, bad type", "APP.ACCOUNT.0045", func() error {
			_, err := c.ListAccounts(ctx, "paging-app", ListOptions{AccountType: "PUBLIC"})
			return err
		}},
		{"iterator, bad type", "APP.ACCOUNT.0045", func() error { return walkErr(c.Accounts(ctx, "paging-app", "basic_account", 0)) }},
	}
	for _, size := range []uint32{9, 101} {
		rows = append(rows,
			codeRow{fmt.Sprintf("list accounts, size %d", size), "OAP.PAGE.0002", func() error {
				_, err := c.ListAccounts(ctx, "paging-app", ListOptions{PageSize: size})
				return err
			}},
			codeRow{fmt.Sprintf("list users, size %d", size), "OAP.PAGE.0002", func() error {
				_, err := c.ListPublicAccountUsers(ctx, "demo-app", "pub-1", 0, size)
				return err
			}},
			codeRow{fmt.Sprintf("accounts iterator, size %d", size), "OAP.PAGE.0002", func() error {
				return walkErr(c.Accounts(ctx, "paging-app", "", size))
			}},
			codeRow{fmt.Sprintf("users iterator, size %d", size), "OAP.PAGE.0002", func() error {
				return walkErr(c.PublicAccountUsers(ctx, "demo-app", "pub-1", size))
			}},
		)
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			admin(t, "POST", "/__mock/reset", "")
			expectCode(t, row.call(), StatusInvalidArgument, row.code, 0)
			if n := stats(t, "api_requests"); n != 0 {
				t.Fatalf("%v API requests reached the mock", n)
			}
		})
	}
}

func TestIteratorWalksEveryPageOnce(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	seen := map[string]bool{}
	for account, err := range c.Accounts(ctx, "paging-app", "", 100) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[account.ID] {
			t.Fatalf("%s twice", account.ID)
		}
		seen[account.ID] = true
	}
	if len(seen) != 250 || !seen["acct-001"] || !seen["acct-250"] {
		t.Fatalf("%d accounts", len(seen))
	}
	if n := stats(t, "api_requests"); n != 3 {
		t.Fatalf("%v API requests, want 3 pages", n)
	}
	if len(c.pagers) != 0 {
		t.Fatalf("%d pagers left open", len(c.pagers))
	}

	last, err := c.ListAccounts(ctx, "paging-app", ListOptions{Page: 2, PageSize: 100})
	if err != nil || last.Total != 250 || last.Page != 2 || len(last.Items) != 50 || last.Items[49].ID != "acct-250" {
		t.Fatalf("page 2: %d items of %d, page %d, %v", len(last.Items), last.Total, last.Page, err)
	}
	for typ, want := range map[AccountType]int{AccountTypePublic: 83, AccountTypeBasic: 84, AccountTypeOrphan: 83} {
		items, err := collect(c.Accounts(ctx, "paging-app", typ, 0))
		if err != nil || len(items) != want {
			t.Fatalf("%s: %d, %v", typ, len(items), err)
		}
		for _, a := range items {
			if a.AccountType != typ {
				t.Fatalf("%s in the %s walk", a.AccountType, typ)
			}
		}
	}
}

func TestBreakingOutOfTheLoopFreesThePager(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	n := 0
	for _, err := range c.Accounts(ctx, "paging-app", "", 10) {
		if err != nil {
			t.Fatal(err)
		}
		if len(c.pagers) != 1 {
			t.Fatalf("%d pagers open during the walk, want 1", len(c.pagers))
		}
		if n++; n == 15 {
			break
		}
	}
	if len(c.pagers) != 0 {
		t.Fatalf("%d pagers left open after break", len(c.pagers))
	}
	if got := stats(t, "api_requests"); got != 2 {
		t.Fatalf("%v API requests for 15 items of pages of 10: not lazy", got)
	}
	// The body of the loop may call the client, even with one call at a time.
	one, err := NewClient(Config{BaseURL: mockURL, ClientID: mockID, ClientSecret: mockSecret, MaxConcurrentCalls: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	for user, err := range one.PublicAccountUsers(ctx, "demo-app", "pub-1", 10) {
		if err != nil {
			t.Fatal(err)
		}
		if _, err := one.GetPublicAccountOwner(ctx, "demo-app", "pub-1"); err != nil {
			t.Fatalf("a call inside the loop over %s: %v", user.UserName, err)
		}
	}
}

func TestCloseEndsAWalkInProgress(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t, mockSecret, 0)
	var items int
	var last error
	for _, err := range c.Accounts(ctx, "paging-app", "", 10) {
		if err != nil {
			last = err
			break
		}
		if items++; items == 3 {
			c.Close()
			if len(c.pagers) != 0 {
				t.Fatal("Close left the pager open")
			}
		}
	}
	if !errors.Is(last, ErrClosed) || items != 10 {
		t.Fatalf("after %d items: %v, want the page's 10 items then ErrClosed", items, last)
	}
	if _, err := collect(c.Accounts(ctx, "paging-app", "", 10)); !errors.Is(err, ErrClosed) {
		t.Fatalf("a walk on a closed client: %v", err)
	}
}

// A service that ignores the page number answers the same page again: the
// walk must end with an error, not loop.
func TestIteratorStopsWhenTheServiceRepeatsAPage(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	var accounts []string
	for i := 0; i < 10; i++ {
		accounts = append(accounts, fmt.Sprintf(`{"id":"same-%d","account_name":"a%d","account_type":"ORPHAN_ACCOUNT","disabled":false,"extension":{}}`, i, i))
	}
	body := `{"total":250,"accounts":[` + strings.Join(accounts, ",") + `]}`
	spec, _ := json.Marshal(map[string]any{"status": 200, "count": 5, "body": body})
	admin(t, "POST", "/__mock/faults", string(spec))
	defer admin(t, "DELETE", "/__mock/faults", "")
	c := newClient(t, mockSecret, 0)
	items, err := collect(c.Accounts(ctx, "paging-app", "", 10))
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusProtocolError || !strings.Contains(e.Message, "same") {
		t.Fatalf("after %d items: %v, want a protocol error", len(items), err)
	}
	if len(items) != 10 || items[0].ID != "same-0" {
		t.Fatalf("%d items before the error, want the first page's 10", len(items))
	}
	if n := stats(t, "api_requests"); n != 2 {
		t.Fatalf("%v API requests, want 2 (the page and its repeat)", n)
	}
	if len(c.pagers) != 0 {
		t.Fatal("the pager was left open after the error")
	}
}

func TestExtensionRoundTrip(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	ext := map[string]any{
		"部门":    "研发中心 <R&D>",
		"emoji": "✓ 🚀",
		"level": 3,
		"ratio": 0.25,
		"big":   json.Number("12345678901234567890"),
		"tags":  []any{"a", "ü", 1, true, nil},
		"nested": map[string]any{
			"deeper": map[string]any{"list": []any{map[string]any{"k": "v"}}, "nul": "a\x00b"},
			"empty":  map[string]any{},
		},
	}
	id, err := c.CreateOrphanAccount(ctx, "demo-app", "ext-robot", &AccountFields{Extension: ext})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetAccount(ctx, "demo-app", id)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := jsonText(ext)
	if back, _ := jsonText(got.Extension); back != want {
		t.Fatalf("extension came back as\n%s\nwant\n%s", back, want)
	}
	if n, ok := got.Extension["big"].(json.Number); !ok || n.String() != "12345678901234567890" {
		t.Fatalf("a large integer came back as %#v", got.Extension["big"])
	}
	held, _ := jsonText(mockAccount(t, "demo-app", id)["extension"])
	var heldBack map[string]any
	_ = json.Unmarshal([]byte(held), &heldBack)
	if heldBack["部门"] != "研发中心 <R&D>" || heldBack["nested"].(map[string]any)["deeper"].(map[string]any)["nul"] != "a\x00b" {
		t.Fatalf("the mock holds %s", held)
	}
	// An account without custom attributes has an empty, non-nil map.
	plain, _ := c.GetAccount(ctx, "demo-app", "pub-1")
	if plain.Extension == nil || len(plain.Extension) != 0 {
		t.Fatalf("pub-1 extension %#v", plain.Extension)
	}
	// What encoding/json cannot encode is refused, naming the field.
	_, err = c.CreateOrphanAccount(ctx, "demo-app", "x", &AccountFields{Extension: map[string]any{"f": func() {}}})
	expectInvalid(t, err, "fields.Extension", "\x00")
}

// A NUL would cut the C string short; every string argument of the
// account calls is refused before anything is sent, naming it.
func TestAccountCallsRefuseNULsBeforeSending(t *testing.T) {
	ctx := testCtx(t)
	const tail = "\x00-other-account"
	c := newClient(t, mockSecret, 0)
	fields := func(edit func(*AccountFields)) *AccountFields {
		f := &AccountFields{Name: ptr("n"), OrgCode: ptr("sales"), Password: ptr("pw")}
		edit(f)
		return f
	}
	seqErr := func(seq func(func(Account, error) bool)) error { _, err := collect(seq); return err }
	userSeqErr := func(seq func(func(AccountUser, error) bool)) error { _, err := collect(seq); return err }
	noErr := func(_ string, err error) error { return err }
	rows := []struct {
		arg string
		run func() error
	}{
		{"appID", func() error { return noErr(c.CreatePublicAccount(ctx, "demo-app"+tail, "a", nil)) }},
		{"accountName", func() error { return noErr(c.CreatePublicAccount(ctx, "demo-app", "a"+tail, nil)) }},
		{"fields.Name", func() error {
			return noErr(c.CreatePublicAccount(ctx, "demo-app", "a", fields(func(f *AccountFields) { *f.Name += tail })))
		}},
		{"fields.OrgCode", func() error {
			return noErr(c.CreateOrphanAccount(ctx, "demo-app", "a", fields(func(f *AccountFields) { *f.OrgCode += tail })))
		}},
		{"fields.Password", func() error {
			return noErr(c.UpdateAccount(ctx, "demo-app", "pub-1", "a", fields(func(f *AccountFields) { *f.Password += tail })))
		}},
		{"userID", func() error { return noErr(c.CreateBasicAccount(ctx, "demo-app", "u"+tail, nil, nil)) }},
		{"accountName", func() error { return noErr(c.CreateBasicAccount(ctx, "demo-app", "u", ptr("a"+tail), nil)) }},
		{"accountName", func() error { return noErr(c.CreateOrphanAccount(ctx, "demo-app", "a"+tail, nil)) }},
		{"appUserID", func() error { return noErr(c.AddPublicAccountUsers(ctx, "demo-app", "pub-2"+tail, []string{"lisi"})) }},
		{"userNames[1]", func() error {
			return noErr(c.AddPublicAccountUsers(ctx, "demo-app", "pub-2", []string{"lisi", "zhangsan" + tail}))
		}},
		{"userNames[0]", func() error {
			return noErr(c.RemovePublicAccountUsers(ctx, "demo-app", "pub-1", []string{"zhangsan" + tail}))
		}},
		{"appUserID", func() error { _, err := c.ListPublicAccountUsers(ctx, "demo-app", "pub-1"+tail, 0, 10); return err }},
		{"appUserID", func() error { return userSeqErr(c.PublicAccountUsers(ctx, "demo-app", "pub-1"+tail, 10)) }},
		{"accountID", func() error { _, err := c.GetAccount(ctx, "demo-app", "pub-1"+tail); return err }},
		{"appID", func() error { _, err := c.ListAccounts(ctx, "demo-app"+tail, ListOptions{}); return err }},
		{"accountType", func() error {
			_, err := c.ListAccounts(ctx, "demo-app", ListOptions{AccountType: AccountTypePublic + tail})
			return err
		}},
		{"appID", func() error { return seqErr(c.Accounts(ctx, "demo-app"+tail, "", 10)) }},
		{"accountType", func() error { return seqErr(c.Accounts(ctx, "demo-app", AccountTypeBasic+tail, 10)) }},
		{"accountID", func() error { return noErr(c.UpdateAccount(ctx, "demo-app", "pub-1"+tail, "a", nil)) }},
		{"accountName", func() error { return noErr(c.UpdateAccount(ctx, "demo-app", "pub-1", "a"+tail, nil)) }},
		{"accountID", func() error { return noErr(c.DisableAccount(ctx, "demo-app", "pub-1"+tail)) }},
		{"accountID", func() error { return noErr(c.EnableAccount(ctx, "demo-app", "pub-1"+tail)) }},
		{"accountID", func() error { return c.DeleteAccount(ctx, "demo-app", "pub-1"+tail) }},
		{"method", func() error { _, err := c.Request(ctx, "GET"+tail, "/api/x", nil, nil, nil); return err }},
		{"path", func() error { _, err := c.Request(ctx, "GET", "/api/x"+tail, nil, nil, nil); return err }},
		{"query[1].name", func() error {
			_, err := c.Request(ctx, "GET", "/api/x", url.Values{"a": {"1"}, "b" + tail: {"2"}}, nil, nil)
			return err
		}},
		{"query[1].value", func() error {
			_, err := c.Request(ctx, "GET", "/api/x", url.Values{"a": {"1", "2" + tail}}, nil, nil)
			return err
		}},
	}
	for _, row := range rows {
		t.Run(row.arg, func(t *testing.T) {
			admin(t, "POST", "/__mock/reset", "")
			expectRefusedLocally(t, row.run(), row.arg, tail)
		})
	}
}

// A create whose answer is lost may have created the account: sending it
// again could make a second one, so it fails instead.
func TestCreateIsNotRetriedAfterALostAnswer(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 2)
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	before := accountCount(t, "demo-app")
	admin(t, "POST", "/__mock/faults", `{"action":"normal","cut":"mid_body","ending":"reset"}`)
	id, err := c.CreateOrphanAccount(ctx, "demo-app", "cut-robot", nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusTransportError || id != "" {
		t.Fatalf("want a transport error, got %q %v", id, err)
	}
	if after := accountCount(t, "demo-app"); after != before+1 {
		t.Fatalf("%v accounts after the create, want %v: exactly one new", after, before+1)
	}
	if n := stats(t, "api_requests"); n != 1 {
		t.Fatalf("%v API requests: the create was sent again", n)
	}
}

func TestDeleteIsRetriedAfterALostAnswer(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	id, _ := admin(t, "POST", "/__mock/accounts", `{"app_id":"demo-app","account_type":"ORPHAN_ACCOUNT","account_name":"doomed"}`)["account_id"].(string)
	if id == "" {
		t.Fatal("the mock made no account")
	}
	c := newClient(t, mockSecret, 2)
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	admin(t, "POST", "/__mock/faults", `{"action":"normal","cut":"in_headers"}`)
	if err := c.DeleteAccount(ctx, "demo-app", id); err != nil {
		t.Fatal(err)
	}
	if mockAccount(t, "demo-app", id) != nil {
		t.Fatal("the account is still there")
	}
	if n := stats(t, "api_requests"); n != 2 {
		t.Fatalf("%v API requests, want the delete and its retry", n)
	}
}

func TestRequestGetPostAndAnEmptyAnswer(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	answer, err := c.Request(ctx, "GET", "/api/v2/tenant/applications/paging-app/accounts",
		url.Values{"account_type": {"ORPHAN_ACCOUNT"}, "offset": {"1"}, "limit": {"10"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Total    int `json:"total"`
		Accounts []struct {
			ID          string `json:"id"`
			AccountType string `json:"account_type"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(answer, &list); err != nil || list.Total != 83 || len(list.Accounts) != 10 || list.Accounts[0].AccountType != "ORPHAN_ACCOUNT" {
		t.Fatalf("GET answered %s (%v)", answer, err)
	}

	answer, err = c.Request(ctx, "POST", "/api/v2/tenant/applications/demo-app/accounts/orphan-account", nil,
		map[string]any{"account_name": "raw-robot", "extension": map[string]any{"k": "值"}}, ptr(false))
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		AccountID string `json:"account_id"`
	}
	if err := json.Unmarshal(answer, &created); err != nil || created.AccountID == "" {
		t.Fatalf("POST answered %s (%v)", answer, err)
	}
	held := mockAccount(t, "demo-app", created.AccountID)
	if held["account_name"] != "raw-robot" || held["extension"].(map[string]any)["k"] != "值" {
		t.Fatalf("the mock holds %v", held)
	}

	answer, err = c.Request(ctx, "DELETE", "/api/v2/tenant/applications/demo-app/accounts/"+url.PathEscape(created.AccountID), nil, nil, nil)
	if err != nil || answer != nil {
		t.Fatalf("DELETE (204, no body) answered %q, %v; want nil", answer, err)
	}
	_, err = c.Request(ctx, "GET", "/api/v2/tenant/applications/demo-app/accounts/"+url.PathEscape(created.AccountID), nil, nil, nil)
	expectCode(t, err, StatusAPIError, "APP.ACCOUNT.0028", 400)
	// The path is the library's to check.
	_, err = c.Request(ctx, "GET", "/not-api", nil, nil, nil)
	if statusOf(t, err) != StatusInvalidArgument {
		t.Fatalf("%v", err)
	}
}

func TestPasswordReachesTheServiceAndNoError(t *testing.T) {
	ctx := testCtx(t)
	admin(t, "POST", "/__mock/reset", "")
	c := newClient(t, mockSecret, 0)
	const password = "s3cr3t-пароль"
	id, err := c.CreatePublicAccount(ctx, "demo-app", "pw-account", &AccountFields{Password: ptr(password)})
	if err != nil {
		t.Fatal(err)
	}
	if !passwordIs(t, "demo-app", id, password) || passwordIs(t, "demo-app", id, "other") {
		t.Fatal("the mock does not hold the password sent")
	}
	if _, err := c.UpdateAccount(ctx, "demo-app", id, "pw-account", &AccountFields{Password: ptr(password + "-2")}); err != nil {
		t.Fatal(err)
	}
	if !passwordIs(t, "demo-app", id, password+"-2") {
		t.Fatal("the update did not change the password")
	}

	// A service (or a proxy) that echoes the password in its answer.
	echo, _ := json.Marshal(map[string]string{"error_code": "APP.0001", "error_msg": "password " + password + " rejected"})
	for _, status := range []int{400, 500} {
		spec, _ := json.Marshal(map[string]any{"status": status, "body": string(echo)})
		admin(t, "POST", "/__mock/faults", string(spec))
		_, err = c.CreateOrphanAccount(ctx, "demo-app", "pw-2", &AccountFields{Password: ptr(password)})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("HTTP %d: want an *Error, got %v", status, err)
		}
		if strings.Contains(err.Error(), password) || strings.Contains(e.Message, password) {
			t.Fatalf("HTTP %d: the password is in the error: %q", status, err)
		}
	}
	// Refused locally: the message names the field, not the value.
	_, err = c.CreateOrphanAccount(ctx, "demo-app", "pw-3", &AccountFields{Password: ptr(password + "\x00")})
	expectInvalid(t, err, "fields.Password", password)
}
