package cloudtest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// invokePattern routes the Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations.
const invokePattern = "POST /2015-03-31/functions/{name}/invocations"

// Invocation is one call of the Invoke API as the endpoint received it.
type Invocation struct {
	// Function is the function name or ARN from the path.
	Function string
	// Type is the X-Amz-Invocation-Type header: "Event" for an asynchronous invoke.
	Type string
	// Payload is the request body: the event handed to the function.
	Payload []byte
	// Received is when the call arrived.
	Received time.Time
}

// APIError is an error answer of the Lambda API, as the service sends it:
// the status, the X-Amzn-ErrorType header and a JSON body with the message.
type APIError struct {
	Status  int
	Type    string // e.g. "ResourceNotFoundException"
	Message string
}

// LambdaOptions shape the answers of the Invoke API.
type LambdaOptions struct {
	// Delay is how long each call takes before it is answered, so that
	// overlapping calls can be counted. Default: no delay.
	Delay time.Duration
	// Reject, when it returns non-nil, answers a call with that error instead
	// of accepting it. Rejected calls are recorded too. Default: accept all.
	Reject func(Invocation) *APIError
	// Status is the status of an accepted call. Default: 202, as the service
	// answers an asynchronous invoke.
	Status int
	// OnAccept is called with the number of calls accepted so far, after the
	// call is recorded and before it is answered. Default: nothing.
	OnAccept func(accepted int)
}

// LambdaRecorder serves the Invoke API and records every call.
type LambdaRecorder struct {
	opts LambdaOptions

	mu          sync.Mutex
	calls       []Invocation
	accepted    int
	inFlight    int
	maxInFlight int
}

func newLambdaRecorder(opts LambdaOptions) *LambdaRecorder {
	if opts.Status == 0 {
		opts.Status = http.StatusAccepted
	}
	return &LambdaRecorder{opts: opts}
}

// ServeHTTP answers one Invoke call.
func (l *LambdaRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := Invocation{
		Function: r.PathValue("name"),
		Type:     r.Header.Get("X-Amz-Invocation-Type"),
		Payload:  payload,
		Received: time.Now(),
	}
	l.enter()
	defer l.leave()
	if l.opts.Delay > 0 {
		time.Sleep(l.opts.Delay)
	}
	var rejection *APIError
	if l.opts.Reject != nil {
		rejection = l.opts.Reject(call)
	}
	accepted := l.record(call, rejection == nil)
	if rejection != nil {
		writeError(w, *rejection)
		return
	}
	if l.opts.OnAccept != nil {
		l.opts.OnAccept(accepted)
	}
	w.WriteHeader(l.opts.Status)
}

// writeError answers as the Lambda API does: the error type in a header, the message in a JSON body.
func writeError(w http.ResponseWriter, e APIError) {
	body, err := json.Marshal(map[string]string{"Type": "User", "message": e.Message})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	w.WriteHeader(e.Status)
	if _, err := w.Write(body); err != nil {
		return // the client went away; nothing is left to tell it
	}
}

func (l *LambdaRecorder) enter() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight++
	l.maxInFlight = max(l.maxInFlight, l.inFlight)
}

func (l *LambdaRecorder) leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
}

// record keeps a call and returns how many calls have been accepted so far.
func (l *LambdaRecorder) record(call Invocation, accepted bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, call)
	if accepted {
		l.accepted++
	}
	return l.accepted
}

// Calls returns every call received so far, in order of arrival.
func (l *LambdaRecorder) Calls() []Invocation {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}

// MaxInFlight returns the most calls that were ever being served at once.
func (l *LambdaRecorder) MaxInFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.maxInFlight
}
