package eiam

/*
#include <stdint.h>
#include <eiam.h>

enum eiam_status eiam_go_bind_public_account_owners(const eiam_client *client, const eiam_bind_item *items,
	size_t count, uint32_t concurrency, uintptr_t progress, eiam_bind_result *out_results, eiam_error *err);
*/
import "C"

import (
	"context"
	"fmt"
	"runtime/cgo"
	"sync"
)

// BindItem is one binding of BindPublicAccountOwners.
type BindItem struct {
	AppID     string
	AppUserID string
	UserName  string
}

// BindResult is one item's outcome: its AccountID, or its error (an
// *Error; StatusCancelled for an item the job never started).
type BindResult struct {
	AccountID string
	Err       error
}

// Progress is a bulk job's state after one more item finished.
type Progress struct {
	Done, Total, Failures int
}

// BindOptions tunes BindPublicAccountOwners.
type BindOptions struct {
	// Concurrency is how many binds run at once (0: the library's default, 8).
	Concurrency int
	// Progress, if set, is called after each item, one call at a time,
	// from a library worker thread (not the caller's goroutine). Return
	// false to cancel the items not yet started. A panic in it cancels
	// them too, and is raised again in the caller once the job is over.
	// It runs while the job holds one of the client's MaxConcurrentCalls,
	// so with MaxConcurrentCalls 1 it must not call the client.
	Progress func(Progress) bool
}

// BindPublicAccountOwners binds the owner of every item (an appID, appUserID
// and userName) with at most concurrency calls in flight (the library's default
// is 8, the most 64) and returns one result per item, in input order: the
// account id, or the item's own error. One item's failure never stops the
// others.
//
// Errors: Each item's result carries the errors of BindPublicAccountOwner;
// items not started when the job is cancelled fail with StatusCancelled.
//
// opts.Concurrency bounds the binds at once. The error is for the job as a
// whole (a bad argument, a closed client, a ctx already done), and then no item
// was sent; or ctx ending the job while it ran: then the results are returned
// too, the items it cut short or never started with StatusCancelled errors, and
// the error wraps ctx.Err().
//
// Example:
//
//	results, err := client.BindPublicAccountOwners(ctx, []eiam.BindItem{
//		{AppID: "demo-app", AppUserID: "pub-1", UserName: "cq04130006"},
//		{AppID: "demo-app", AppUserID: "no-such", UserName: "lisi"},
//	}, eiam.BindOptions{})
//	var failed *eiam.Error
//	errors.As(results[1].Err, &failed)
//	fmt.Println(results[0].AccountID, failed.Code, err)
//	// Output: pub-1 APP.ACCOUNT.0038 <nil>
func (c *Client) BindPublicAccountOwners(ctx context.Context, items []BindItem, opts BindOptions) ([]BindResult, error) {
	concurrency, err := uint32Of("Concurrency", opts.Concurrency)
	if err != nil {
		return nil, err
	}
	var strs cstrings
	defer strs.free()
	citems := make([]C.eiam_bind_item, len(items))
	for i, it := range items {
		citems[i] = C.eiam_bind_item{
			app_id:      strs.of(fmt.Sprintf("items[%d].AppID", i), it.AppID),
			app_user_id: strs.of(fmt.Sprintf("items[%d].AppUserID", i), it.AppUserID),
			user_name:   strs.of(fmt.Sprintf("items[%d].UserName", i), it.UserName),
		}
	}
	if strs.err != nil {
		return nil, strs.err
	}
	h, leave, err := c.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if len(items) == 0 {
		return []BindResult{}, nil
	}

	var job *bulkJob
	var progress C.uintptr_t
	if opts.Progress != nil {
		job = &bulkJob{progress: opts.Progress}
		handle := cgo.NewHandle(job)
		defer handle.Delete()
		progress = C.uintptr_t(handle)
	}
	cresults := make([]C.eiam_bind_result, len(items))
	defer C.eiam_bind_results_clear(&cresults[0], C.size_t(len(cresults)))
	var cerr C.eiam_error
	status := C.eiam_go_bind_public_account_owners(h, &citems[0], C.size_t(len(citems)), concurrency, progress,
		&cresults[0], &cerr)
	if err := takeError(status, &cerr); err != nil {
		return nil, err
	}
	if job != nil {
		job.repanic()
	}
	results := make([]BindResult, len(cresults))
	cancelled := false
	for i := range cresults {
		r := &cresults[i]
		if r.error.status == C.EIAM_STATUS_OK {
			results[i].AccountID = C.GoString(r.account_id)
		} else {
			results[i].Err = withContext(ctx, errorOf(&r.error))
			cancelled = cancelled || r.error.status == C.EIAM_STATUS_CANCELLED
		}
	}
	if cancelled && ctx.Err() != nil {
		return results, contextDone(ctx, nil)
	}
	return results, nil
}

// bulkJob is what the progress callback reaches through its cgo.Handle.
type bulkJob struct {
	// The library calls the callback one at a time, but from several
	// threads; mu makes that order visible to Go (and its race detector).
	mu       sync.Mutex
	progress func(Progress) bool
	panicked bool
	panicVal any
}

// report runs the user's callback; a panic cannot unwind through the
// library's frames, so it is kept for the caller and cancels the job.
func (j *bulkJob) report(p Progress) (goOn bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.panicked {
		return false
	}
	defer func() {
		if v := recover(); v != nil {
			j.panicked, j.panicVal, goOn = true, v, false
		}
	}()
	return j.progress(p)
}

// repanic raises, in the caller's goroutine, a panic the callback raised.
func (j *bulkJob) repanic() {
	j.mu.Lock()
	panicked, v := j.panicked, j.panicVal
	j.mu.Unlock()
	if panicked {
		panic(v)
	}
}

//export eiamGoProgress
func eiamGoProgress(handle C.uintptr_t, done, total, failures C.size_t) C.bool {
	job := cgo.Handle(handle).Value().(*bulkJob)
	return C.bool(job.report(Progress{Done: int(done), Total: int(total), Failures: int(failures)}))
}
