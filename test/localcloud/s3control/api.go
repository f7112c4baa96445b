// Package s3control serves the part of the S3 Control API that runs S3 Batch Operations
// jobs invoking the local cloud's function, on the local cloud's own address:
//
//	POST /v20180820/jobs          CreateJob (LambdaInvoke only; the job starts at once)
//	GET  /v20180820/jobs/{id}     DescribeJob
//
// A job runs as Batch Operations runs one: it reads the CSV manifest from the S3 API
// (checking its ETag), invokes the function synchronously with Batch Operations events
// of the job's invocation schema (1.0 or 2.0), honours each task's result code
// (TemporaryFailure is redriven, up to MaxAttempts), fails when more than half of at
// least 1,000 tasks failed, and writes the completion report (results CSV files and
// manifest.json, in AWS's layout) into the report bucket.
//
// Unlike AWS: there is no IAM (the job's role is required but not assumed), jobs live
// in memory only, priorities are ignored (jobs run as soon as they are created, side by
// side), and a bucket named "v20180820" is out of reach of the S3 API.
package s3control

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"
)

// PathPrefix starts the path of every job operation of the S3 Control API.
const PathPrefix = "/v20180820/jobs"

// xmlns is the S3 Control API's XML namespace.
const xmlns = "http://awss3control.amazonaws.com/doc/2018-08-20/"

// Store is what a job asks of S3: the manifest, and the report's files.
type Store interface {
	GetObject(ctx context.Context, params *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, params *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var _ Store = (*s3.Client)(nil)

// Invoker runs one synchronous invocation of the function. functionError is the
// function error's type and message when the function failed ("" when it answered);
// err is for an invocation that could not be made at all.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) (response []byte, functionError string, err error)
}

// Defaults of a Config.
const (
	DefaultConcurrency        = 2
	DefaultTasksPerInvocation = 1 // as Batch Operations sends them
	DefaultMaxAttempts        = 3
	DefaultRetryDelay         = 200 * time.Millisecond
)

// Config configures an API.
type Config struct {
	// Account is the account ID jobs are created in (x-amz-account-id). Required.
	Account string
	// Partition and Region name the jobs' ARNs. Required.
	Partition, Region string
	// FunctionARN is the function a LambdaInvoke job may name, by this ARN, by the ARN
	// with a :$LATEST qualifier, or by FunctionName. Required.
	FunctionARN, FunctionName string
	// Store reads manifests and writes reports. Required.
	Store Store
	// Invoker runs the function. Required.
	Invoker Invoker
	// Concurrency is how many invocations of one job run at once. Default: DefaultConcurrency.
	Concurrency int
	// TasksPerInvocation is how many tasks one invocation carries. Default: DefaultTasksPerInvocation.
	TasksPerInvocation int
	// MaxAttempts bounds the attempts at a task answered TemporaryFailure. Default: DefaultMaxAttempts.
	MaxAttempts int
	// RetryDelay is the wait before the temporary failures are redriven. Default: DefaultRetryDelay.
	RetryDelay time.Duration
	// Log receives one line per job state change. Required.
	Log func(line string)
}

// API serves the job operations and runs the jobs.
type API struct {
	cfg Config
	mux *http.ServeMux
	ctx context.Context
	// stop cancels every running job; wg waits for them.
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu     sync.Mutex
	jobs   map[string]*job
	tokens map[string]string // ClientRequestToken -> job id
}

// New returns the API of cfg.
func New(cfg Config) (*API, error) {
	if cfg.Account == "" || cfg.Partition == "" || cfg.Region == "" || cfg.FunctionARN == "" ||
		cfg.Store == nil || cfg.Invoker == nil || cfg.Log == nil {
		return nil, errors.New("s3control: Account, Partition, Region, FunctionARN, Store, Invoker and Log are required")
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.TasksPerInvocation <= 0 {
		cfg.TasksPerInvocation = DefaultTasksPerInvocation
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = DefaultRetryDelay
	}
	ctx, stop := context.WithCancel(context.Background())
	a := &API{cfg: cfg, mux: http.NewServeMux(), ctx: ctx, stop: stop, jobs: map[string]*job{}, tokens: map[string]string{}}
	a.mux.HandleFunc("POST "+PathPrefix, a.createJob)
	a.mux.HandleFunc("GET "+PathPrefix+"/{id}", a.describeJob)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotImplemented, "NotImplemented",
			fmt.Sprintf("%s %s: the local cloud serves only CreateJob and DescribeJob of S3 Control", r.Method, r.URL.Path))
	})
	return a, nil
}

// Beside returns a handler that serves the job operations under PathPrefix and passes
// every other request to next, so they share the local cloud's address.
func (a *API) Beside(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == PathPrefix || strings.HasPrefix(r.URL.Path, PathPrefix+"/") {
			a.mux.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Close stops the running jobs (they end Failed, "stopped") and waits for them.
func (a *API) Close() error {
	a.stop()
	a.wg.Wait()
	return nil
}

// maxRequestBody bounds a CreateJob request.
const maxRequestBody = 1 << 20

// createJob serves CreateJob: it checks the request, records the job and starts it.
func (a *API) createJob(w http.ResponseWriter, r *http.Request) {
	if err := a.checkAccount(r); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "request body unreadable or over 1 MB")
		return
	}
	var req createJobRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "MalformedXML", err.Error())
		return
	}
	spec, err := a.validate(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	a.mu.Lock()
	if id, ok := a.tokens[req.ClientRequestToken]; ok {
		a.mu.Unlock()
		writeXML(w, createJobResult{Xmlns: xmlns, JobID: id})
		return
	}
	id := uuid.NewString()
	j := newJob(id, a.jobARN(id), req, spec, time.Now().UTC())
	a.jobs[id] = j
	a.tokens[req.ClientRequestToken] = id
	a.mu.Unlock()
	a.cfg.Log(fmt.Sprintf("[s3 batch] job %s created: invoke %s for the tasks of %s", id, spec.functionARN, req.Manifest.Location.ObjectArn))
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.run(a.ctx, j)
	}()
	writeXML(w, createJobResult{Xmlns: xmlns, JobID: id})
}

// describeJob serves DescribeJob.
func (a *API) describeJob(w http.ResponseWriter, r *http.Request) {
	if err := a.checkAccount(r); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	a.mu.Lock()
	j, ok := a.jobs[r.PathValue("id")]
	a.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "NoSuchJob", fmt.Sprintf("job %q does not exist", r.PathValue("id")))
		return
	}
	writeXML(w, describeJobResult{Xmlns: xmlns, Job: j.descriptor()})
}

// checkAccount refuses a request for another account than the local cloud's.
func (a *API) checkAccount(r *http.Request) error {
	if got := r.Header.Get("x-amz-account-id"); got != a.cfg.Account {
		return fmt.Errorf("x-amz-account-id %q: the local cloud is account %s", got, a.cfg.Account)
	}
	return nil
}

// jobARN is the ARN of job id.
func (a *API) jobARN(id string) string {
	return fmt.Sprintf("arn:%s:s3:%s:%s:job/%s", a.cfg.Partition, a.cfg.Region, a.cfg.Account, id)
}

// writeXML answers 200 with v as the S3 Control API's XML.
func writeXML(w http.ResponseWriter, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append([]byte(xml.Header), b...))
}

// writeError answers an error as S3 Control does: <ErrorResponse><Error>.
func writeError(w http.ResponseWriter, status int, code, message string) {
	type errorBody struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	type errorResponse struct {
		XMLName   xml.Name  `xml:"ErrorResponse"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}
	b, _ := xml.Marshal(errorResponse{Error: errorBody{Code: code, Message: message}, RequestID: uuid.NewString()})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(xml.Header), b...))
}
