package s3server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// startVersioned starts a server on the in-memory backend, with versioning on for bucket.
func startVersioned(t *testing.T) (*Server, *recorded, *s3.Client) {
	t.Helper()
	var rec *recorded
	// Registered first, so it runs after the server has closed.
	t.Cleanup(func() {
		if len(rec.errs) > 0 {
			t.Errorf("errors reported: %v", rec.errs)
		}
	})
	s, rec := startWith(t, Config{Versioning: true})
	c := s3client.New(s.URL())
	if err := enableVersioning(context.Background(), c); err != nil {
		t.Fatalf("turning versioning on: %v", err)
	}
	return s, rec, c
}

func enableVersioning(ctx context.Context, c *s3.Client) error {
	_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
	})
	return err
}

func TestVersioningNeedsTheMemoryBackend(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		wantError string // S3 error code; empty: accepted
	}{
		{"bbolt file refuses", Config{Dir: t.TempDir()}, "NotImplemented"},
		{"memory accepts", Config{Versioning: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Addr, cfg.Buckets, cfg.OnChange = "127.0.0.1:0", []string{bucket}, func(Change) {}
			s, err := Start(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := s.Close(context.Background()); err != nil {
					t.Error(err)
				}
			}()
			err = enableVersioning(context.Background(), s3client.New(s.URL()))
			var apiErr smithy.APIError
			switch {
			case tt.wantError == "" && err != nil:
				t.Errorf("turning versioning on: %v", err)
			case tt.wantError != "" && (!errors.As(err, &apiErr) || apiErr.ErrorCode() != tt.wantError):
				t.Errorf("turning versioning on: %v, want %s", err, tt.wantError)
			}
		})
	}
}

// versioned keeps the fields of a change in a versioned bucket that a test can predict.
type versioned struct {
	Created      bool
	Key          string
	VersionID    string
	DeletionType string
}

func TestVersionedChanges(t *testing.T) {
	_, rec, c := startVersioned(t)
	ctx := context.Background()
	b := aws.String(bucket)
	ids := map[string]string{} // version IDs the SDK was given, by name

	// putAs writes key and remembers the version ID S3 answered with under name.
	putAs := func(name, key, body string) error {
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(key), Body: strings.NewReader(body)})
		if err == nil {
			ids[name] = aws.ToString(out.VersionId)
		}
		return err
	}
	tests := []struct {
		name string
		do   func() error
		// want is given the version IDs seen so far.
		want func() []versioned
	}{
		{"put", func() error { return putAs("v1", "a.jpg", "one") },
			func() []versioned { return []versioned{{true, "a.jpg", ids["v1"], ""}} }},
		{"put again", func() error { return putAs("v2", "a.jpg", "two") },
			func() []versioned { return []versioned{{true, "a.jpg", ids["v2"], ""}} }},
		{"copy carries the new version", func() error {
			if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("b.jpg"), CopySource: aws.String(bucket + "/a.jpg")}); err != nil {
				return err
			}
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("b.jpg")})
			ids["copy"] = aws.ToString(head.VersionId)
			return err
		}, func() []versioned { return []versioned{{true, "b.jpg", ids["copy"], ""}} }},
		{"delete an old version", func() error {
			out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("a.jpg"), VersionId: aws.String(ids["v1"])})
			if err == nil && aws.ToBool(out.DeleteMarker) {
				err = errors.New("deleting a version left a delete marker")
			}
			return err
		}, func() []versioned { return []versioned{{false, "a.jpg", ids["v1"], DeletionPermanent}} }},
		{"delete without version", func() error {
			out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("a.jpg")})
			if err == nil && !aws.ToBool(out.DeleteMarker) {
				err = errors.New("no delete marker")
			}
			if err == nil {
				ids["marker"] = aws.ToString(out.VersionId)
			}
			return err
		}, func() []versioned { return []versioned{{false, "a.jpg", ids["marker"], DeletionMarkerCreated}} }},
		{"delete the delete marker", func() error {
			_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("a.jpg"), VersionId: aws.String(ids["marker"])})
			return err
		}, func() []versioned { return []versioned{{false, "a.jpg", ids["marker"], DeletionPermanent}} }},
		{"delete many", func() error {
			_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{
				Quiet:   aws.Bool(true),
				Objects: []types.ObjectIdentifier{{Key: aws.String("b.jpg")}, {Key: aws.String("a.jpg"), VersionId: aws.String(ids["v2"])}},
			}})
			return err
		}, func() []versioned {
			return []versioned{{false, "b.jpg", "", DeletionMarkerCreated}, {false, "a.jpg", ids["v2"], DeletionPermanent}}
		}},
	}
	for _, tt := range tests {
		if err := tt.do(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []versioned
		for _, ch := range rec.take() {
			got = append(got, versioned{ch.Created, ch.Key, ch.VersionID, ch.DeletionType})
		}
		want := tt.want()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: changes %+v, want %+v", tt.name, got, want)
		}
		for _, w := range want {
			if w.VersionID == "" && w.DeletionType != DeletionMarkerCreated {
				t.Errorf("%s: S3 gave %s no version ID", tt.name, w.Key)
			}
		}
	}
	if ids["v1"] == ids["v2"] || ids["v2"] == ids["copy"] {
		t.Errorf("version IDs repeat: %v", ids)
	}
}
