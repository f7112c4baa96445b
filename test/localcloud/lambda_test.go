package localcloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
)

// lambdaClient is an SDK Lambda client for the cloud's endpoint, built as the backfill
// builds its own.
func lambdaClient(c *Cloud) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(c.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	})
}

// objectEvent is an "Object Created" event of key in the cloud's bucket.
func objectEvent(c *Cloud, key string) []byte {
	return []byte(`{"version":"0","detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"` +
		c.Bucket() + `"},"object":{"key":"` + s3events.KeyURL.Encode(key) + `","size":4}}}`)
}

func TestInvokeAPIServesTheTemplatesFunction(t *testing.T) {
	c, s3, out := startCloud(t, fixture, s3events.KeyURL)
	client := lambdaClient(c)
	ctx := context.Background()
	if c.FunctionName() != "ThumbnailerFunction4F1B5A59" {
		t.Fatalf("function name %q, want the template's logical ID", c.FunctionName())
	}
	for _, want := range []string{c.URL() + "/2015-03-31/functions/" + c.FunctionName() + "/invocations", c.FunctionARN()} {
		if !strings.Contains(c.Summary(), want) {
			t.Errorf("summary lacks %q:\n%s", want, c.Summary())
		}
	}

	tests := []struct {
		name     string
		function string
		kind     types.InvocationType
		key      string
		payload  []byte
		// wanted
		status        int32
		functionError string
		attempts      int // invocations recorded for key
		failures      int // failure records added
	}{
		{name: "event", function: c.FunctionName(), kind: types.InvocationTypeEvent, key: "via api/event.jpg", status: 202, attempts: 1},
		{name: "event by ARN", function: c.FunctionARN(), kind: types.InvocationTypeEvent, key: "via api/arn.jpg", status: 202, attempts: 1},
		{name: "event that fails: retried, then recorded", function: c.FunctionName(), kind: types.InvocationTypeEvent, key: "via api/fail.jpg",
			status: 202, attempts: 3, failures: 1},
		{name: "request-response", function: c.FunctionName(), kind: types.InvocationTypeRequestResponse, key: "via api/sync.jpg", status: 200, attempts: 1},
		{name: "request-response that fails: not retried", function: c.FunctionName(), kind: types.InvocationTypeRequestResponse, key: "via api/sync-fail.jpg",
			status: 200, functionError: "Unhandled", attempts: 1},
		{name: "dry run", function: c.FunctionName(), kind: types.InvocationTypeDryRun, key: "via api/dry.jpg", status: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := c.Failures().Records()
			if err != nil {
				t.Fatal(err)
			}
			payload := objectEvent(c, tt.key)
			res, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(tt.function), InvocationType: tt.kind, Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status || aws.ToString(res.FunctionError) != tt.functionError {
				t.Errorf("status %d, function error %q; want %d, %q", res.StatusCode, aws.ToString(res.FunctionError), tt.status, tt.functionError)
			}
			waitIdle(t, c)
			invs := c.Invocations(tt.key)
			if len(invs) != tt.attempts {
				t.Fatalf("%d invocations of %s, want %d", len(invs), tt.key, tt.attempts)
			}
			if tt.kind == types.InvocationTypeRequestResponse && tt.functionError == "" {
				var answer struct {
					RequestID string          `json:"requestId"`
					Event     json.RawMessage `json:"event"`
				}
				if err := json.Unmarshal(res.Payload, &answer); err != nil || string(answer.Event) != string(payload) || answer.RequestID != invs[0].Result.RequestID {
					t.Errorf("answer %s (%v): want the stand-in's echo of the event under request %s", res.Payload, err, invs[0].Result.RequestID)
				}
			}
			after, err := c.Failures().Records()
			if err != nil || len(after)-len(before) != tt.failures {
				t.Errorf("%d failure records added (%v), want %d", len(after)-len(before), err, tt.failures)
			}
		})
	}
	if !strings.Contains(out.String(), "\tKey: via api/sync.jpg\t") {
		t.Errorf("no REPORT line for the synchronous invocation:\n%s", out.String())
	}

	_, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("Thumbnails-Other"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) || !strings.Contains(aws.ToString(notFound.Message), "function:Thumbnails-Other") {
		t.Errorf("unknown function: %v, want ResourceNotFoundException naming it", err)
	}
	put(t, c, s3, "beside/the-api.jpg") // the S3 API still answers on the same address
	waitIdle(t, c)
	if n := len(c.Invocations("beside/the-api.jpg")); n != 1 {
		t.Errorf("an upload beside the Lambda API: %d invocations, want 1", n)
	}
}
