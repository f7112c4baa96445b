// Package localcloud runs the stack on one machine: an S3 API whose writes and deletes
// become the events S3 sends to EventBridge, the stack's rules read from its synthesized
// template, and the real function under the Lambda Runtime Interface Emulator with
// Lambda's asynchronous invocation semantics.
package localcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/lambdaapi"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3control"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// DefaultAddr is where the S3 API listens unless told otherwise.
const DefaultAddr = "127.0.0.1:4566"

// QueueFolder is the folder of StateDir that keeps the events accepted and not yet
// finished, one file each, so that a restarted cloud delivers them.
const QueueFolder = "queue"

// Config configures a local cloud.
type Config struct {
	// Template is the synthesized CloudFormation template. Required.
	Template string
	// Bootstrap is the function built for this machine; RIE the runtime interface
	// emulator. Required.
	Bootstrap, RIE string
	// Addr is the S3 API's loopback address. Default: DefaultAddr; port 0 picks a free one.
	Addr string
	// StateDir keeps objects, queued events and failure records across restarts. Required.
	StateDir string
	// Versioning runs the S3 API on an in-memory backend that implements bucket
	// versioning, so PutBucketVersioning, delete markers and deletes by version ID work
	// and their events carry version IDs. Objects are then not kept across restarts
	// (queued events and failure records still are). Default: objects in StateDir, and
	// turning versioning on is refused with NotImplemented.
	Versioning bool
	// BucketName names the bucket when the template leaves it to CloudFormation.
	// Default: cfn.DefaultBucketName.
	BucketName string
	// KeyEncoding is how event keys are written. Default: s3events.DefaultKeyEncoding (raw).
	KeyEncoding s3events.KeyEncoding
	// RetryDelay is the wait before retrying a function error (Lambda: about a minute).
	// Default: one second.
	RetryDelay time.Duration
	// Out receives REPORT lines, the function's log lines and the cloud's messages.
	// Default: discarded.
	Out io.Writer
	// OnLog, when set, also sees every line written to Out.
	OnLog func(line string)
	// FunctionEnv adds to or overrides the function's environment.
	FunctionEnv map[string]string
	// Trigger is the trigger's state at start; SetTrigger changes it. Default: TriggerOn.
	Trigger Trigger
}

// Cloud is a running local cloud.
type Cloud struct {
	cfg      Config
	stack    *cfn.Stack
	s3       *s3server.Server
	pool     *invoker.Pool
	events   *s3events.Builder
	failures *invoker.FailureQueue
	ready    chan struct{}
	trigger  triggerGate
	sync     *syncRuntime
	// batch serves S3 Batch Operations jobs; batchEnvs runs their invocations.
	batch     *s3control.API
	batchEnvs *batchRuntimes

	outMu sync.Mutex

	mu          sync.Mutex
	writes      map[string]int
	evaluated   map[string]int
	matched     map[string]int
	invocations map[string][]invoker.Invocation
	delivered   map[string][]s3events.Event
}

// Start reads the template and starts the S3 API and the function's environments (each
// started on its first invocation).
func Start(cfg Config) (*Cloud, error) {
	if cfg.Template == "" || cfg.Bootstrap == "" || cfg.RIE == "" || cfg.StateDir == "" {
		return nil, errors.New("localcloud: Template, Bootstrap, RIE and StateDir are required")
	}
	if cfg.Trigger < TriggerOn || cfg.Trigger > TriggerHeld {
		return nil, fmt.Errorf("localcloud: unknown %v", cfg.Trigger)
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	tmpl, err := cfn.Load(cfg.Template)
	if err != nil {
		return nil, err
	}
	stack, err := cfn.Read(tmpl, cfn.Options{BucketName: cfg.BucketName})
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", cfg.Template, err)
	}
	c := &Cloud{
		cfg:         cfg,
		stack:       stack,
		events:      &s3events.Builder{Region: cfn.Region, Account: cfn.AccountID, Keys: cfg.KeyEncoding},
		failures:    &invoker.FailureQueue{Dir: filepath.Join(cfg.StateDir, "failures", failureFolder(stack))},
		ready:       make(chan struct{}),
		writes:      map[string]int{},
		evaluated:   map[string]int{},
		matched:     map[string]int{},
		invocations: map[string][]invoker.Invocation{},
		delivered:   map[string][]s3events.Event{},
	}
	c.trigger.state = cfg.Trigger
	c.sync = &syncRuntime{c: c}
	lambdaAPI, err := c.newLambdaAPI()
	if err != nil {
		return nil, err
	}
	if c.batch, err = c.newBatchAPI(); err != nil {
		return nil, err
	}
	c.s3, err = s3server.Start(s3server.Config{
		Addr:       cfg.Addr,
		Dir:        filepath.Join(cfg.StateDir, "s3"),
		Versioning: cfg.Versioning,
		Buckets:    []string{stack.Bucket.Name},
		OnChange:   c.route,
		OnError:    func(err error) { c.log("[local cloud] " + err.Error()) },
		Wrap:       func(h http.Handler) http.Handler { return c.batch.Beside(lambdaAPI.Beside(h)) },
	})
	if err != nil {
		return nil, err
	}
	pool, err := invoker.New(c.poolConfig())
	if err != nil {
		close(c.ready) // events already routed are reported as undelivered
		return nil, errors.Join(err, c.s3.Close(context.Background()))
	}
	c.pool = pool
	close(c.ready)
	return c, nil
}

// failureFolder names the local on-failure destination after the template's.
func failureFolder(st *cfn.Stack) string {
	if d := st.Function.Async.OnFailure.LogicalID; d != "" {
		return d
	}
	return "no-destination"
}

func (c *Cloud) poolConfig() invoker.Config {
	fn := c.stack.Function
	runtimes := make([]invoker.Runtime, fn.Concurrency())
	for i := range runtimes {
		runtimes[i] = c.newRuntime(fmt.Sprint(i + 1))
	}
	note := ""
	if fn.Async.OnFailure.LogicalID == "" {
		note = "the template has no on-failure destination: Lambda would discard this event"
	}
	return invoker.Config{
		Runtimes: runtimes, Retries: fn.Async.MaximumRetryAttempts, MaxEventAge: fn.Async.MaximumEventAge,
		RetryDelay: c.cfg.RetryDelay, Failures: c.failures, DestinationNote: note,
		Pending:     &invoker.PendingEvents{Dir: filepath.Join(c.cfg.StateDir, QueueFolder)},
		FunctionARN: c.FunctionARN(),
		MemoryMB:    fn.MemoryMB, Log: c.log, OnInvocation: c.recordInvocation,
	}
}

// functionEnv is what Lambda would give the function, pointed at the local S3 API.
func (c *Cloud) functionEnv() map[string]string {
	fn := c.stack.Function
	env := map[string]string{}
	for k, v := range fn.Environment {
		env[k] = v
	}
	env["AWS_REGION"] = cfn.Region
	env["AWS_DEFAULT_REGION"] = cfn.Region
	env["AWS_ACCESS_KEY_ID"] = "local"
	env["AWS_SECRET_ACCESS_KEY"] = "local"
	env["AWS_ENDPOINT_URL_S3"] = c.s3.URL()
	env[contract.EnvS3PathStyle] = "true"
	if fn.LogFormat != "" {
		env["AWS_LAMBDA_LOG_FORMAT"] = strings.ToUpper(fn.LogFormat)
	}
	if fn.ApplicationLogLevel != "" {
		env["AWS_LAMBDA_LOG_LEVEL"] = fn.ApplicationLogLevel
	}
	for k, v := range c.cfg.FunctionEnv {
		env[k] = v
	}
	return env
}

// route counts an S3 change and, when the trigger lets it, delivers its event. It
// waits for Start to finish, as a write can arrive as soon as the S3 API listens.
func (c *Cloud) route(ch s3server.Change) {
	<-c.ready
	if ch.Created {
		c.mu.Lock()
		c.writes[ch.Key]++
		c.mu.Unlock()
	}
	if c.trigger.admit(ch) {
		c.deliver(ch)
	}
}

// deliver turns an S3 change into an event and sends it to every rule that matches.
func (c *Cloud) deliver(ch s3server.Change) {
	if c.pool == nil {
		c.log(fmt.Sprintf("[local cloud] event for s3://%s/%s not delivered: the function did not start", ch.Bucket, ch.Key))
		return
	}
	ev := c.events.Build(ch)
	payload, err := ev.JSON()
	if err != nil {
		c.log(fmt.Sprintf("[local cloud] event for s3://%s/%s: %v", ch.Bucket, ch.Key, err))
		return
	}
	var decoded map[string]any
	if err := json.Unmarshal(payload, &decoded); err != nil {
		c.log(fmt.Sprintf("[local cloud] event for s3://%s/%s: %v", ch.Bucket, ch.Key, err))
		return
	}
	matches := 0
	for _, rule := range c.stack.Rules {
		if !rule.Pattern.MatchValue(decoded) {
			continue
		}
		matches++
		if _, err := c.pool.Submit(invoker.Event{Payload: payload, Key: ch.Key, Received: ch.Time}); err != nil {
			c.log(fmt.Sprintf("[local cloud] %s event for s3://%s/%s not delivered by rule %s: %v", ev.DetailType, ch.Bucket, ch.Key, rule.LogicalID, err))
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evaluated[ch.Key]++
	c.matched[ch.Key] += matches
	c.delivered[ch.Key] = append(c.delivered[ch.Key], ev)
}

func (c *Cloud) recordInvocation(inv invoker.Invocation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invocations[inv.Key] = append(c.invocations[inv.Key], inv)
}

// log writes one line to Out (and OnLog), whole, whoever calls.
func (c *Cloud) log(line string) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	// Out is the user's terminal or a test buffer; a failed write has no one to go to.
	_, _ = io.WriteString(c.cfg.Out, line+"\n")
	if c.cfg.OnLog != nil {
		c.cfg.OnLog(line)
	}
}

// URL is the S3 endpoint, e.g. http://127.0.0.1:4566.
func (c *Cloud) URL() string { return c.s3.URL() }

// Bucket is the name of the stack's bucket.
func (c *Cloud) Bucket() string { return c.stack.Bucket.Name }

// Stack is what the cloud runs, as read from the template.
func (c *Cloud) Stack() *cfn.Stack { return c.stack }

// Failures is the local on-failure destination.
func (c *Cloud) Failures() *invoker.FailureQueue { return c.failures }

// InjectFault makes the S3 API fail matching requests until the returned function runs.
func (c *Cloud) InjectFault(f s3server.Fault) (remove func()) { return c.s3.InjectFault(f) }

// WaitIdle waits until every event has been handled: invoked successfully, or written to
// the failure queue after its retries.
func (c *Cloud) WaitIdle(ctx context.Context) error { return c.pool.WaitIdle(ctx) }

// Writes is how many times key was written through the S3 API.
func (c *Cloud) Writes(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes[key]
}

// Evaluated is how many events for key were matched against the rules.
func (c *Cloud) Evaluated(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evaluated[key]
}

// Events returns the events built for key's changes and matched against the rules, in
// order.
func (c *Cloud) Events(key string) []s3events.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]s3events.Event(nil), c.delivered[key]...)
}

// Matched is how many rule matches the events for key had; each is one asynchronous
// invocation.
func (c *Cloud) Matched(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.matched[key]
}

// Invocations returns every attempt made for events of key, in order.
func (c *Cloud) Invocations(key string) []invoker.Invocation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]invoker.Invocation(nil), c.invocations[key]...)
}

// InvokedKeys lists the keys the function was invoked for.
func (c *Cloud) InvokedKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.invocations))
	for k := range c.invocations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Summary describes the running cloud in a few lines, for its start-up message.
func (c *Cloud) Summary() string {
	fn := c.stack.Function
	var b strings.Builder
	objects := "objects in " + filepath.Join(c.cfg.StateDir, "s3")
	if c.cfg.Versioning {
		objects = "objects in memory, lost on stop; bucket versioning available"
	}
	fmt.Fprintf(&b, "S3 API     %s  (path-style, region %s, any credentials; bucket %s; %s)\n",
		c.URL(), cfn.Region, c.Bucket(), objects)
	for _, r := range c.stack.Rules {
		fmt.Fprintf(&b, "rule       %s  %s\n", r.LogicalID, r.Pattern)
	}
	fmt.Fprintf(&b, "function   %s  memory %d MB, timeout %v, concurrency %d, %d retries, max event age %v\n",
		fn.LogicalID, fn.MemoryMB, fn.Timeout, fn.Concurrency(), fn.Async.MaximumRetryAttempts, fn.Async.MaximumEventAge)
	fmt.Fprintf(&b, "invoke     POST %s%s%s/invocations  (Lambda Invoke API; function name %s or ARN %s)\n",
		c.URL(), lambdaapi.PathPrefix, c.FunctionName(), c.FunctionName(), c.FunctionARN())
	fmt.Fprintf(&b, "jobs       %s%s  (S3 Control CreateJob and DescribeJob: S3 Batch Operations jobs invoking the function; account %s)\n",
		c.URL(), s3control.PathPrefix, cfn.AccountID)
	fmt.Fprintf(&b, "failures   %s\n", c.failures.Dir)
	return b.String()
}

// Close stops invoking the function, letting invocations in progress finish while the S3
// API still serves them, then stops the S3 API and the environments. Events not yet
// delivered, including those of writes that arrive meanwhile, stay queued in StateDir
// for the next start.
func (c *Cloud) Close(ctx context.Context) error {
	batchErr := c.closeBatch()
	poolErr := c.pool.Close()
	s3Err := c.s3.Close(ctx)
	return errors.Join(s3Err, poolErr, c.sync.Close(), batchErr)
}
