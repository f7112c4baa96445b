// Package lambdaapi serves Lambda's Invoke API for the local cloud's function, on the
// local cloud's own address, so that AWS SDK clients and the AWS CLI pointed at that
// address invoke the function as they would on Lambda:
//
//	POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=$LATEST]
//
// The X-Amz-Invocation-Type header decides what happens:
//
//	Event            the event joins the queue that the rules' events go through (the
//	                 same retries, maximum event age and failure queue); answer 202
//	RequestResponse  (the default) the function runs now; answer 200 with its response,
//	                 and X-Amz-Function-Error: Unhandled when it failed
//	DryRun           nothing runs; answer 204
//
// Errors are answered as Lambda answers them: the error type in the X-Amzn-ErrorType
// header and a JSON body with the message, so the SDKs raise their typed errors
// (ResourceNotFoundException for a function the local cloud does not run).
package lambdaapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
)

// Invocation types, the values of the X-Amz-Invocation-Type header.
const (
	TypeEvent           = "Event"
	TypeRequestResponse = "RequestResponse"
	TypeDryRun          = "DryRun"
)

// Payload limits of Lambda's Invoke API.
const (
	MaxSyncPayload  = 6 << 20 // RequestResponse and DryRun
	MaxAsyncPayload = 1 << 20 // Event
)

// PathPrefix starts the path of every function operation of the Lambda API.
const PathPrefix = "/2015-03-31/functions/"

// FunctionErrorUnhandled is the X-Amz-Function-Error of a failed synchronous invocation.
const FunctionErrorUnhandled = "Unhandled"

// ErrorTypeEnvironment is the error type of an invocation whose execution environment
// failed, as the pool reports it for asynchronous events.
const ErrorTypeEnvironment = "Local.EnvironmentFailure"

// Queue takes asynchronous invocations; *invoker.Pool is one.
type Queue interface {
	Submit(ev invoker.Event) (requestID string, err error)
}

// Runtime runs one invocation at once; *emulator.Instance is one.
type Runtime interface {
	Invoke(ctx context.Context, requestID string, payload []byte) (emulator.Result, error)
}

var (
	_ Queue   = (*invoker.Pool)(nil)
	_ Runtime = (*emulator.Instance)(nil)
)

// Config configures an API.
type Config struct {
	// Function is the function served. Required: its Name.
	Function Function
	// Queue takes Event invocations. Required.
	Queue Queue
	// Runtime runs RequestResponse invocations. Required.
	Runtime Runtime
	// MemoryMB is the function's memory, for REPORT lines.
	MemoryMB int
	// Log receives the REPORT line of each RequestResponse invocation. Required.
	Log func(line string)
	// OnInvocation, when set, sees each RequestResponse invocation after its REPORT line,
	// as the pool's OnInvocation sees the attempts at Event invocations.
	OnInvocation func(invoker.Invocation)
}

// API serves the Invoke API of one function.
type API struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the API of cfg's function.
func New(cfg Config) (*API, error) {
	if cfg.Function.Name == "" || cfg.Queue == nil || cfg.Runtime == nil || cfg.Log == nil {
		return nil, errors.New("lambdaapi: Function.Name, Queue, Runtime and Log are required")
	}
	a := &API{cfg: cfg, mux: http.NewServeMux()}
	a.mux.HandleFunc("POST "+PathPrefix+"{name}/invocations", a.invoke)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, errorType: "UnknownOperationException",
			message: fmt.Sprintf("%s %s: the local cloud serves only Invoke (POST %s{FunctionName}/invocations)", r.Method, r.URL.Path, PathPrefix)})
	})
	return a, nil
}

// ServeHTTP answers a request of the Lambda API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Beside returns a handler that serves the Lambda API under PathPrefix and passes every
// other request to next (the S3 API), so both share one address as the local cloud's
// endpoint. A bucket named "2015-03-31" is out of reach there.
func (a *API) Beside(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, PathPrefix) {
			a.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// invoke serves one call of Invoke.
func (a *API) invoke(w http.ResponseWriter, r *http.Request) {
	if err := a.cfg.Function.resolve(r.PathValue("name"), r.URL.Query().Get("Qualifier")); err != nil {
		writeError(w, err)
		return
	}
	kind := r.Header.Get("X-Amz-Invocation-Type")
	if kind == "" {
		kind = TypeRequestResponse
	}
	limit := int64(MaxSyncPayload)
	switch kind {
	case TypeEvent:
		limit = MaxAsyncPayload
	case TypeRequestResponse, TypeDryRun:
	default:
		writeError(w, &apiError{status: http.StatusBadRequest, errorType: "ValidationException",
			message: fmt.Sprintf("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [%s, %s, %s]",
				kind, TypeEvent, TypeRequestResponse, TypeDryRun)})
		return
	}
	payload, err := readPayload(r.Body, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	switch kind {
	case TypeEvent:
		a.invokeAsync(w, payload)
	case TypeRequestResponse:
		a.invokeSync(w, r, payload)
	case TypeDryRun:
		w.WriteHeader(http.StatusNoContent)
	}
}

// readPayload reads the request body: JSON of at most limit bytes. An empty body is
// the empty object.
func readPayload(body io.Reader, limit int64) ([]byte, *apiError) {
	payload, err := io.ReadAll(io.LimitReader(body, limit+1))
	switch {
	case err != nil:
		return nil, &apiError{status: http.StatusBadRequest, errorType: "InvalidRequestContentException", message: "reading the request body: " + err.Error()}
	case int64(len(payload)) > limit:
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, errorType: "RequestTooLargeException",
			message: fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", limit)}
	case len(payload) == 0:
		return []byte("{}"), nil
	}
	var doc any
	if err := json.Unmarshal(payload, &doc); err != nil {
		return nil, &apiError{status: http.StatusBadRequest, errorType: "InvalidRequestContentException",
			message: "Could not parse request body into json: " + err.Error()}
	}
	return payload, nil
}

// invokeAsync queues the event and answers 202 with its request ID.
func (a *API) invokeAsync(w http.ResponseWriter, payload []byte) {
	id, err := a.cfg.Queue.Submit(invoker.Event{Payload: payload, Key: ObjectKey(payload), Received: time.Now()})
	if err != nil {
		writeError(w, &apiError{status: http.StatusServiceUnavailable, errorType: "ServiceException", message: "the event was not queued: " + err.Error()})
		return
	}
	w.Header().Set("X-Amzn-RequestId", id)
	w.WriteHeader(http.StatusAccepted)
}

// invokeSync runs the function and answers with its response. The invocation runs to
// its end even when the caller goes away, as on Lambda.
func (a *API) invokeSync(w http.ResponseWriter, r *http.Request, payload []byte) {
	id := uuid.NewString()
	key := ObjectKey(payload)
	res, err := a.cfg.Runtime.Invoke(context.WithoutCancel(r.Context()), id, payload)
	if err != nil {
		a.cfg.Log(fmt.Sprintf("[local cloud] execution environment failed on %s: %v", key, err))
		res = emulator.Result{RequestID: id, ErrorType: ErrorTypeEnvironment, ErrorMessage: err.Error()}
		res.Payload = errorDocument(res.ErrorType, res.ErrorMessage)
	}
	a.cfg.Log(invoker.ReportLine(res, key, a.cfg.MemoryMB))
	if a.cfg.OnInvocation != nil {
		a.cfg.OnInvocation(invoker.Invocation{Key: key, Attempt: 1, Result: res, Err: err})
	}
	h := w.Header()
	h.Set("X-Amzn-RequestId", id)
	h.Set("X-Amz-Executed-Version", LatestVersion)
	h.Set("Content-Type", "application/json")
	if res.Failed() {
		h.Set("X-Amz-Function-Error", FunctionErrorUnhandled)
	}
	w.WriteHeader(http.StatusOK)
	// A failed write means the caller went away; the invocation is reported above.
	_, _ = w.Write(res.Payload)
}

// errorDocument is a function error's JSON document, as a runtime reports one.
func errorDocument(errorType, message string) []byte {
	doc, err := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{message, errorType})
	if err != nil { // strings always marshal
		return []byte(`{}`)
	}
	return doc
}
