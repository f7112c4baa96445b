package e2e

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// maxTappedBody bounds a thumbnail body the tap keeps.
const maxTappedBody = 16 << 20

// writeTap stands between the function and the S3 API and keeps the body of every object
// the function writes under the output prefix and the S3 API accepts: what the function
// wrote, as sent, read independently of the store under test.
type writeTap struct {
	mu             sync.Mutex
	target         *url.URL
	bucket, prefix string
	bodies         map[string][][]byte
	problems       []string
}

func newWriteTap() *writeTap { return &writeTap{bodies: map[string][][]byte{}} }

// url starts the tap on a free loopback port and returns its URL; it forwards nothing
// until forwardTo.
func (w *writeTap) url(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: w}
	go srv.Serve(ln) // ends with ErrServerClosed when the test ends
	t.Cleanup(func() {
		srv.Close()
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, p := range w.problems {
			t.Error(p)
		}
	})
	return "http://" + ln.Addr().String()
}

// forwardTo sets the S3 API the tap forwards to.
func (w *writeTap) forwardTo(endpoint string) {
	u, err := url.Parse(endpoint)
	if err != nil {
		panic(err) // the local cloud's own URL
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.target = u
}

// watch names the bucket and prefix whose writes are kept.
func (w *writeTap) watch(bucket, prefix string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bucket, w.prefix = bucket, prefix
}

// written returns the bodies of the accepted writes of key, in order.
func (w *writeTap) written(key string) [][]byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([][]byte(nil), w.bodies[key]...)
}

// ServeHTTP forwards the request, keeping the body of a PutObject under the prefix.
func (w *writeTap) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	target, watched := w.target, "/"+w.bucket+"/"+w.prefix
	w.mu.Unlock()
	if target == nil {
		http.Error(rw, "the tap has no S3 API yet", http.StatusServiceUnavailable)
		return
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	key := strings.TrimPrefix(r.URL.Path, "/"+w.bucket+"/")
	if r.Method != http.MethodPut || !strings.HasPrefix(r.URL.Path, watched) || !plainPut(r.URL.Query()) || r.Header.Get("X-Amz-Copy-Source") != "" {
		proxy.ServeHTTP(rw, r)
		return
	}
	if strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") || strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		w.problem("the function's PutObject of " + key + " is aws-chunked: the tap cannot read its bytes")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxTappedBody+1))
	if err != nil || len(body) > maxTappedBody {
		http.Error(rw, "the tap could not read the body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sw := &statusWriter{ResponseWriter: rw}
	proxy.ServeHTTP(sw, r)
	if sw.code/100 == 2 {
		w.mu.Lock()
		w.bodies[key] = append(w.bodies[key], body)
		w.mu.Unlock()
	}
}

// plainPut says whether a PUT's query names a whole object's upload: nothing, or the
// SDK's x-id=PutObject; not a part of a multipart upload.
func plainPut(q url.Values) bool {
	for name := range q {
		if name != "x-id" {
			return false
		}
	}
	return true
}

func (w *writeTap) problem(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, s)
}
