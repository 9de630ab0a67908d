package eiam

import "context"

// MockedClient is what the calls' examples (example_calls_test.go, in
// package eiam_test as users write them) run on: a client of a fresh
// mock, and the function that closes both.
func MockedClient() (*Client, context.Context, func()) {
	mock, err := startMock()
	if err != nil {
		panic(err)
	}
	client, err := NewClient(Config{BaseURL: mock.url, ClientID: mock.id, ClientSecret: mock.secret})
	if err != nil {
		panic(err)
	}
	return client, context.Background(), func() {
		client.Close()
		mock.stop()
	}
}
