package eiam

/*
#include <eiam.h>
*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"unsafe"
)

// AccountType is the kind of an application account, as the service
// names it. The zero value "" means every type where a call filters by
// type. Other values are passed to the library, which refuses them
// (code APP.ACCOUNT.0045) before anything is sent.
type AccountType string

// The account types.
const (
	AccountTypeBasic  AccountType = "BASIC_ACCOUNT"  // a compliance account, tied to one user
	AccountTypeOrphan AccountType = "ORPHAN_ACCOUNT" // an account with no user
	AccountTypePublic AccountType = "PUBLIC_ACCOUNT" // a shared account with members and one owner
)

// Page sizes the service accepts; a list or an iterator given 0 uses
// DefaultPageSize. Other sizes are passed to the library, which refuses
// them (code OAP.PAGE.0002) before anything is sent.
const (
	MinPageSize     uint32 = C.EIAM_MIN_PAGE_SIZE
	MaxPageSize     uint32 = C.EIAM_MAX_PAGE_SIZE
	DefaultPageSize uint32 = C.EIAM_DEFAULT_PAGE_SIZE
)

// AccountFields are the optional fields of a create or an update: a nil
// field is not sent (an update then leaves it as it is). A nil
// *AccountFields sends none of them.
type AccountFields struct {
	Name     *string // the display (real) name
	OrgCode  *string // the application organization's code
	Password *string // never shown in an error; its C copy is wiped after the call
	Disabled *bool
	// Extension holds the custom attributes, sent as a JSON object
	// (encoding/json); nil is not sent, an empty map sends {}.
	Extension map[string]any
}

// Account is an application account, as GetAccount and the lists answer it.
type Account struct {
	ID          string  // the account's id: the accountID of every call on it
	AccountName string  // the login name in the application
	Name        *string // the display name; nil when it has none
	OrgID       *string // the application organization's id; nil when it has none
	// AccountType is the type as the service sent it (compare with the
	// AccountType constants); a type added later is kept as it came.
	AccountType AccountType
	Disabled    bool
	// Extension holds the custom attributes, decoded with encoding/json
	// and UseNumber: numbers are json.Number, so that large integers stay
	// exact. Never nil.
	Extension map[string]any
}

// AccountUser is a member of a public account.
type AccountUser struct {
	ID       string // the user's id
	UserName string
	Disabled bool // whether the user is disabled
}

// Page is one page of a list: its Items, the Total of the whole list as
// the service counts it, and its number Page (from 0).
type Page[T any] struct {
	Items []T
	Total uint64
	Page  uint32
}

// ListOptions selects a page of ListAccounts.
type ListOptions struct {
	AccountType AccountType // "" lists every type
	Page        uint32      // from 0
	PageSize    uint32      // 0 is DefaultPageSize
}

// cPageSize is the C page size: 0 is DefaultPageSize, the rest as given
// (the library checks it).
func cPageSize(n uint32) C.uint32_t {
	if n == 0 {
		n = DefaultPageSize
	}
	return C.uint32_t(n)
}

// jsonText encodes v as JSON text, as it is (no HTML escaping).
func jsonText(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// jsonOf is jsonText as a C string made by strs; name is the argument a
// refusal names.
func (c *cstrings) jsonOf(name string, v any) *C.char {
	if c.err != nil {
		return nil
	}
	text, err := jsonText(v)
	if err != nil {
		c.err = invalidArgument(name + " cannot be encoded as JSON: " + err.Error())
		return nil
	}
	return c.of(name, text)
}

// tristate is an optional bool as C's EIAM_BOOL_UNSET/FALSE/TRUE.
func tristate(b *bool) C.int {
	switch {
	case b == nil:
		return C.EIAM_BOOL_UNSET
	case *b:
		return C.EIAM_BOOL_TRUE
	default:
		return C.EIAM_BOOL_FALSE
	}
}

// optional makes a C string of *s, or NULL for nil.
func (c *cstrings) optional(name string, s *string) *C.char {
	if s == nil {
		return nil
	}
	return c.of(name, *s)
}

// fields converts f for C (nil for nil); the strings are made by strs,
// the password as a secret.
func (c *cstrings) fields(f *AccountFields) *C.eiam_account_fields {
	if f == nil {
		return nil
	}
	cf := &C.eiam_account_fields{
		name:     c.optional("fields.Name", f.Name),
		org_code: c.optional("fields.OrgCode", f.OrgCode),
		disabled: tristate(f.Disabled),
	}
	if f.Password != nil {
		cf.password = c.secret("fields.Password", *f.Password)
	}
	if f.Extension != nil {
		cf.extension = c.jsonOf("fields.Extension", f.Extension)
	}
	return cf
}

// goStringOrNil copies a C string that may be NULL.
func goStringOrNil(p *C.char) *string {
	if p == nil {
		return nil
	}
	s := C.GoString(p)
	return &s
}

func accountOf(a *C.eiam_account) (Account, error) {
	ext := map[string]any{}
	dec := json.NewDecoder(strings.NewReader(C.GoString(a.extension)))
	dec.UseNumber()
	if err := dec.Decode(&ext); err != nil {
		// The library writes this text from a JSON object it decoded.
		return Account{}, &Error{Status: StatusInternalError, Message: "the library's extension is not a JSON object: " + err.Error()}
	}
	if ext == nil { // the text "null"
		ext = map[string]any{}
	}
	return Account{
		ID:          C.GoString(a.id),
		AccountName: C.GoString(a.account_name),
		Name:        goStringOrNil(a.name),
		OrgID:       goStringOrNil(a.org_id),
		AccountType: AccountType(C.GoString(a.account_type)),
		Disabled:    bool(a.disabled),
		Extension:   ext,
	}, nil
}

func accountUserOf(u *C.eiam_account_user) (AccountUser, error) {
	return AccountUser{ID: C.GoString(u.id), UserName: C.GoString(u.user_name), Disabled: bool(u.disabled)}, nil
}

// itemsOf copies the n C items at p into Go.
func itemsOf[CItem, T any](p *CItem, n C.size_t, convert func(*CItem) (T, error)) ([]T, error) {
	citems := unsafe.Slice(p, int(n))
	items := make([]T, len(citems))
	for i := range citems {
		var err error
		if items[i], err = convert(&citems[i]); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// takeAccountPage copies a C page of accounts into Go and clears it.
func takeAccountPage(page *C.eiam_account_page) (Page[Account], error) {
	defer C.eiam_account_page_clear(page)
	items, err := itemsOf(page.items, page.len, accountOf)
	return Page[Account]{Items: items, Total: uint64(page.total), Page: uint32(page.page)}, err
}

// takeAccountUserPage copies a C page of members into Go and clears it.
func takeAccountUserPage(page *C.eiam_account_user_page) (Page[AccountUser], error) {
	defer C.eiam_account_user_page_clear(page)
	items, err := itemsOf(page.items, page.len, accountUserOf)
	return Page[AccountUser]{Items: items, Total: uint64(page.total), Page: uint32(page.page)}, err
}

// openPager is a C pager an iterator holds, as the Client tracks it; free
// is nil once the pager is freed.
type openPager struct{ free func() }

// track records a pager just made; the caller has the client entered.
func (c *Client) track(p *openPager) {
	c.pagersMu.Lock()
	defer c.pagersMu.Unlock()
	if c.pagers == nil {
		c.pagers = map[*openPager]struct{}{}
	}
	c.pagers[p] = struct{}{}
}

// release frees a pager unless Close has freed it already.
func (c *Client) release(p *openPager) {
	c.pagersMu.Lock()
	defer c.pagersMu.Unlock()
	if p.free != nil {
		p.free()
		p.free = nil
		delete(c.pagers, p)
	}
}

// freePagers frees every pager still open; Close calls it, holding c.mu
// exclusively, before it frees the C client the pagers must not outlive.
func (c *Client) freePagers() {
	c.pagersMu.Lock()
	defer c.pagersMu.Unlock()
	for p := range c.pagers {
		p.free()
		p.free = nil
	}
	c.pagers = nil
}

// pagerKind is one kind of C pager (P, a pointer to it) with its C page
// (CPage) of T: how the next page is fetched, how a page is copied into
// Go and cleared, and how the pager is freed.
type pagerKind[P, CPage, T any] struct {
	next func(pager P, page *CPage, cerr *C.eiam_error) C.enum_eiam_status
	take func(page *CPage) (Page[T], error)
	free func(pager P)
}

var accountPagers = pagerKind[*C.eiam_account_pager, C.eiam_account_page, Account]{
	next: func(pager *C.eiam_account_pager, page *C.eiam_account_page, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_account_pager_next(pager, page, cerr)
	},
	take: takeAccountPage,
	free: func(pager *C.eiam_account_pager) { C.eiam_account_pager_free(pager) },
}

var accountUserPagers = pagerKind[*C.eiam_account_user_pager, C.eiam_account_user_page, AccountUser]{
	next: func(pager *C.eiam_account_user_pager, page *C.eiam_account_user_page, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_account_user_pager_next(pager, page, cerr)
	},
	take: takeAccountUserPage,
	free: func(pager *C.eiam_account_user_pager) { C.eiam_account_user_pager_free(pager) },
}

// fetchPage runs one call that fills a C page, with the client entered
// by enter (see callWith), and copies the page into Go (clearing it,
// whatever the call's outcome).
func fetchPage[CPage, T any](ctx context.Context, c *Client, enter enterFunc,
	fill func(h *C.eiam_client, page *CPage, cerr *C.eiam_error) C.enum_eiam_status,
	take func(page *CPage) (Page[T], error)) (Page[T], error) {
	var cpage CPage
	err := c.callWith(ctx, enter, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status { return fill(h, &cpage, cerr) })
	page, takeErr := take(&cpage)
	if err != nil {
		return Page[T]{}, err
	}
	return page, takeErr
}

// pagerNew makes a C pager (with the client entered).
type pagerNew[P any] func(h *C.eiam_client, out *P, cerr *C.eiam_error) C.enum_eiam_status

// openWatched makes a pager with open on a view of the client watching
// ctx for the whole walk (the pager keeps the client it was made with);
// the view is freed by the function returned, after the pager.
func (c *Client) openWatched(ctx context.Context, open cCall) (func(), error) {
	h, leave, err := c.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	view, unwatch, err := watch(ctx, h)
	if err != nil {
		return nil, err
	}
	var cerr C.eiam_error
	if err := withContext(ctx, takeError(open(view, &cerr), &cerr)); err != nil {
		unwatch()
		return nil, err
	}
	return unwatch, nil
}

// walk is an iterator over every item of a C pager of kind: prepare makes
// the C strings of the pager's arguments with strs, and returns the call
// that makes the pager. The pager is made when a loop starts, a page is
// fetched when its items are needed, and the pager is freed when the loop
// ends, whether it ran out, broke off or ctx was done (then the last
// element is the context's error, as the calls' are). When to stop (the
// total, an empty page, a page repeated) is the library's rule; an error
// is the last element yielded.
func walk[P, CPage, T any](ctx context.Context, c *Client, kind pagerKind[P, CPage, T], prepare func(strs *cstrings) pagerNew[P]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var strs cstrings
		open := prepare(&strs)
		if strs.err != nil {
			strs.free()
			yield(zero, strs.err)
			return
		}
		var pager P
		held := &openPager{free: func() { kind.free(pager) }}
		unwatch, err := c.openWatched(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status {
			status := open(h, &pager, cerr)
			if status == C.EIAM_STATUS_OK {
				c.track(held)
			}
			return status
		})
		strs.free()
		if err != nil {
			yield(zero, err)
			return
		}
		defer unwatch()
		defer c.release(held)
		next := func(_ *C.eiam_client, page *CPage, cerr *C.eiam_error) C.enum_eiam_status {
			return kind.next(pager, page, cerr)
		}
		for {
			// acquire refuses a ctx already done, so no page is asked for.
			page, err := fetchPage(ctx, c, c.acquire, next, kind.take)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page.Items) == 0 {
				return
			}
			for _, item := range page.Items {
				// A done ctx ends the walk at once, not after the page.
				if ctx.Err() != nil {
					yield(zero, contextDone(ctx, nil))
					return
				}
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// CreatePublicAccount creates a public (shared) account named accountName in
// application appID, with the optional fields given, and returns its account
// id. It is not retried once the request may have reached the service: a second
// create would make a second account.
//
// Errors: StatusInvalidArgument for an empty appID (APP.0006) or accountName
// (APP.ACCOUNT.0001), before anything is sent; StatusAPIError with APP.0001 (no
// such application) or APP.ORG.0024 (no such organization code);
// StatusTransportError or StatusTimeout when the answer was lost, and then the
// account may exist (list the accounts to find out).
//
// fields may be nil.
//
// Example:
//
//	id, err := client.CreatePublicAccount(ctx, "demo-app", "shared-mailbox", nil)
//	account, _ := client.GetAccount(ctx, "demo-app", id)
//	fmt.Println(account.AccountType, err)
//	// Output: PUBLIC_ACCOUNT <nil>
func (c *Client) CreatePublicAccount(ctx context.Context, appID, accountName string, fields *AccountFields) (string, error) {
	return c.createNamed(ctx, appID, accountName, fields, AccountTypePublic)
}

// CreateBasicAccount creates a compliance (basic) account of user userID in
// application appID, with the optional fields given, and returns its account
// id. Without an accountName the service names it after the user. Retried as
// CreatePublicAccount is.
//
// Errors: StatusInvalidArgument for an empty appID (APP.0006) or userID, before
// anything is sent; StatusAPIError with APP.0001 (no such application),
// USER.0001 (no such user) or APP.ORG.0024 (no such organization code);
// StatusTransportError or StatusTimeout when the answer was lost, and then the
// account may exist.
//
// A nil accountName is not sent (the service names the account after the user);
// fields may be nil.
//
// Example:
//
//	userID := "20220331164602949-904C-D475B60AE" // zhangsan
//	id, err := client.CreateBasicAccount(ctx, "demo-app", userID, nil, nil)
//	account, _ := client.GetAccount(ctx, "demo-app", id)
//	fmt.Println(account.AccountName, err)
//	// Output: zhangsan <nil>
func (c *Client) CreateBasicAccount(ctx context.Context, appID, userID string, accountName *string, fields *AccountFields) (string, error) {
	var strs cstrings
	defer strs.free()
	a, u := strs.of("appID", appID), strs.of("userID", userID)
	n, f := strs.optional("accountName", accountName), strs.fields(fields)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_create_basic_account(h, a, u, n, f, out, cerr)
	})
}

// CreateOrphanAccount creates an orphan account (one with no user) named
// accountName in application appID, with the optional fields given, and returns
// its account id. Retried as CreatePublicAccount is.
//
// Errors: As CreatePublicAccount: StatusInvalidArgument for an empty appID or
// accountName; StatusAPIError with APP.0001 or APP.ORG.0024;
// StatusTransportError or StatusTimeout when the answer was lost, and then the
// account may exist.
//
// fields may be nil.
//
// Example:
//
//	name := "Build bot"
//	id, err := client.CreateOrphanAccount(ctx, "demo-app", "build-bot", &eiam.AccountFields{Name: &name})
//	account, _ := client.GetAccount(ctx, "demo-app", id)
//	fmt.Println(*account.Name, err)
//	// Output: Build bot <nil>
func (c *Client) CreateOrphanAccount(ctx context.Context, appID, accountName string, fields *AccountFields) (string, error) {
	return c.createNamed(ctx, appID, accountName, fields, AccountTypeOrphan)
}

// createNamed creates a public or an orphan account: they take the same
// arguments.
func (c *Client) createNamed(ctx context.Context, appID, accountName string, fields *AccountFields, t AccountType) (string, error) {
	var strs cstrings
	defer strs.free()
	a, n, f := strs.of("appID", appID), strs.of("accountName", accountName), strs.fields(fields)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		if t == AccountTypePublic {
			return C.eiam_create_public_account(h, a, n, f, out, cerr)
		}
		return C.eiam_create_orphan_account(h, a, n, f, out, cerr)
	})
}

// userNamesOf makes the C array of user names (NULL for none).
func (c *cstrings) userNamesOf(userNames []string) (**C.char, C.size_t) {
	if len(userNames) == 0 {
		return nil, 0
	}
	names := make([]*C.char, len(userNames))
	for i, name := range userNames {
		names[i] = c.of(fmt.Sprintf("userNames[%d]", i), name)
	}
	return &names[0], C.size_t(len(names))
}

// AddPublicAccountUsers gives the users named userNames access to public
// account appUserID of application appID and returns the account's id. Adding a
// member again is harmless, so the call is retried like a read.
//
// Errors: StatusInvalidArgument for an empty userNames, an empty name in it, or
// an empty appID or appUserID, before anything is sent; StatusAPIError with
// APP.0001 (no such application) or APP.ACCOUNT.0038 (no such public account).
//
// Example:
//
//	id, err := client.AddPublicAccountUsers(ctx, "demo-app", "pub-2", []string{"zhangsan", "lisi"})
//	fmt.Println(id, err)
//	// Output: pub-2 <nil>
func (c *Client) AddPublicAccountUsers(ctx context.Context, appID, appUserID string, userNames []string) (string, error) {
	return c.changeMembers(ctx, appID, appUserID, userNames, true)
}

// RemovePublicAccountUsers takes access to public account appUserID of
// application appID away from the users named userNames and returns the
// account's id. Retried like a read, as AddPublicAccountUsers is.
//
// Errors: As AddPublicAccountUsers: StatusInvalidArgument for an empty
// userNames or id; StatusAPIError with APP.0001 or APP.ACCOUNT.0038.
//
// Example:
//
//	id, err := client.RemovePublicAccountUsers(ctx, "demo-app", "pub-1", []string{"cq04130006"})
//	fmt.Println(id, err)
//	// Output: pub-1 <nil>
func (c *Client) RemovePublicAccountUsers(ctx context.Context, appID, appUserID string, userNames []string) (string, error) {
	return c.changeMembers(ctx, appID, appUserID, userNames, false)
}

func (c *Client) changeMembers(ctx context.Context, appID, appUserID string, userNames []string, add bool) (string, error) {
	var strs cstrings
	defer strs.free()
	a, u := strs.of("appID", appID), strs.of("appUserID", appUserID)
	names, n := strs.userNamesOf(userNames)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		if add {
			return C.eiam_add_public_account_users(h, a, u, names, n, out, cerr)
		}
		return C.eiam_remove_public_account_users(h, a, u, names, n, out, cerr)
	})
}

// ListPublicAccountUsers returns one page of the members of public account
// appUserID of application appID: page page (from 0) of pageSize users (10 to
// 100), with the list's total.
//
// Errors: StatusInvalidArgument for a pageSize outside 10 to 100 or an empty
// id, before anything is sent; StatusAPIError with APP.ACCOUNT.0038 (no such
// public account).
//
// pageSize is MinPageSize to MaxPageSize; 0 is DefaultPageSize.
//
// Example:
//
//	page, err := client.ListPublicAccountUsers(ctx, "demo-app", "pub-1", 0, 10)
//	fmt.Println(page.Total, len(page.Items), err)
//	// Output: 2 2 <nil>
func (c *Client) ListPublicAccountUsers(ctx context.Context, appID, appUserID string, page, pageSize uint32) (Page[AccountUser], error) {
	var strs cstrings
	defer strs.free()
	a, u := strs.of("appID", appID), strs.of("appUserID", appUserID)
	if strs.err != nil {
		return Page[AccountUser]{}, strs.err
	}
	return fetchPage(ctx, c, c.enter, func(h *C.eiam_client, cpage *C.eiam_account_user_page, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_list_public_account_users(h, a, u, C.uint32_t(page), cPageSize(pageSize), cpage, cerr)
	}, takeAccountUserPage)
}

// PublicAccountUsers walks every member of public account appUserID of
// application appID, fetching a page of pageSize users when it is needed. The
// walk stops after the list's total or at an empty page.
//
// Errors: Each step fails as ListPublicAccountUsers does, and with
// StatusProtocolError when the service repeats a page (a walk that would never
// end).
//
// A pageSize of 0 is DefaultPageSize. An error is the loop's last element.
// Breaking out of the loop frees what the walk holds; Close ends a walk in
// progress.
//
// Example:
//
//	for user, err := range client.PublicAccountUsers(ctx, "demo-app", "pub-1", 0) {
//		if err != nil {
//			fmt.Println(err)
//			break
//		}
//		fmt.Println(user.UserName)
//	}
//	// Output:
//	// zhangsan
//	// cq04130006
func (c *Client) PublicAccountUsers(ctx context.Context, appID, appUserID string, pageSize uint32) iter.Seq2[AccountUser, error] {
	return walk(ctx, c, accountUserPagers, func(strs *cstrings) pagerNew[*C.eiam_account_user_pager] {
		a, u := strs.of("appID", appID), strs.of("appUserID", appUserID)
		return func(h *C.eiam_client, out **C.eiam_account_user_pager, cerr *C.eiam_error) C.enum_eiam_status {
			return C.eiam_account_user_pager_new(h, a, u, cPageSize(pageSize), out, cerr)
		}
	})
}

// GetAccount returns account accountID of application appID: its names, type,
// organization, state and custom attributes (extension).
//
// Errors: StatusInvalidArgument for an empty appID (APP.0006) or accountID
// (APP.ACCOUNT.0047), before anything is sent; StatusAPIError with
// APP.ACCOUNT.0028 (no such account).
//
// Example:
//
//	account, err := client.GetAccount(ctx, "demo-app", "pub-1")
//	fmt.Println(account.AccountType, err)
//	// Output: PUBLIC_ACCOUNT <nil>
func (c *Client) GetAccount(ctx context.Context, appID, accountID string) (Account, error) {
	var strs cstrings
	defer strs.free()
	a, id := strs.of("appID", appID), strs.of("accountID", accountID)
	if strs.err != nil {
		return Account{}, strs.err
	}
	var caccount C.eiam_account
	defer C.eiam_account_clear(&caccount)
	err := c.call(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_get_account(h, a, id, &caccount, cerr)
	})
	if err != nil {
		return Account{}, err
	}
	return accountOf(&caccount)
}

// accountTypeOf is the C account type: NULL for "" (every type).
func (c *cstrings) accountTypeOf(t AccountType) *C.char {
	if t == "" {
		return nil
	}
	return c.of("accountType", string(t))
}

// ListAccounts returns one page of the accounts of application appID, of one
// accountType (BASIC_ACCOUNT, ORPHAN_ACCOUNT, PUBLIC_ACCOUNT) or of every type:
// page page (from 0) of pageSize accounts (10 to 100), with the list's total.
//
// Errors: StatusInvalidArgument for a pageSize outside 10 to 100, an empty
// appID, or an unknown accountType (APP.ACCOUNT.0045), before anything is sent;
// StatusAPIError with APP.0001 (no such application).
//
// opts gives the type ("" for every type), the page and the page size (0 is
// DefaultPageSize).
//
// Example:
//
//	opts := eiam.ListOptions{AccountType: eiam.AccountTypeOrphan, PageSize: 10}
//	page, err := client.ListAccounts(ctx, "paging-app", opts)
//	fmt.Println(page.Total, len(page.Items), err)
//	// Output: 83 10 <nil>
func (c *Client) ListAccounts(ctx context.Context, appID string, opts ListOptions) (Page[Account], error) {
	var strs cstrings
	defer strs.free()
	a, t := strs.of("appID", appID), strs.accountTypeOf(opts.AccountType)
	if strs.err != nil {
		return Page[Account]{}, strs.err
	}
	return fetchPage(ctx, c, c.enter, func(h *C.eiam_client, cpage *C.eiam_account_page, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_list_accounts(h, a, t, C.uint32_t(opts.Page), cPageSize(opts.PageSize), cpage, cerr)
	}, takeAccountPage)
}

// Accounts walks every account of application appID (of one accountType, or of
// every type), fetching a page of pageSize accounts when it is needed. The walk
// stops after the list's total or at an empty page.
//
// Errors: Each step fails as ListAccounts does, and with StatusProtocolError
// when the service repeats a page (a walk that would never end).
//
// accountType "" means every type; otherwise as PublicAccountUsers.
//
// Example:
//
//	count := 0
//	for _, err := range client.Accounts(ctx, "paging-app", "", 100) {
//		if err != nil {
//			fmt.Println(err)
//			break
//		}
//		count++
//	}
//	fmt.Println(count)
//	// Output: 250
func (c *Client) Accounts(ctx context.Context, appID string, accountType AccountType, pageSize uint32) iter.Seq2[Account, error] {
	return walk(ctx, c, accountPagers, func(strs *cstrings) pagerNew[*C.eiam_account_pager] {
		a, t := strs.of("appID", appID), strs.accountTypeOf(accountType)
		return func(h *C.eiam_client, out **C.eiam_account_pager, cerr *C.eiam_error) C.enum_eiam_status {
			return C.eiam_account_pager_new(h, a, t, cPageSize(pageSize), out, cerr)
		}
	})
}

// UpdateAccount updates account accountID of application appID: accountName
// (which the service requires) and the optional fields given; the others stay
// as they are. Returns the account's id. Retried like a read (the same update
// twice leaves the same account).
//
// Errors: StatusInvalidArgument for an empty appID, accountID or accountName,
// before anything is sent; StatusAPIError with APP.0001 (no such application),
// APP.ACCOUNT.0028 (no such account) or APP.ORG.0024 (no such organization
// code).
//
// fields may be nil.
//
// Example:
//
//	name := "Team mailbox"
//	_, err := client.UpdateAccount(ctx, "demo-app", "pub-1", "pub-1", &eiam.AccountFields{Name: &name})
//	account, _ := client.GetAccount(ctx, "demo-app", "pub-1")
//	fmt.Println(*account.Name, err)
//	// Output: Team mailbox <nil>
func (c *Client) UpdateAccount(ctx context.Context, appID, accountID, accountName string, fields *AccountFields) (string, error) {
	var strs cstrings
	defer strs.free()
	a, id := strs.of("appID", appID), strs.of("accountID", accountID)
	n, f := strs.of("accountName", accountName), strs.fields(fields)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_update_account(h, a, id, n, f, out, cerr)
	})
}

// DisableAccount disables account accountID of application appID and returns
// its id. Retried like a read.
//
// Errors: StatusInvalidArgument for an empty appID or accountID, before
// anything is sent; StatusAPIError with APP.ACCOUNT.0028 (no such account).
//
// Example:
//
//	_, err := client.DisableAccount(ctx, "demo-app", "pub-1")
//	account, _ := client.GetAccount(ctx, "demo-app", "pub-1")
//	fmt.Println(account.Disabled, err)
//	// Output: true <nil>
func (c *Client) DisableAccount(ctx context.Context, appID, accountID string) (string, error) {
	return c.setDisabled(ctx, appID, accountID, true)
}

// EnableAccount enables account accountID of application appID and returns its
// id. Retried like a read.
//
// Errors: As DisableAccount: StatusInvalidArgument for an empty id;
// StatusAPIError with APP.ACCOUNT.0028 (no such account).
//
// Example:
//
//	id, err := client.EnableAccount(ctx, "demo-app", "pub-1")
//	fmt.Println(id, err)
//	// Output: pub-1 <nil>
func (c *Client) EnableAccount(ctx context.Context, appID, accountID string) (string, error) {
	return c.setDisabled(ctx, appID, accountID, false)
}

func (c *Client) setDisabled(ctx context.Context, appID, accountID string, disabled bool) (string, error) {
	var strs cstrings
	defer strs.free()
	a, id := strs.of("appID", appID), strs.of("accountID", accountID)
	if strs.err != nil {
		return "", strs.err
	}
	return c.callForID(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		if disabled {
			return C.eiam_disable_account(h, a, id, out, cerr)
		}
		return C.eiam_enable_account(h, a, id, out, cerr)
	})
}

// DeleteAccount deletes account accountID (of any type) of application appID.
// Retried like a read: when an earlier attempt's answer was lost and the retry
// finds no such account, that attempt deleted it and the call succeeds.
//
// Errors: StatusInvalidArgument for an empty appID or accountID, before
// anything is sent; StatusAPIError with APP.0001 (no such application) or
// APP.ACCOUNT.0028 (no such account).
//
// Example:
//
//	err := client.DeleteAccount(ctx, "demo-app", "pub-2")
//	_, gone := client.GetAccount(ctx, "demo-app", "pub-2")
//	var e *eiam.Error
//	errors.As(gone, &e)
//	fmt.Println(err, e.Code)
//	// Output: <nil> APP.ACCOUNT.0028
func (c *Client) DeleteAccount(ctx context.Context, appID, accountID string) error {
	var strs cstrings
	defer strs.free()
	a, id := strs.of("appID", appID), strs.of("accountID", accountID)
	if strs.err != nil {
		return strs.err
	}
	return c.call(ctx, func(h *C.eiam_client, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_delete_account(h, a, id, cerr)
	})
}
