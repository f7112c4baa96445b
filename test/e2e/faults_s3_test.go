package e2e

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// TestS3FaultsLoseNoUpload uploads images while a fifth of the S3 API's requests (the
// clients' uploads and the function's reads and writes alike) answer 503 SlowDown, answer
// late or have their connection reset, chosen by fixed seeds. The clients retry with the
// SDK, so does the function's S3 client, and Lambda's retries come after that. Once the
// faults stop, every accepted upload has its thumbnail or a failure record saying why.
func TestS3FaultsLoseNoUpload(t *testing.T) {
	const uploads = 100
	e := start(t, cloudOptions{})
	bucket := e.cloud.Bucket()

	// One image can never be read, so one upload must end in the failure queue.
	const doomed = "chaos/doomed.jpg"
	removals := []func(){e.cloud.InjectFault(s3server.Fault{Method: http.MethodGet, Bucket: bucket, Key: doomed,
		Status: http.StatusServiceUnavailable, Code: "SlowDown"})}
	chaos := []struct {
		name  string
		fault s3server.Fault
	}{
		{"503 SlowDown", s3server.Fault{Status: http.StatusServiceUnavailable, Code: "SlowDown", Share: 0.10, Seed: 1}},
		{"slow answer", s3server.Fault{Delay: 200 * time.Millisecond, Share: 0.05, Seed: 2}},
		{"connection reset", s3server.Fault{Reset: true, Share: 0.05, Seed: 3}},
	}
	strikes := make([]atomic.Int32, len(chaos))
	for i, c := range chaos {
		f := c.fault
		f.Bucket = bucket
		f.OnStrike = func() { strikes[i].Add(1) }
		removals = append(removals, e.cloud.InjectFault(f))
	}

	keys := append(loadKeys("chaos/", uploads), doomed)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	results := uploadParallel(ctx, uploadPlan{endpoint: e.cloud.URL(), bucket: bucket, keys: keys, body: tinyJPEG(t),
		contentType: "image/jpeg", clients: loadClients, maxAttempts: 10, maxBackoff: 200 * time.Millisecond})
	e.wait()
	for _, remove := range removals {
		remove()
	}

	accepted := acceptedKeys(results)
	for _, u := range results {
		if u.err != nil {
			t.Logf("%s not accepted after the SDK's retries: %v", u.key, u.err)
		}
	}
	a := accountForEveryUpload(t, viewOf(e.cloud), accepted)
	if !slices.Contains(accepted, doomed) {
		t.Errorf("%s was not accepted, so the failure-record path went untested", doomed)
	} else if !slices.Contains(a.recorded, doomed) {
		t.Errorf("%s, which can never be read, has no failure record", doomed)
	}
	for i, c := range chaos {
		if strikes[i].Load() == 0 {
			t.Errorf("no request met a %s: the run tested nothing of it", c.name)
		}
		t.Logf("%s: %d requests", c.name, strikes[i].Load())
	}
	t.Logf("%d uploads, %d accepted: %d thumbnails, %d failure records", len(keys), len(accepted), len(a.thumbnailed), len(a.recorded))
	for _, key := range a.recorded {
		t.Logf("%s: %s", key, failureReason(a.records[key]))
	}
}
