package handler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestNewS3ClientHonoursEndpointOverride checks, with the environment Lambda
// provides, that AWS_ENDPOINT_URL_S3 sends requests to the local
// endpoint and that path-style addressing puts the bucket in the path.
func TestNewS3ClientHonoursEndpointOverride(t *testing.T) {
	type request struct{ method, host, path, authorization string }
	var mu sync.Mutex
	var seen []request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, request{r.Method, r.Host, r.URL.Path, r.Header.Get("Authorization")})
		mu.Unlock()
		w.Header().Set("ETag", `"d41d8cd98f00b204e9800998ecf8427e"`)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	// Only the environment decides: no profile files, no instance metadata.
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCALCLOUD")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-cloud-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)

	client, err := NewS3Client(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !client.Options().UsePathStyle {
		t.Error("UsePathStyle = false, want true")
	}
	if !client.Options().DisableLogOutputChecksumValidationSkipped {
		t.Error("the SDK would print plain-text checksum notes among the JSON logs")
	}
	if got := client.Options().Region; got != "eu-west-1" {
		t.Errorf("region = %q, want eu-west-1 from AWS_REGION", got)
	}
	_, err = client.HeadObject(context.Background(), &s3.HeadObjectInput{
		Bucket: aws.String(testBucket), Key: aws.String("photos/red flower.jpg"),
	})
	if err != nil {
		t.Fatalf("HeadObject through the override: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 {
		t.Fatalf("requests at the local endpoint = %+v, want 1", seen)
	}
	got := seen[0]
	wantHost := strings.TrimPrefix(srv.URL, "http://")
	if got.method != http.MethodHead || got.host != wantHost || got.path != "/"+testBucket+"/photos/red flower.jpg" {
		t.Errorf("request = %+v, want HEAD %s /%s/photos/red flower.jpg", got, wantHost, testBucket)
	}
	if !strings.Contains(got.authorization, "Credential=AKIDLOCALCLOUD/") || !strings.Contains(got.authorization, "/eu-west-1/s3/") {
		t.Errorf("Authorization %q: want it signed with the environment's key for eu-west-1", got.authorization)
	}
}

// TestNewS3ClientVirtualHostedByDefault checks that without path style the
// client keeps S3's default addressing, as a deployed function needs.
func TestNewS3ClientVirtualHostedByDefault(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCALCLOUD")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-cloud-secret")
	client, err := NewS3Client(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if client.Options().UsePathStyle {
		t.Error("UsePathStyle = true, want false")
	}
}

// TestNewS3ClientNeedsLambdaEnvironment checks that a missing region or
// credential fails the cold start with a message naming the variable.
func TestNewS3ClientNeedsLambdaEnvironment(t *testing.T) {
	full := map[string]string{
		"AWS_REGION":            "eu-west-1",
		"AWS_ACCESS_KEY_ID":     "AKIDLOCALCLOUD",
		"AWS_SECRET_ACCESS_KEY": "local-cloud-secret",
	}
	for _, missing := range []string{"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Run(missing, func(t *testing.T) {
			_, err := newS3ClientFromEnv(func(k string) string {
				if k == missing {
					return ""
				}
				return full[k]
			}, false)
			if err == nil || !strings.Contains(err.Error(), missing) {
				t.Fatalf("err = %v, want it to name %s", err, missing)
			}
		})
	}
}
