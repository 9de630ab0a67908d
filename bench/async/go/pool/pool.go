// Package pool is the bench protocol of bench/inflight.py for a Go
// contender: warm up, print {"ready":true}, then for each number N read
// from stdin make N calls on EIAM_BENCH_IN_FLIGHT goroutines and print
// {"seconds":...}; exit when stdin closes.
package pool

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// OwnerPath is the owner query every contender makes.
const OwnerPath = "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner"

// Serve runs the protocol over call (one query); it exits on the first error.
func Serve(call func() error) {
	inFlight, err := strconv.Atoi(os.Getenv("EIAM_BENCH_IN_FLIGHT"))
	if err != nil || inFlight < 1 {
		fail(fmt.Errorf("EIAM_BENCH_IN_FLIGHT: %q", os.Getenv("EIAM_BENCH_IN_FLIGHT")))
	}
	run(2*inFlight, inFlight, call) // opens the connections
	fmt.Println(`{"ready":true}`)
	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		calls, err := strconv.Atoi(lines.Text())
		if err != nil {
			fail(err)
		}
		started := time.Now()
		run(calls, inFlight, call)
		fmt.Printf("{\"seconds\":%.9f}\n", time.Since(started).Seconds())
	}
}

// run makes calls calls on inFlight goroutines, each taking the next call
// when its last one is answered.
func run(calls, inFlight int, call func() error) {
	var left atomic.Int64
	left.Store(int64(calls))
	var wg sync.WaitGroup
	for range min(inFlight, calls) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := call(); err != nil {
					fail(err)
				}
			}
		}()
	}
	wg.Wait()
}

// Unavailable says that this build lacks what the contender measures, and ends.
func Unavailable(reason string) {
	fmt.Printf("{\"unavailable\":%q}\n", reason)
	os.Exit(0)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
