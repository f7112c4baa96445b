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
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// TestClassification checks how each kind of failure is sorted: not found or
// not, permanent or worth a retry, and the reason its metrics carry.
func TestClassification(t *testing.T) {
	tests := []struct {
		name                string
		err                 error
		notFound, permanent bool
		reason              string // rejectReason when permanent, transientReason otherwise
	}{
		{"NoSuchKey", opError("GetObject", errNoSuchKey()), true, false, "NoSuchKey"},
		{"NotFound", opError("HeadObject", errNotFound()), true, false, "NotFound"},
		{"NoSuchKey wrapped again", fmt.Errorf("get s3://b/k: %w", opError("GetObject", errNoSuchKey())), true, false, "NoSuchKey"},
		{"SlowDown", opError("PutObject", errSlowDown()), false, false, "SlowDown"},
		{"503", opError("GetObject", errUnavailable()), false, false, "ServiceUnavailable"},
		{"AccessDenied", opError("GetObject", errAccessDenied()), false, false, "AccessDenied"},
		{"error code with spaces", opError("GetObject", &smithy.GenericAPIError{Code: "Service Unavailable"}), false, false, TransientOther},
		{"error code too long", opError("GetObject", &smithy.GenericAPIError{Code: strings.Repeat("A", maxErrorCodeLen+1)}), false, false, TransientOther},
		{"empty error code", opError("GetObject", &smithy.GenericAPIError{}), false, false, TransientOther},
		{"network", opError("GetObject", errors.New("dial tcp 127.0.0.1:1: connect: connection refused")), false, false, TransientOther},
		{"deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), false, false, TransientTimeout},
		{"cancelled", opError("GetObject", fmt.Errorf("canceled: %w", context.Canceled)), false, false, TransientTimeout},
		{"panic", fmt.Errorf("created s3://b/k: %w", &panicError{value: "boom"}), false, false, TransientPanic},
		{"corrupt image", fmt.Errorf("thumbnail of s3://b/k: %w", &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "x"}), false, true, RejectCorrupt},
		{"image too large", &thumbnail.Error{Kind: thumbnail.ErrTooLarge, Reason: "x"}, false, true, RejectTooLarge},
		{"unsupported image", &thumbnail.Error{Kind: thumbnail.ErrUnsupported, Reason: "x"}, false, true, RejectUnsupported},
		{"image failure of a new kind", &thumbnail.Error{Kind: errors.New("new kind"), Reason: "x"}, false, true, RejectImage},
		{"refused by the handler", fmt.Errorf("x: %w", permanent(RejectOutsidePrefix, errors.New("outside the output prefix"))), false, true, RejectOutsidePrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsNotFound(tt.err); got != tt.notFound {
				t.Errorf("IsNotFound = %v, want %v", got, tt.notFound)
			}
			if got := isPermanent(tt.err); got != tt.permanent {
				t.Errorf("isPermanent = %v, want %v", got, tt.permanent)
			}
			reason := transientReason(tt.err)
			if tt.permanent {
				reason = rejectReason(tt.err)
			}
			if reason != tt.reason {
				t.Errorf("reason = %q, want %q", reason, tt.reason)
			}
		})
	}
}

// TestClassificationOfNil checks that no error is neither not found nor permanent.
func TestClassificationOfNil(t *testing.T) {
	if IsNotFound(nil) || isPermanent(nil) {
		t.Errorf("IsNotFound(nil) = %v, isPermanent(nil) = %v, want false", IsNotFound(nil), isPermanent(nil))
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
		reason   string // transientReason
	}{
		{"GetObject NoSuchKey", "get", 404, fmt.Sprintf(errorXML, "NoSuchKey", "The specified key does not exist."), true, "NoSuchKey"},
		{"HeadObject 404 without body", "head", 404, "", true, "NotFound"},
		{"GetObject NoSuchBucket", "get", 404, fmt.Sprintf(errorXML, "NoSuchBucket", "The specified bucket does not exist"), true, "NoSuchBucket"},
		{"GetObject AccessDenied", "get", 403, fmt.Sprintf(errorXML, "AccessDenied", "Access Denied"), false, "AccessDenied"},
		{"HeadObject 403 without body", "head", 403, "", false, "Forbidden"},
		{"GetObject SlowDown", "get", 503, fmt.Sprintf(errorXML, "SlowDown", "Please reduce your request rate."), false, "SlowDown"},
		{"GetObject InternalError", "get", 500, fmt.Sprintf(errorXML, "InternalError", "We encountered an internal error."), false, "InternalError"},
		{"HeadObject 503 without body", "head", 503, "", false, "ServiceUnavailable"},
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
			if got := IsNotFound(err); got != tt.notFound {
				t.Errorf("IsNotFound(%v) = %v, want %v", err, got, tt.notFound)
			}
			if isPermanent(err) {
				t.Errorf("isPermanent(%v) = true: an S3 error is never permanent", err)
			}
			if got := transientReason(err); got != tt.reason {
				t.Errorf("transientReason(%v) = %q, want %q", err, got, tt.reason)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}
