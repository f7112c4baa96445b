package s3server

import (
	"encoding/xml"
	"net/http"
	"sync"
	"time"
)

// Fault makes the S3 API misbehave for matching requests, as S3 and the network between
// do now and then: it throttles or fails (Status), answers late (Delay) or drops the
// connection (Reset). Tests use it to cause real client retries and function errors.
//
// A fault strikes every matching request, or a Share of them chosen by a draw that
// depends only on Seed, the request's method and path, and how many matching requests
// with that method and path came before: the same run of requests meets the same faults
// whatever the order in which different keys arrive.
type Fault struct {
	// Method matches the HTTP method; empty matches any.
	Method string
	// Bucket and Key match the object addressed; an empty Key matches any key.
	Bucket, Key string

	// Delay holds a struck request this long before its answer (or before it is served,
	// when the fault has neither Status nor Reset): a slow response.
	Delay time.Duration
	// Reset drops the connection with a TCP reset once the request has been read, instead
	// of answering it.
	Reset bool
	// Status is the HTTP status to answer, e.g. http.StatusServiceUnavailable; Code the S3
	// error code, e.g. "SlowDown". Zero passes a struck request on after its Delay.
	Status int
	Code   string

	// Share is the fraction of matching requests struck, between 0 and 1. Default: all.
	Share float64
	// Seed chooses which requests a Share strikes.
	Seed uint64
	// Limit stops the fault after this many strikes. Default: no limit.
	Limit int
	// OnStrike, when set, is called as the fault strikes a request, before its effect.
	OnStrike func()
}

// faults answers requests that match an injected Fault and passes the others on.
type faults struct {
	next http.Handler
	mu   sync.Mutex
	list []*injected // in the order injected; the first that strikes applies
	seq  int
}

// injected is a Fault with what it has seen so far.
type injected struct {
	Fault
	id      int
	seen    map[string]uint64 // matching requests so far, by method and path
	strikes int
}

func (f *faults) add(fault Fault) (remove func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	id := f.seq
	f.list = append(f.list, &injected{Fault: fault, id: id, seen: map[string]uint64{}})
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, in := range f.list {
			if in.id == id {
				f.list = append(f.list[:i], f.list[i+1:]...)
				return
			}
		}
	}
}

// strike returns the first fault, in the order injected, that matches r and strikes it.
// Every matching fault counts the request, struck or not, so its draws stay reproducible.
func (f *faults) strike(r *http.Request) (Fault, bool) {
	bucket, key := splitPath(r.URL.Path)
	f.mu.Lock()
	defer f.mu.Unlock()
	var struck *injected
	for _, in := range f.list {
		if (in.Method != "" && in.Method != r.Method) || in.Bucket != bucket || (in.Key != "" && in.Key != key) {
			continue
		}
		id := r.Method + " " + r.URL.Path
		n := in.seen[id]
		in.seen[id] = n + 1
		if struck != nil || (in.Limit > 0 && in.strikes >= in.Limit) {
			continue
		}
		if in.Share > 0 && in.Share < 1 && draw(in.Seed, id, n) >= in.Share {
			continue
		}
		in.strikes++
		struck = in
	}
	if struck == nil {
		return Fault{}, false
	}
	return struck.Fault, true
}

// s3Error is the XML body of an S3 error response.
type s3Error struct {
	XMLName  xml.Name `xml:"Error"`
	Code     string   `xml:"Code"`
	Message  string   `xml:"Message"`
	Resource string   `xml:"Resource"`
}

// ServeHTTP gives a request that a fault strikes its effect, and passes others on.
func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault, ok := f.strike(r)
	if !ok {
		f.next.ServeHTTP(w, r)
		return
	}
	if fault.OnStrike != nil {
		fault.OnStrike()
	}
	if fault.Delay > 0 {
		timer := time.NewTimer(fault.Delay)
		select {
		case <-timer.C:
		case <-r.Context().Done(): // the client gave up waiting
			timer.Stop()
			return
		}
	}
	switch {
	case fault.Reset:
		resetConnection(w, r)
	case fault.Status != 0:
		writeError(w, r, fault.Status, fault.Code, "injected fault")
	default:
		f.next.ServeHTTP(w, r)
	}
}

// writeError answers with an S3 error document.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	body, err := xml.Marshal(s3Error{Code: code, Message: message, Resource: r.URL.Path})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		// The client sees a cut response if this fails; there is no one else to tell.
		_, _ = w.Write(append([]byte(xml.Header), body...))
	}
}
