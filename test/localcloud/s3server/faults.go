package s3server

import (
	"encoding/xml"
	"net/http"
	"sync"
)

// Fault makes the S3 API answer matching requests with an error instead of serving them,
// as S3 does when it throttles or fails. Tests use it to cause real function errors.
type Fault struct {
	// Method matches the HTTP method; empty matches any.
	Method string
	// Bucket and Key match the object addressed; an empty Key matches any key.
	Bucket, Key string
	// Status is the HTTP status to answer, e.g. http.StatusServiceUnavailable.
	Status int
	// Code is the S3 error code, e.g. "SlowDown".
	Code string
}

// faults answers requests that match an injected Fault and passes the others on.
type faults struct {
	next http.Handler
	mu   sync.Mutex
	list map[int]Fault
	seq  int
}

func (f *faults) add(fault Fault) (remove func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.list == nil {
		f.list = map[int]Fault{}
	}
	f.seq++
	id := f.seq
	f.list[id] = fault
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.list, id)
	}
}

func (f *faults) match(r *http.Request) (Fault, bool) {
	bucket, key := splitPath(r.URL.Path)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fault := range f.list {
		if (fault.Method == "" || fault.Method == r.Method) && fault.Bucket == bucket && (fault.Key == "" || fault.Key == key) {
			return fault, true
		}
	}
	return Fault{}, false
}

// s3Error is the XML body of an S3 error response.
type s3Error struct {
	XMLName  xml.Name `xml:"Error"`
	Code     string   `xml:"Code"`
	Message  string   `xml:"Message"`
	Resource string   `xml:"Resource"`
}

// ServeHTTP answers a request that matches a fault with its error, and passes others on.
func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault, ok := f.match(r)
	if !ok {
		f.next.ServeHTTP(w, r)
		return
	}
	body, err := xml.Marshal(s3Error{Code: fault.Code, Message: "injected fault", Resource: r.URL.Path})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(fault.Status)
	if r.Method != http.MethodHead {
		// The client sees a cut response if this fails; there is no one else to tell.
		_, _ = w.Write(append([]byte(xml.Header), body...))
	}
}
