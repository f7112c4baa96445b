package handler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

func TestClassification(t *testing.T) {
	tests := []struct {
		name                string
		err                 error
		notFound, permanent bool
	}{
		{"nil", nil, false, false},
		{"NoSuchKey", opError("GetObject", errNoSuchKey()), true, false},
		{"NotFound", opError("HeadObject", errNotFound()), true, false},
		{"NoSuchKey wrapped again", fmt.Errorf("get s3://b/k: %w", opError("GetObject", errNoSuchKey())), true, false},
		{"SlowDown", opError("PutObject", errSlowDown()), false, false},
		{"503", opError("GetObject", errUnavailable()), false, false},
		{"AccessDenied", opError("GetObject", errAccessDenied()), false, false},
		{"network", opError("GetObject", errors.New("dial tcp 127.0.0.1:1: connect: connection refused")), false, false},
		{"deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), false, false},
		{"corrupt image", fmt.Errorf("thumbnail of s3://b/k: %w", &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "x"}), false, true},
		{"image too large", &thumbnail.Error{Kind: thumbnail.ErrTooLarge, Reason: "x"}, false, true},
		{"unsupported image", &thumbnail.Error{Kind: thumbnail.ErrUnsupported, Reason: "x"}, false, true},
		{"refused by the handler", fmt.Errorf("x: %w", permanent(errors.New("outside the output prefix"))), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isNotFound(tt.err); got != tt.notFound {
				t.Errorf("isNotFound = %v, want %v", got, tt.notFound)
			}
			if got := isPermanent(tt.err); got != tt.permanent {
				t.Errorf("isPermanent = %v, want %v", got, tt.permanent)
			}
		})
	}
}

// TestClassificationOfRealSDKErrors sends real SDK calls to a loopback server
// answering as S3 does, so the classification is checked on the error chains
// the SDK really builds, not only on the fake's imitations.
func TestClassificationOfRealSDKErrors(t *testing.T) {
	const errorXML = `<?xml version="1.0" encoding="UTF-8"?>` +
		`<Error><Code>%s</Code><Message>%s</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`
	tests := []struct {
		name     string
		op       string // "get" or "head"
		status   int
		body     string
		notFound bool
	}{
		{"GetObject NoSuchKey", "get", 404, fmt.Sprintf(errorXML, "NoSuchKey", "The specified key does not exist."), true},
		{"HeadObject 404 without body", "head", 404, "", true},
		{"GetObject NoSuchBucket", "get", 404, fmt.Sprintf(errorXML, "NoSuchBucket", "The specified bucket does not exist"), true},
		{"GetObject AccessDenied", "get", 403, fmt.Sprintf(errorXML, "AccessDenied", "Access Denied"), false},
		{"HeadObject 403 without body", "head", 403, "", false},
		{"GetObject SlowDown", "get", 503, fmt.Sprintf(errorXML, "SlowDown", "Please reduce your request rate."), false},
		{"GetObject InternalError", "get", 500, fmt.Sprintf(errorXML, "InternalError", "We encountered an internal error."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(tt.status)
				if r.Method != http.MethodHead {
					fmt.Fprint(w, tt.body)
				}
			}))
			defer srv.Close()
			client := s3.New(s3.Options{
				Region:           "us-east-1",
				BaseEndpoint:     aws.String(srv.URL),
				UsePathStyle:     true,
				Credentials:      aws.AnonymousCredentials{},
				RetryMaxAttempts: 1,
			})
			bucket, key := aws.String(testBucket), aws.String("photos/cat.jpg")
			var err error
			if tt.op == "get" {
				_, err = client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: bucket, Key: key})
			} else {
				_, err = client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: bucket, Key: key})
			}
			if err == nil {
				t.Fatal("the call succeeded")
			}
			if got := isNotFound(err); got != tt.notFound {
				t.Errorf("isNotFound(%v) = %v, want %v", err, got, tt.notFound)
			}
			if isPermanent(err) {
				t.Errorf("isPermanent(%v) = true: an S3 error is never permanent", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}
