package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

func TestDeletingOddKeysDeletesTheirThumbnails(t *testing.T) {
	e := start(t, cloudOptions{})
	for i, key := range oddKeys {
		e.put(key, smallPNG(t, i), "image/png")
	}
	e.wait()
	e.checkUpToDate(oddKeys...)
	for _, key := range oddKeys {
		e.delete(key)
	}
	e.wait()
	for key := range e.list() {
		t.Errorf("%q is left in the bucket", key)
	}
	for _, key := range oddKeys {
		if n := len(e.cloud.Invocations(key)); n != 2 {
			t.Errorf("%q: %d invocations, want 2 (created, deleted)", key, n)
		}
	}
}

// TestLateDeleteEventAfterReupload deletes an original and uploads it again before the
// function sees the delete: the function finds the original back and keeps the
// thumbnail, which the re-upload's event brings up to date.
func TestLateDeleteEventAfterReupload(t *testing.T) {
	tests := []struct {
		name string
		// deleteAndReupload deletes key, uploads data under it again, and has the delete
		// event reach the function only after the upload.
		deleteAndReupload func(e *env, key string, data []byte)
	}{
		{"delete event held until after the upload", func(e *env, key string, data []byte) {
			e.cloud.SetTrigger(localcloud.TriggerHeld)
			e.delete(key)
			e.put(key, data, "image/png")
			e.cloud.SetTrigger(localcloud.TriggerOn)
			e.wait()
		}},
		{"delete event sent through the Invoke API after the upload", func(e *env, key string, data []byte) {
			e.cloud.SetTrigger(localcloud.TriggerOff)
			e.delete(key)
			e.cloud.SetTrigger(localcloud.TriggerOn)
			e.put(key, data, "image/png")
			e.wait()
			out := e.invoke(lambdatypes.InvocationTypeRequestResponse, e.deleteEvent(key, s3server.DeletionPermanent, ""))
			if out.FunctionError != nil {
				e.t.Fatalf("the late delete event failed: %s", out.Payload)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t, cloudOptions{})
			key := "raced/a photo+1.png"
			e.put(key, smallPNG(t, 1), "image/png")
			e.wait()
			first, _ := e.get(e.prefix + key)

			tt.deleteAndReupload(e, key, smallPNG(t, 2))

			e.checkUpToDate(key)
			if now, _ := e.get(e.prefix + key); now.etag == first.etag {
				t.Errorf("the thumbnail is still the first upload's")
			}
			if skips := e.skipsOf(key); !strings.Contains(skips, handler.SkipStillExists) {
				t.Errorf("the function's skips for %q: %q, want %q for the late delete", key, skips, handler.SkipStillExists)
			}
		})
	}
}

// TestVersionedDeletes deletes originals in a versioned bucket on a local cloud whose
// S3 API keeps versions: a delete without a version ID leaves a delete marker, S3 sends
// "Object Deleted" with deletion-type "Delete Marker Created" and the thumbnail goes; a
// delete of an older version sends "Permanently Deleted" for that version, the current
// version still exists and the thumbnail stays.
func TestVersionedDeletes(t *testing.T) {
	tests := []struct {
		name string
		// act uploads and deletes versions of key and returns the version ID of the
		// deletion's event.
		act              func(e *env, key string) (deletedVersion string)
		wantDeletionType string
		wantThumbnail    bool
	}{
		{"delete without version ID leaves a delete marker", func(e *env, key string) string {
			e.putVersion(key, smallPNG(e.t, 3))
			e.wait()
			e.thumbnail(key)
			out := e.deleteVersion(key, "")
			if !aws.ToBool(out.DeleteMarker) || aws.ToString(out.VersionId) == "" {
				e.t.Fatalf("delete of %q: marker %v, version %q; want a delete marker", key, aws.ToBool(out.DeleteMarker), aws.ToString(out.VersionId))
			}
			e.wait()
			return aws.ToString(out.VersionId)
		}, s3server.DeletionMarkerCreated, false},
		{"delete of an older version keeps the current one", func(e *env, key string) string {
			v1 := e.putVersion(key, smallPNG(e.t, 4))
			e.wait()
			v2 := e.putVersion(key, smallPNG(e.t, 5))
			e.wait()
			e.checkUpToDate(key)
			out := e.deleteVersion(key, v1)
			if aws.ToBool(out.DeleteMarker) {
				e.t.Fatalf("delete of version %s of %q left a delete marker", v1, key)
			}
			e.wait()
			if got := e.currentVersion(key); got != v2 {
				e.t.Fatalf("current version of %q is %q after deleting %s, want %s", key, got, v1, v2)
			}
			return v1
		}, s3server.DeletionPermanent, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t, cloudOptions{versioned: true})
			_, err := e.client.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{
				Bucket:                  aws.String(e.cloud.Bucket()),
				VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
			})
			if err != nil {
				t.Fatalf("turning versioning on: %v", err)
			}
			key := "versioned/ünï photo+1.png"

			version := tt.act(e, key)

			events := e.cloud.Events(key)
			if len(events) == 0 {
				t.Fatalf("no events for %q", key)
			}
			last := events[len(events)-1]
			if last.DetailType != s3events.ObjectDeleted || last.Detail.DeletionType != tt.wantDeletionType || last.Detail.Object.VersionID != version {
				t.Errorf("last event: %s, deletion-type %q, version-id %q; want %s, %q, %q",
					last.DetailType, last.Detail.DeletionType, last.Detail.Object.VersionID, s3events.ObjectDeleted, tt.wantDeletionType, version)
			}
			for _, ev := range events[:len(events)-1] {
				if ev.DetailType != s3events.ObjectCreated || ev.Detail.Object.VersionID == "" {
					t.Errorf("upload event: %s with version-id %q, want %s with one", ev.DetailType, ev.Detail.Object.VersionID, s3events.ObjectCreated)
				}
			}
			invs := e.cloud.Invocations(key)
			if len(invs) != len(events) || invs[len(invs)-1].Result.Failed() {
				t.Fatalf("invocations %+v, want one success per event (%d)", invs, len(events))
			}
			if _, ok := e.get(e.prefix + key); ok != tt.wantThumbnail {
				t.Errorf("thumbnail exists: %v, want %v", ok, tt.wantThumbnail)
			}
			if tt.wantThumbnail {
				e.checkUpToDate(key)
				if skips := e.skipsOf(key); !strings.Contains(skips, handler.SkipStillExists) {
					t.Errorf("the function's skips for %q: %q, want %q", key, skips, handler.SkipStillExists)
				}
			}
		})
	}
}

// putVersion uploads data as a PNG under key and returns the version ID S3 gave it.
func (e *env) putVersion(key string, data []byte) string {
	e.t.Helper()
	out, err := e.client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key), Body: bytes.NewReader(data), ContentType: aws.String("image/png"),
	})
	if err != nil {
		e.t.Fatalf("put %s: %v", key, err)
	}
	if aws.ToString(out.VersionId) == "" {
		e.t.Fatalf("put %s: no version ID in a versioned bucket", key)
	}
	return aws.ToString(out.VersionId)
}

// deleteVersion deletes key, or one version of it when version is not empty.
func (e *env) deleteVersion(key, version string) *s3.DeleteObjectOutput {
	e.t.Helper()
	in := &s3.DeleteObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	out, err := e.client.DeleteObject(context.Background(), in)
	if err != nil {
		e.t.Fatalf("delete %s (version %q): %v", key, version, err)
	}
	return out
}

// currentVersion is the version ID of key's current version.
func (e *env) currentVersion(key string) string {
	e.t.Helper()
	out, err := e.client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key)})
	if err != nil {
		e.t.Fatalf("head %s: %v", key, err)
	}
	return aws.ToString(out.VersionId)
}

// deleteEvent is the "Object Deleted" event S3 sends to EventBridge for key, built by
// the local cloud's own event builder, with the given deletion type and version ID.
func (e *env) deleteEvent(key, deletionType, versionID string) []byte {
	e.t.Helper()
	builder := s3events.Builder{Region: cfn.Region, Account: cfn.AccountID}
	ev := builder.Build(s3server.Change{
		Reason: s3server.ReasonDelete, Bucket: e.cloud.Bucket(), Key: key, VersionID: versionID,
		DeletionType: deletionType, RequestID: "E2ETESTREQUEST01", SourceIP: "127.0.0.1", Time: time.Now(),
	})
	payload, err := ev.JSON()
	if err != nil {
		e.t.Fatal(err)
	}
	return payload
}

// invoke calls the function through the local cloud's Invoke API with the SDK.
func (e *env) invoke(kind lambdatypes.InvocationType, payload []byte) *lambda.InvokeOutput {
	e.t.Helper()
	out, err := e.lambdaClient().Invoke(context.Background(), &lambda.InvokeInput{
		FunctionName: aws.String(e.cloud.FunctionName()), InvocationType: kind, Payload: payload,
	})
	if err != nil {
		e.t.Fatalf("invoke %s: %v", kind, err)
	}
	return out
}

// skipsOf lists the skip reasons the function logged for key: under its decoded reading, or
// found under its raw one (a raw event key such as "a photo+1.png" reads "a photo 1.png" first).
func (e *env) skipsOf(key string) string {
	var skips []string
	for _, line := range e.logs.all() {
		var fields map[string]any
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &fields) != nil {
			continue
		}
		if fields[handler.FieldKey] != key && fields[handler.FieldFoundAs] != key {
			continue
		}
		if skip, ok := fields[handler.FieldSkip].(string); ok {
			skips = append(skips, skip)
		}
	}
	return strings.Join(skips, ", ")
}
