package main

import (
	"context"
	"strings"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

func TestNewClients(t *testing.T) {
	tests := []struct {
		name       string
		endpoint   string
		region     string // AWS_REGION
		keyID      string // AWS_ACCESS_KEY_ID
		wantRegion string
		wantKeyID  string
		wantErr    string
	}{
		{name: "local endpoint", endpoint: "http://127.0.0.1:4566", wantRegion: "us-east-1", wantKeyID: "local"},
		{name: "local endpoint by name", endpoint: "http://localhost:4566", region: "eu-west-1", keyID: "AKIAREAL", wantRegion: "eu-west-1", wantKeyID: "local"},
		{name: "other endpoint: credentials from the environment", endpoint: "https://s3.example.test", keyID: "AKIAREAL", wantRegion: "us-east-1", wantKeyID: "AKIAREAL"},
		{name: "AWS", region: "eu-central-1", keyID: "AKIAREAL", wantRegion: "eu-central-1", wantKeyID: "AKIAREAL"},
		{name: "AWS without a region", keyID: "AKIAREAL", wantErr: "no region: set AWS_REGION"},
		{name: "endpoint without scheme", endpoint: "127.0.0.1:4566", wantErr: `endpoint "127.0.0.1:4566": want a URL such as http://127.0.0.1:4566`},
		{name: "endpoint of another scheme", endpoint: "ftp://127.0.0.1", wantErr: `endpoint "ftp://127.0.0.1": want a URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWS(t)
			t.Setenv("AWS_REGION", tt.region)
			t.Setenv("AWS_ACCESS_KEY_ID", tt.keyID)
			if tt.keyID != "" {
				t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			}
			c, err := newClients(context.Background(), tt.endpoint)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.region != tt.wantRegion {
				t.Errorf("region %q, want %q", c.region, tt.wantRegion)
			}
			s3o, lo := c.s3.Options(), c.lambda.Options()
			creds, err := s3o.Credentials.Retrieve(context.Background())
			if err != nil || creds.AccessKeyID != tt.wantKeyID {
				t.Errorf("credentials %q (%v), want %q", creds.AccessKeyID, err, tt.wantKeyID)
			}
			local := tt.endpoint != ""
			if got := s3o.BaseEndpoint != nil && *s3o.BaseEndpoint == tt.endpoint; got != local || s3o.UsePathStyle != local {
				t.Errorf("S3 endpoint %v, path style %v; want the endpoint %q used by path: %v", s3o.BaseEndpoint, s3o.UsePathStyle, tt.endpoint, local)
			}
			if got := lo.BaseEndpoint != nil && *lo.BaseEndpoint == tt.endpoint; got != local {
				t.Errorf("Lambda endpoint %v, want %q: %v", lo.BaseEndpoint, tt.endpoint, local)
			}
			if s3o.HTTPClient == nil || s3o.HTTPClient != lo.HTTPClient {
				t.Errorf("S3 and Lambda do not share the explicit HTTP client")
			}
			if sdk, ok := s3o.HTTPClient.(*awshttp.BuildableClient); ok && sdk.GetTimeout() != time.Minute {
				t.Errorf("HTTP timeout %v, want 1m", sdk.GetTimeout())
			}
			if local == isSDKClient(s3o.HTTPClient) {
				t.Errorf("HTTP client %T: want a plain client for a local endpoint, the SDK's for AWS", s3o.HTTPClient)
			}
		})
	}
}

func isSDKClient(c any) bool {
	_, ok := c.(*awshttp.BuildableClient)
	return ok
}
