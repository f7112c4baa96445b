package localcloud

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3control"
)

// newBatchAPI returns S3 Control's job API for S3 Batch Operations jobs that invoke the
// template's function, served beside the S3 API on the same address. Jobs read their
// manifests and write their reports through the S3 API, as any client, so those writes
// become events like any other; their invocations run in execution environments of
// their own, as many as the function's concurrency, made on the first job.
func (c *Cloud) newBatchAPI() (*s3control.API, error) {
	c.batchEnvs = &batchRuntimes{c: c}
	return s3control.New(s3control.Config{
		Account: cfn.AccountID, Partition: cfn.Partition, Region: cfn.Region,
		FunctionARN: c.FunctionARN(), FunctionName: c.FunctionName(),
		Store:       &lazyStore{c: c},
		Invoker:     c.batchEnvs,
		Concurrency: c.stack.Function.Concurrency(),
		RetryDelay:  c.cfg.RetryDelay,
		Log:         c.log,
	})
}

// lazyStore is an S3 client of the local cloud's own S3 API, made on first use (the
// address is known only once the API listens).
type lazyStore struct {
	c      *Cloud
	once   sync.Once
	client *s3.Client
}

func (l *lazyStore) get() *s3.Client {
	l.once.Do(func() { l.client = s3client.New(l.c.URL()) })
	return l.client
}

// GetObject reads an object through the local S3 API.
func (l *lazyStore) GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	return l.get().GetObject(ctx, in, opts...)
}

// PutObject writes an object through the local S3 API.
func (l *lazyStore) PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	return l.get().PutObject(ctx, in, opts...)
}

// batchRuntimes are the execution environments of Batch Operations invocations.
type batchRuntimes struct {
	c    *Cloud
	once sync.Once
	mu   sync.Mutex
	all  []*emulator.Instance
	free chan *emulator.Instance
}

// Invoke runs one synchronous invocation in a free environment, printing its REPORT line.
func (b *batchRuntimes) Invoke(ctx context.Context, payload []byte) ([]byte, string, error) {
	<-b.c.ready
	if b.c.pool == nil {
		return nil, "", errNotStarted
	}
	b.once.Do(func() {
		n := b.c.stack.Function.Concurrency()
		b.free = make(chan *emulator.Instance, n)
		b.mu.Lock()
		defer b.mu.Unlock()
		for i := range n {
			env := b.c.newRuntime("batch-" + strconv.Itoa(i+1))
			b.all = append(b.all, env)
			b.free <- env
		}
	})
	var env *emulator.Instance
	select {
	case env = <-b.free:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	defer func() { b.free <- env }()
	res, err := env.Invoke(ctx, uuid.NewString(), payload)
	if err != nil {
		return nil, "", err
	}
	b.c.log(invoker.ReportLine(res, "(S3 Batch Operations)", b.c.stack.Function.MemoryMB))
	if res.Failed() {
		return nil, res.ErrorType + ": " + res.ErrorMessage, nil
	}
	return res.Payload, "", nil
}

// Close stops the environments made.
func (b *batchRuntimes) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var first error
	for _, env := range b.all {
		if err := env.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// closeBatch stops the running jobs, then their environments.
func (c *Cloud) closeBatch() error {
	if c.batch == nil {
		return nil
	}
	return errors.Join(c.batch.Close(), c.batchEnvs.Close())
}
