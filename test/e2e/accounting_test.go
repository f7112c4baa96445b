package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"io"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// accounts is what became of a set of uploads.
type accounts struct {
	// thumbnailed keys have a 128x128 thumbnail; recorded keys have none but a failure
	// record saying why.
	thumbnailed, recorded []string
	records               map[string]invoker.FailureRecord
}

// bucketView is where a test reads what became of uploads: the S3 API, the function's
// output prefix and the failure queue.
type bucketView struct {
	client         *s3.Client
	bucket, prefix string
	failures       *invoker.FailureQueue
}

// viewOf reads through cloud.
func viewOf(cloud *localcloud.Cloud) bucketView {
	return bucketView{client: s3client.New(cloud.URL()), bucket: cloud.Bucket(),
		prefix: cloud.Stack().Function.Environment[contract.EnvOutputPrefix], failures: cloud.Failures()}
}

// accountForEveryUpload checks that each key has a 128x128 thumbnail or, failing that, a
// failure record that says why: none is missing. It reads through the S3 API, so call it
// once the faults are removed.
func accountForEveryUpload(t *testing.T, v bucketView, keys []string) accounts {
	t.Helper()
	a := accounts{records: recordsByKey(t, v.failures)}
	for _, key := range keys {
		ok, err := hasThumbnail(v.client, v.bucket, v.prefix+key)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if ok {
			a.thumbnailed = append(a.thumbnailed, key)
			continue
		}
		rec, found := a.records[key]
		if !found {
			t.Errorf("%s: no thumbnail and no failure record", key)
			continue
		}
		if why := failureReason(rec); why == "" {
			t.Errorf("%s: failure record %+v does not say why", key, rec.RequestContext)
		}
		a.recorded = append(a.recorded, key)
	}
	return a
}

// hasThumbnail reports whether key holds a 128x128 image.
func hasThumbnail(client *s3.Client, bucket, key string) (bool, error) {
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	data, readErr := io.ReadAll(out.Body)
	if err := errors.Join(readErr, out.Body.Close()); err != nil {
		return false, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return false, err
	}
	if cfg.Width != 128 || cfg.Height != 128 {
		return false, errors.New("thumbnail is not 128x128")
	}
	return true, nil
}

// recordsByKey reads the failure queue and files each record under its event's object key.
func recordsByKey(t *testing.T, failures *invoker.FailureQueue) map[string]invoker.FailureRecord {
	t.Helper()
	records, err := failures.Records()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]invoker.FailureRecord{}
	for _, rec := range records {
		var event struct {
			Detail struct {
				Object struct{ Key string } `json:"object"`
			} `json:"detail"`
		}
		if err := json.Unmarshal(rec.RequestPayload, &event); err != nil {
			t.Fatalf("failure record %s: %v", rec.RequestContext.RequestID, err)
		}
		key, err := url.QueryUnescape(event.Detail.Object.Key) // keys arrive form-URL-encoded
		if err != nil {
			t.Fatalf("failure record %s: key %q: %v", rec.RequestContext.RequestID, event.Detail.Object.Key, err)
		}
		out[key] = rec
	}
	return out
}

// failureReason is what a record says about why its event failed: the condition and, for
// a function error, the error's message. Empty when it says nothing.
func failureReason(rec invoker.FailureRecord) string {
	if rec.RequestContext.Condition == invoker.ConditionEventAgeExceeded {
		return rec.RequestContext.Condition
	}
	var doc struct{ ErrorMessage, ErrorType string }
	if rec.RequestContext.Condition == "" || json.Unmarshal(rec.ResponsePayload, &doc) != nil || doc.ErrorMessage == "" {
		return ""
	}
	return rec.RequestContext.Condition + ": " + doc.ErrorType + ": " + doc.ErrorMessage
}
