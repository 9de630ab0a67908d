package eiam

/*
#include <eiam.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
)

// Request sends any management API request: method to path (relative to the
// base URL, starting with /api/, sent as given) with query pairs (encoded) and
// an optional JSON body, with the client's token, deadline, retries and errors.
// Returns the answer's JSON, or nothing for an empty answer. It is retried as a
// typed call is when idempotent says so (by default GET, PUT and DELETE are;
// POST and PATCH only when they certainly did not arrive).
//
// Errors: StatusInvalidArgument for an unknown method or a path not under
// /api/, before anything is sent; StatusAPIError with the service's code for an
// error answer (the values of password keys in the body are redacted from it);
// StatusProtocolError for an answer that is not JSON.
//
// method is "GET", "POST", "PUT", "PATCH" or "DELETE". Escape ids in path
// yourself, with url.PathEscape. query is encoded by the library: its names in
// sorted order, each name's values in order; a refusal names the pair as
// query[i].name or query[i].value, i counting the pairs in that order.
//
// body is encoded with encoding/json (a json.RawMessage is sent as the
// JSON it holds); a nil body (an untyped nil) sends none. idempotent nil lets the method
// decide (GET, PUT and DELETE are retried like reads; POST and PATCH only
// when they certainly did not arrive); true or false says so.
//
// The answer is its JSON text, or nil when it had no body.
//
// Example:
//
//	answer, err := client.Request(ctx, "GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1", nil, nil, nil)
//	var account struct {
//		AccountType string `json:"account_type"`
//	}
//	json.Unmarshal(answer, &account)
//	fmt.Println(account.AccountType, err)
//	// Output: PUBLIC_ACCOUNT <nil>
func (c *Client) Request(ctx context.Context, method, path string, query url.Values, body any, idempotent *bool) (json.RawMessage, error) {
	var strs cstrings
	defer strs.free()
	m, p := strs.of("method", method), strs.of("path", path)
	var params []C.eiam_query_param
	for _, name := range slices.Sorted(maps.Keys(query)) {
		for _, value := range query[name] {
			i := len(params)
			params = append(params, C.eiam_query_param{
				name:  strs.of(fmt.Sprintf("query[%d].name", i), name),
				value: strs.of(fmt.Sprintf("query[%d].value", i), value),
			})
		}
	}
	var b *C.char
	if body != nil {
		b = strs.jsonOf("body", body)
	}
	if strs.err != nil {
		return nil, strs.err
	}
	var q *C.eiam_query_param
	if len(params) > 0 {
		q = &params[0]
	}
	text, answered, err := c.callForString(ctx, func(h *C.eiam_client, out **C.char, cerr *C.eiam_error) C.enum_eiam_status {
		return C.eiam_request(h, m, p, q, C.size_t(len(params)), b, tristate(idempotent), out, cerr)
	})
	if err != nil || !answered {
		return nil, err
	}
	return json.RawMessage(text), nil
}
