// net/http with the harness's token: the owner query with the same headers
// as every contender, the answer decoded into a struct. The transport keeps
// as many idle connections as calls in flight (its default is 2 per host).
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"example.invalid/eiam/bench/async/pool"
)

type owner struct {
	UserID   string `json:"user_id"`
	UserName string `json:"user_name"`
	Disabled bool   `json:"disabled"`
}

func main() {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 1024
	transport.MaxIdleConnsPerHost = 1024
	client := &http.Client{Transport: transport}
	url := os.Getenv("EIAM_MOCK_URL") + pool.OwnerPath
	bearer := "Bearer " + os.Getenv("EIAM_BENCH_TOKEN")
	pool.Serve(func() error {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", bearer)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var o owner
		return json.NewDecoder(resp.Body).Decode(&o)
	})
}
