package backfill

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

func TestInvokeAsync(t *testing.T) {
	tests := []struct {
		name string
		opts cloudtest.LambdaOptions
		want string // "" for success
	}{
		{"accepted", cloudtest.LambdaOptions{}, ""},
		{"not found", cloudtest.LambdaOptions{Reject: func(cloudtest.Invocation) *cloudtest.APIError {
			return &cloudtest.APIError{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Message: "Function not found: thumbs"}
		}}, "ResourceNotFoundException: Function not found: thumbs"},
		{"run synchronously", cloudtest.LambdaOptions{Status: http.StatusOK}, "invoke answered status 200, want 202"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud := cloudtest.New(t, cloudtest.Options{Lambda: tt.opts})
			err := invokeAsync(context.Background(), cloud.LambdaClient(), "thumbs", []byte(`{"source":"aws.s3"}`))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(reasonOf(err), tt.want)):
				t.Fatalf("error %v (reason %q), want reason with %q", err, reasonOf(err), tt.want)
			}
			calls := cloud.Lambda.Calls()
			if len(calls) != 1 {
				t.Fatalf("%d calls, want 1", len(calls))
			}
			if c := calls[0]; c.Function != "thumbs" || c.Type != "Event" || string(c.Payload) != `{"source":"aws.s3"}` {
				t.Errorf("call %+v, want an Event invocation of thumbs with the payload", c)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{Lambda: cloudtest.LambdaOptions{Reject: func(cloudtest.Invocation) *cloudtest.APIError {
		return &cloudtest.APIError{Status: http.StatusRequestEntityTooLarge, Type: "RequestTooLargeException", Message: "Request must be smaller than 1048576 bytes"}
	}}})
	err := invokeAsync(context.Background(), cloud.LambdaClient(), "f", []byte("{}"))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"service error: code and message only", err, "RequestTooLargeException: Request must be smaller than 1048576 bytes"},
		{"other error: as is", errors.New("dial tcp 127.0.0.1:1: connection refused"), "dial tcp 127.0.0.1:1: connection refused"},
	}
	for _, tt := range tests {
		if got := reasonOf(tt.err); got != tt.want {
			t.Errorf("%s: reasonOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}
