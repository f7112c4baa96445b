package lambdaapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
)

// recordingQueue stands in for the pool: it keeps the events it is given.
type recordingQueue struct {
	mu     sync.Mutex
	events []invoker.Event
	err    error
}

func (q *recordingQueue) Submit(ev invoker.Event) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return "", q.err
	}
	q.events = append(q.events, ev)
	return "queued-request-id", nil
}

// scriptedRuntime stands in for an execution environment: it answers every invocation
// with result (its RequestID set) or err.
type scriptedRuntime struct {
	result emulator.Result
	err    error

	mu       sync.Mutex
	payloads [][]byte
}

func (r *scriptedRuntime) Invoke(_ context.Context, requestID string, payload []byte) (emulator.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.payloads = append(r.payloads, payload)
	res := r.result
	res.RequestID = requestID
	return res, r.err
}

// apiParts are an API under test and what it talks to.
type apiParts struct {
	queue   *recordingQueue
	runtime *scriptedRuntime
	client  *lambda.Client
	url     string
	logs    []string
	seen    []invoker.Invocation
	s3Calls int
}

// serveAPI serves an API for function "Thumbnailer" beside a stand-in S3 API, and
// returns it with an SDK client pointed at it, as the backfill builds its client.
func serveAPI(t *testing.T, runtime *scriptedRuntime, queue *recordingQueue) *apiParts {
	t.Helper()
	p := &apiParts{queue: queue, runtime: runtime}
	var mu sync.Mutex
	api, err := New(Config{
		Function: Function{Name: "Thumbnailer", Partition: "aws", Region: "us-east-1", Account: "000000000000"},
		Queue:    queue, Runtime: runtime, MemoryMB: 1024,
		Log:          func(line string) { mu.Lock(); p.logs = append(p.logs, line); mu.Unlock() },
		OnInvocation: func(inv invoker.Invocation) { mu.Lock(); p.seen = append(p.seen, inv); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	s3 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		p.s3Calls++
		mu.Unlock()
		w.WriteHeader(http.StatusTeapot)
	})
	srv := httptest.NewServer(api.Beside(s3))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	p.client = lambda.New(lambda.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:       &http.Client{Timeout: 10 * time.Second},
		RetryMaxAttempts: 1,
	})
	return p
}

const s3Event = `{"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"images"},"object":{"key":"red+flower%2Bbee.jpg"}}}`

func TestInvokeWithTheSDK(t *testing.T) {
	tests := []struct {
		name     string
		function string
		kind     types.InvocationType
		payload  string
		answer   emulator.Result // the runtime's
		runErr   error           // the runtime's
		queueErr error
		// wanted
		status        int32
		functionError string
		response      string
		queued        int
		ran           int
		errType       string // the API error's code, when the call fails
		errMessage    string
	}{
		{name: "event", function: "Thumbnailer", kind: types.InvocationTypeEvent, payload: s3Event, status: 202, queued: 1},
		{name: "event by ARN", function: "arn:aws:lambda:us-east-1:000000000000:function:Thumbnailer", kind: types.InvocationTypeEvent, payload: s3Event, status: 202, queued: 1},
		{name: "request-response", function: "Thumbnailer", kind: types.InvocationTypeRequestResponse, payload: s3Event,
			answer: emulator.Result{Payload: []byte(`null`)}, status: 200, response: "null", ran: 1},
		{name: "request-response, function error", function: "Thumbnailer", kind: types.InvocationTypeRequestResponse, payload: s3Event,
			answer: emulator.Result{ErrorType: "errorString", ErrorMessage: "boom", Payload: []byte(`{"errorMessage":"boom","errorType":"errorString"}`)},
			status: 200, functionError: "Unhandled", response: `{"errorMessage":"boom","errorType":"errorString"}`, ran: 1},
		{name: "request-response, environment failure", function: "Thumbnailer", kind: types.InvocationTypeRequestResponse, payload: s3Event,
			runErr: errors.New("emulator gone"),
			status: 200, functionError: "Unhandled", response: `{"errorMessage":"emulator gone","errorType":"Local.EnvironmentFailure"}`, ran: 1},
		{name: "default type is request-response", function: "Thumbnailer", payload: `{}`,
			answer: emulator.Result{Payload: []byte(`"ok"`)}, status: 200, response: `"ok"`, ran: 1},
		{name: "dry run", function: "Thumbnailer", kind: types.InvocationTypeDryRun, payload: s3Event, status: 204},
		{name: "unknown function", function: "Nope", kind: types.InvocationTypeEvent, payload: s3Event,
			errType: "ResourceNotFoundException", errMessage: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope"},
		{name: "unknown function, dry run", function: "Nope", kind: types.InvocationTypeDryRun, payload: s3Event,
			errType: "ResourceNotFoundException", errMessage: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope"},
		{name: "not JSON", function: "Thumbnailer", kind: types.InvocationTypeEvent, payload: `{"detail":`,
			errType: "InvalidRequestContentException", errMessage: "Could not parse request body into json"},
		{name: "event too large", function: "Thumbnailer", kind: types.InvocationTypeEvent, payload: `"` + strings.Repeat("x", MaxAsyncPayload) + `"`,
			errType: "RequestTooLargeException", errMessage: "Request must be smaller than 1048576 bytes"},
		{name: "queue cannot store the event", function: "Thumbnailer", kind: types.InvocationTypeEvent, payload: s3Event, queueErr: errors.New("event queue: no space left on device"),
			errType: "ServiceException", errMessage: "the event was not queued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime := &scriptedRuntime{result: tt.answer, err: tt.runErr}
			p := serveAPI(t, runtime, &recordingQueue{err: tt.queueErr})
			out, err := p.client.Invoke(context.Background(), &lambda.InvokeInput{
				FunctionName: aws.String(tt.function), InvocationType: tt.kind, Payload: []byte(tt.payload),
			})
			if tt.errType != "" {
				var api smithy.APIError
				if !errors.As(err, &api) || api.ErrorCode() != tt.errType || !strings.Contains(api.ErrorMessage(), tt.errMessage) {
					t.Fatalf("error %v, want %s: %s", err, tt.errType, tt.errMessage)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if out.StatusCode != tt.status || aws.ToString(out.FunctionError) != tt.functionError || string(out.Payload) != tt.response {
					t.Errorf("status %d, function error %q, payload %q; want %d, %q, %q",
						out.StatusCode, aws.ToString(out.FunctionError), out.Payload, tt.status, tt.functionError, tt.response)
				}
				if tt.ran > 0 && aws.ToString(out.ExecutedVersion) != LatestVersion {
					t.Errorf("executed version %q", aws.ToString(out.ExecutedVersion))
				}
			}
			if len(p.queue.events) != tt.queued || len(runtime.payloads) != tt.ran {
				t.Fatalf("%d events queued, %d run; want %d, %d", len(p.queue.events), len(runtime.payloads), tt.queued, tt.ran)
			}
			if tt.queued > 0 {
				ev := p.queue.events[0]
				if string(ev.Payload) != tt.payload || ev.Key != "red flower+bee.jpg" || ev.Received.IsZero() {
					t.Errorf("queued %+v", ev)
				}
			}
			if tt.ran > 0 {
				if len(p.seen) != 1 || p.seen[0].Attempt != 1 || p.seen[0].Result.Failed() != (tt.functionError != "") {
					t.Errorf("invocations seen: %+v", p.seen)
				}
				if len(p.logs) == 0 || !strings.HasPrefix(p.logs[len(p.logs)-1], "REPORT RequestId: "+p.seen[0].Result.RequestID) {
					t.Errorf("no REPORT line: %q", p.logs)
				}
			}
		})
	}
}

// TestInvokeOverHTTP covers what the SDK never sends: an unknown invocation type, other
// operations, and the requests that belong to the S3 API.
func TestInvokeOverHTTP(t *testing.T) {
	tests := []struct {
		name, method, path, invocationType, body string
		status                                   int
		errorType                                string
		toS3                                     bool
	}{
		{name: "unknown invocation type", method: "POST", path: "/2015-03-31/functions/Thumbnailer/invocations", invocationType: "Later", body: "{}",
			status: 400, errorType: "ValidationException"},
		{name: "empty body is the empty object", method: "POST", path: "/2015-03-31/functions/Thumbnailer/invocations", invocationType: "Event",
			status: 202},
		{name: "qualifier in the query", method: "POST", path: "/2015-03-31/functions/Thumbnailer/invocations?Qualifier=%24LATEST", invocationType: "DryRun",
			status: 204},
		{name: "other qualifier", method: "POST", path: "/2015-03-31/functions/Thumbnailer/invocations?Qualifier=7", invocationType: "DryRun",
			status: 404, errorType: "ResourceNotFoundException"},
		{name: "another operation", method: "GET", path: "/2015-03-31/functions/Thumbnailer", status: 404, errorType: "UnknownOperationException"},
		{name: "S3 object", method: "PUT", path: "/images/2015-03-31/functions/x/invocations", toS3: true, status: http.StatusTeapot},
		{name: "S3 bucket", method: "GET", path: "/images", toS3: true, status: http.StatusTeapot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := serveAPI(t, &scriptedRuntime{}, &recordingQueue{})
			req, err := http.NewRequest(tt.method, p.url+tt.path, bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			if tt.invocationType != "" {
				req.Header.Set("X-Amz-Invocation-Type", tt.invocationType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if cerr := resp.Body.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-ErrorType") != tt.errorType {
				t.Errorf("%d %s %s, want %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, tt.status, tt.errorType)
			}
			if tt.errorType != "" && !bytes.Contains(body, []byte(`"message":`)) {
				t.Errorf("error body %s has no message", body)
			}
			if got := p.s3Calls == 1; got != tt.toS3 {
				t.Errorf("passed to S3: %v, want %v", got, tt.toS3)
			}
			if tt.status == 202 && (len(p.queue.events) != 1 || string(p.queue.events[0].Payload) != "{}") {
				t.Errorf("queued %+v, want the empty object", p.queue.events)
			}
		})
	}
}

func TestNewRequires(t *testing.T) {
	if _, err := New(Config{Function: Function{Name: "f"}}); err == nil {
		t.Error("New without a queue, runtime and log: no error")
	}
}
