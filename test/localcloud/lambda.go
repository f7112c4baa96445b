package localcloud

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/lambdaapi"
)

// errNotStarted answers invocations that arrive when the function failed to start.
var errNotStarted = errors.New("the function did not start")

// newRuntime returns an execution environment of the function, started on first use.
func (c *Cloud) newRuntime(label string) *emulator.Instance {
	fn := c.stack.Function
	return emulator.New(emulator.Config{
		RIE: c.cfg.RIE, Bootstrap: c.cfg.Bootstrap, FunctionName: fn.Name,
		MemoryMB: fn.MemoryMB, Timeout: fn.Timeout, Env: c.functionEnv(), Logs: c.log, Label: label,
	})
}

// function is the function as Lambda names it.
func (c *Cloud) function() lambdaapi.Function {
	return lambdaapi.Function{Name: c.stack.Function.Name, Partition: cfn.Partition, Region: cfn.Region, Account: cfn.AccountID}
}

// FunctionName is the name the Invoke API answers to (its ARN works too).
func (c *Cloud) FunctionName() string { return c.stack.Function.Name }

// FunctionARN is the function's ARN.
func (c *Cloud) FunctionARN() string { return c.function().ARN() }

// newLambdaAPI returns Lambda's Invoke API for the template's function, served beside
// the S3 API on the same address. The function answers to the name the template gives
// it: its FunctionName, or its logical ID when CloudFormation would generate the name.
// Asynchronous (Event) invocations join the pool that the rules' events go through;
// synchronous ones run in an execution environment of their own, one at a time. The API
// can be served before Start has finished: invocations wait for the pool.
func (c *Cloud) newLambdaAPI() (*lambdaapi.API, error) {
	return lambdaapi.New(lambdaapi.Config{
		Function:     c.function(),
		Queue:        asyncQueue{c},
		Runtime:      c.sync,
		MemoryMB:     c.stack.Function.MemoryMB,
		Log:          c.log,
		OnInvocation: c.recordInvocation,
	})
}

// asyncQueue hands asynchronous invocations to the pool once Start has made it.
type asyncQueue struct{ c *Cloud }

// Submit queues the event as the rules' events are queued.
func (q asyncQueue) Submit(ev invoker.Event) (string, error) {
	<-q.c.ready
	if q.c.pool == nil {
		return "", errNotStarted
	}
	return q.c.pool.Submit(ev)
}

// syncRuntime is the execution environment of synchronous invocations, made on the
// first one (the function's environment names the S3 API's address, known only once
// it listens).
type syncRuntime struct {
	c    *Cloud
	once sync.Once
	mu   sync.Mutex
	env  *emulator.Instance
}

// Invoke runs one synchronous invocation.
func (s *syncRuntime) Invoke(ctx context.Context, requestID string, payload []byte) (emulator.Result, error) {
	<-s.c.ready
	if s.c.pool == nil {
		return emulator.Result{}, errNotStarted
	}
	s.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.env = s.c.newRuntime("sync")
	})
	return s.env.Invoke(ctx, requestID, payload)
}

// Close stops the environment, if one was made.
func (s *syncRuntime) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.env == nil {
		return nil
	}
	if err := s.env.Close(); err != nil {
		return fmt.Errorf("synchronous invocations' environment: %w", err)
	}
	return nil
}
