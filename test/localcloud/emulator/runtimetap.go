package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Paths of the Lambda Runtime API that the tap watches.
const (
	runtimePrefix   = "/2018-06-01/runtime/invocation/"
	nextPath        = runtimePrefix + "next"
	initErrorPath   = "/2018-06-01/runtime/init/error"
	requestIDHeader = "Lambda-Runtime-Aws-Request-Id"
	errorTypeHeader = "Lambda-Runtime-Function-Error-Type"
	maxPayloadBytes = 6 << 20 // Lambda's synchronous response limit
)

// tap is a reverse proxy between the function's runtime client and the emulator's Runtime
// API. It sees the runtime ask for its first invocation (the end of init), receive each
// invocation, and post each response or error: the contract by which Lambda itself knows
// durations and function errors, which the emulator's invoke endpoint does not pass on.
type tap struct {
	ln    net.Listener
	srv   *http.Server
	proxy *httputil.ReverseProxy

	mu        sync.Mutex
	firstNext time.Time
	records   map[string]*record
	initError *record
}

// record is what the tap saw of one invocation.
type record struct {
	start, end time.Time
	// errored is true when the runtime posted to .../error.
	errored   bool
	errorType string
	body      []byte
}

// startTap listens on a free loopback port and forwards to the Runtime API at target.
func startTap(target string) (*tap, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API tap: %w", err)
	}
	t := &tap{ln: ln, records: map[string]*record{}}
	t.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: "http", Host: target})
			r.Out.Host = target
		},
		ModifyResponse: t.sawResponse,
		// The runtime's long poll for the next invocation is cut whenever the environment
		// stops; it sees a 502, as from a failing Runtime API, and nothing is logged.
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) },
	}
	t.srv = &http.Server{Handler: http.HandlerFunc(t.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		// Serve returns when the tap is closed; nothing is left to report then.
		_ = t.srv.Serve(ln)
	}()
	return t, nil
}

// addr is the AWS_LAMBDA_RUNTIME_API value that routes the runtime through the tap.
func (t *tap) addr() string { return t.ln.Addr().String() }

func (t *tap) close() error {
	err := t.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (t *tap) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == nextPath:
		t.mu.Lock()
		if t.firstNext.IsZero() {
			t.firstNext = now
		}
		t.mu.Unlock()
	case r.Method == http.MethodPost && r.URL.Path == initErrorPath:
		body, err := readBody(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		t.mu.Lock()
		t.initError = &record{end: now, errored: true, errorType: r.Header.Get(errorTypeHeader), body: body}
		t.mu.Unlock()
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, runtimePrefix):
		id, kind, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, runtimePrefix), "/")
		if ok && (kind == "response" || kind == "error") {
			body, err := readBody(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
				return
			}
			t.mu.Lock()
			rec := t.recordLocked(id)
			rec.end, rec.body = now, body
			rec.errored, rec.errorType = kind == "error", r.Header.Get(errorTypeHeader)
			t.mu.Unlock()
		}
	}
	t.proxy.ServeHTTP(w, r)
}

// sawResponse notes when the emulator hands an invocation to the runtime.
func (t *tap) sawResponse(resp *http.Response) error {
	if resp.Request.URL.Path == nextPath {
		if id := resp.Header.Get(requestIDHeader); id != "" {
			t.mu.Lock()
			t.recordLocked(id).start = time.Now()
			t.mu.Unlock()
		}
	}
	return nil
}

func (t *tap) recordLocked(id string) *record {
	rec, ok := t.records[id]
	if !ok {
		rec = &record{}
		t.records[id] = rec
	}
	return rec
}

// take returns and forgets the record of one invocation (nil when the tap saw nothing).
func (t *tap) take(id string) *record {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec := t.records[id]
	delete(t.records, id)
	return rec
}

// initEnd is when the runtime first asked for an invocation; zero before that.
func (t *tap) initEnd() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.firstNext
}

// takeInitError returns and forgets an init error the runtime reported.
func (t *tap) takeInitError() *record {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec := t.initError
	t.initError = nil
	return rec
}

// readBody reads a request body and puts it back for the proxy.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayloadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxPayloadBytes {
		return nil, fmt.Errorf("payload over %d bytes", maxPayloadBytes)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
