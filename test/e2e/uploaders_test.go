package e2e

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// upload is the outcome of one object's upload.
type upload struct {
	key string
	// done is when the upload returned; err is nil when the S3 API accepted it.
	done time.Time
	err  error
}

// uploadPlan says what parallel clients upload and how hard they retry.
type uploadPlan struct {
	endpoint, bucket string
	keys             []string
	body             []byte
	contentType      string
	// clients is how many clients upload at once, each with its own S3 client.
	clients int
	// maxAttempts and maxBackoff tune each client's standard SDK retryer (exponential
	// backoff with jitter). Zero keeps the SDK's defaults.
	maxAttempts int
	maxBackoff  time.Duration
	// pause is how long each client waits after each upload, spreading the run over time.
	pause time.Duration
	// accepted, when set, sees each accepted upload as it returns, from the clients'
	// goroutines.
	accepted func(upload)
	// bodyOf and contentTypeOf, when set, give each key its own body and Content-Type
	// instead of body and contentType; beforeUpload, when set, sees each key just before
	// its upload starts.
	bodyOf        func(key string) []byte
	contentTypeOf func(key string) string
	beforeUpload  func(key string)
}

// uploadParallel uploads every key of the plan, the clients taking the keys in order,
// and returns the outcomes in the order of the keys. A failed attempt (503, a reset
// connection, a refused one) is retried by the SDK as the plan's retryer says; only an
// upload whose retries all failed has an error.
func uploadParallel(ctx context.Context, plan uploadPlan) []upload {
	out := make([]upload, len(plan.keys))
	next := make(chan int)
	var wg sync.WaitGroup
	for range plan.clients {
		client := retryingClient(plan)
		wg.Go(func() {
			for i := range next {
				key := plan.keys[i]
				body, contentType := plan.body, plan.contentType
				if plan.bodyOf != nil {
					body, contentType = plan.bodyOf(key), plan.contentTypeOf(key)
				}
				if plan.beforeUpload != nil {
					plan.beforeUpload(key)
				}
				_, err := client.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(plan.bucket), Key: aws.String(key),
					Body: bytes.NewReader(body), ContentType: aws.String(contentType),
				})
				out[i] = upload{key: key, done: time.Now(), err: err}
				if err == nil && plan.accepted != nil {
					plan.accepted(out[i])
				}
				time.Sleep(plan.pause)
			}
		})
	}
	for i := range plan.keys {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// retryingClient is an S3 client of the local cloud with the plan's retryer.
func retryingClient(plan uploadPlan) *s3.Client {
	base := s3client.New(plan.endpoint)
	return s3.New(base.Options(), func(o *s3.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			if plan.maxAttempts > 0 {
				so.MaxAttempts = plan.maxAttempts
			}
			if plan.maxBackoff > 0 {
				so.MaxBackoff = plan.maxBackoff
			}
		})
	})
}

// acceptedKeys lists the keys whose upload was accepted.
func acceptedKeys(uploads []upload) []string {
	var keys []string
	for _, u := range uploads {
		if u.err == nil {
			keys = append(keys, u.key)
		}
	}
	return keys
}
