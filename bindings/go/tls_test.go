package eiam

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A TLS server whose certificate nothing trusts, answering the owner call.
func untrustedServer(t *testing.T) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"user_id":"u-tls","user_name":"over-tls","disabled":false}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestUntrustedCertificateIsATransportError(t *testing.T) {
	ctx := testCtx(t)
	srv := untrustedServer(t)
	zero := 0
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: "t", MaxRetries: &zero})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e *Error
	if _, err := c.GetPublicAccountOwner(ctx, "a", "b"); !errors.As(err, &e) || e.Status != StatusTransportError {
		t.Fatalf("%v", err)
	}
}

func TestDangerAcceptInvalidCertsTurnsVerificationOff(t *testing.T) {
	ctx := testCtx(t)
	srv := untrustedServer(t)
	c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: "t", DangerAcceptInvalidCerts: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if o, err := c.GetPublicAccountOwner(ctx, "a", "b"); err != nil || o.UserName != "over-tls" {
		t.Fatalf("%+v %v", o, err)
	}
}

func TestUsePlatformRootsFalseNeedsACAFile(t *testing.T) {
	no := false
	_, err := NewClient(Config{BaseURL: "https://tenant.example.com", AccessToken: "t", UsePlatformRoots: &no})
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument || !strings.Contains(e.Message, "use_platform_roots") {
		t.Fatalf("%v", err)
	}
	yes := true
	c, err := NewClient(Config{BaseURL: "https://tenant.example.com", AccessToken: "t", UsePlatformRoots: &yes})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
