package eiam

/*
#include <eiam.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
)

// contextDone is the error of a call its context ended: the library's
// kind of error (an *Error, StatusCancelled) wrapping ctx.Err() too, so
// that both errors.As(err, **Error) and errors.Is(err, context.Canceled)
// (or context.DeadlineExceeded) hold.
func contextDone(ctx context.Context, lib *Error) error {
	if lib == nil {
		lib = &Error{Status: StatusCancelled, Message: "the call's context is done"}
	}
	return fmt.Errorf("%w (%w)", lib, ctx.Err())
}

// withContext is err, wrapping ctx.Err() as well when the library
// cancelled the call because ctx was done.
func withContext(ctx context.Context, err error) error {
	var lib *Error
	if err != nil && ctx.Err() != nil && errors.As(err, &lib) && lib.Status == StatusCancelled {
		return contextDone(ctx, lib)
	}
	return err
}

// acquire waits for a free slot (or for ctx to be done) and returns the C
// client, with the function that releases both; ErrClosed once the client
// is closed. A ctx already done returns at once, so nothing is sent.
func (c *Client) acquire(ctx context.Context) (*C.eiam_client, func(), error) {
	if ctx.Err() != nil {
		return nil, nil, contextDone(ctx, nil)
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, contextDone(ctx, nil)
	}
	c.mu.RLock()
	leave := func() {
		c.mu.RUnlock()
		<-c.slots
	}
	if c.handle == nil {
		leave()
		return nil, nil, ErrClosed
	}
	return c.handle, leave, nil
}

// watch returns a view of h whose calls end when ctx is done (a C cancel
// token that context.AfterFunc cancels), with the function that frees it
// once the calls through it are over. A ctx that can never be done (its
// Done is nil, as context.Background's) costs nothing: h itself.
func watch(ctx context.Context, h *C.eiam_client) (*C.eiam_client, func(), error) {
	if ctx.Done() == nil {
		return h, func() {}, nil
	}
	token := C.eiam_cancel_new()
	if token == nil {
		return nil, nil, errors.New("eiam: out of memory")
	}
	var view *C.eiam_client
	var cerr C.eiam_error
	if err := takeError(C.eiam_client_with_cancel(h, token, &view, &cerr), &cerr); err != nil {
		C.eiam_cancel_free(token)
		return nil, nil, err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		C.eiam_cancel_cancel(token)
		close(fired)
	})
	unwatch := func() {
		// A cancel already under way must end before the token is freed.
		if !stop() {
			<-fired
		}
		C.eiam_client_free(view)
		C.eiam_cancel_free(token)
	}
	return view, unwatch, nil
}

// enter is acquire with the C client watching ctx (see watch).
func (c *Client) enter(ctx context.Context) (*C.eiam_client, func(), error) {
	h, leave, err := c.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	view, unwatch, err := watch(ctx, h)
	if err != nil {
		leave()
		return nil, nil, err
	}
	return view, func() {
		unwatch()
		leave()
	}, nil
}
