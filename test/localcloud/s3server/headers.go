package s3server

import (
	"net/http"
	"strings"
)

// keptHeaders are object headers S3 stores and returns that gofakes3 v1.2.0 drops: it
// keeps only Content-Type, Content-Disposition, Content-Encoding and x-amz-* headers.
var keptHeaders = []string{"Cache-Control", "Content-Language", "Expires"}

// stashPrefix carries a kept header through gofakes3 as an x-amz-* header, which it
// stores with the object; the SDK does not read it as user metadata (x-amz-meta-*).
const stashPrefix = "X-Amz-Localcloud-"

// standardHeaders makes the S3 API keep the headers of keptHeaders: on writes they are
// stored under stashPrefix, on reads they are given back under their own names.
type standardHeaders struct {
	next http.Handler
}

// ServeHTTP stashes kept headers on writes and restores them on reads.
func (s standardHeaders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPut, http.MethodPost:
		for _, h := range keptHeaders {
			if v := r.Header.Get(h); v != "" {
				r.Header.Set(stashPrefix+h, v)
			}
		}
		s.next.ServeHTTP(w, r)
	case http.MethodGet, http.MethodHead:
		u := &unstash{ResponseWriter: w}
		s.next.ServeHTTP(u, r)
		u.restore() // a handler that writes nothing sends its headers only after returning
	default:
		s.next.ServeHTTP(w, r)
	}
}

// unstash renames stashed headers back before the response's headers are sent.
type unstash struct {
	http.ResponseWriter
	done bool
}

func (u *unstash) restore() {
	if u.done {
		return
	}
	u.done = true
	h := u.Header()
	for name, values := range h {
		if orig, ok := strings.CutPrefix(name, stashPrefix); ok {
			delete(h, name)
			if len(values) > 0 {
				h.Set(orig, values[0])
			}
		}
	}
}

// WriteHeader restores the stashed headers, then sends the status.
func (u *unstash) WriteHeader(code int) {
	u.restore()
	u.ResponseWriter.WriteHeader(code)
}

// Write restores the stashed headers, then sends the body.
func (u *unstash) Write(b []byte) (int, error) {
	u.restore()
	return u.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (u *unstash) Unwrap() http.ResponseWriter { return u.ResponseWriter }
