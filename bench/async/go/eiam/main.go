// The Go binding with a context: c.GetPublicAccountOwner(ctx, ...) from
// every goroutine, on one client whose calls in C are not capped below
// the goroutines (MaxConcurrentCalls).
package main

import (
	"context"
	"fmt"
	"os"

	eiam "example.invalid/eiam/bindings/go"

	"example.invalid/eiam/bench/async/pool"
)

func main() {
	c, err := eiam.NewClient(eiam.Config{
		BaseURL:            os.Getenv("EIAM_MOCK_URL"),
		ClientID:           os.Getenv("EIAM_MOCK_CLIENT_ID"),
		ClientSecret:       os.Getenv("EIAM_MOCK_CLIENT_SECRET"),
		MaxConcurrentCalls: 1024,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer c.Close()
	ctx := context.Background()
	pool.Serve(func() error {
		_, err := c.GetPublicAccountOwner(ctx, "demo-app", "pub-1")
		return err
	})
}
