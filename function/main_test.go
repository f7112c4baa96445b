package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// runMainEnv, when set, makes the test binary run main instead of the tests,
// so a test can watch the real cold start in a child process.
const runMainEnv = "BOOTSTRAP_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestColdStartFailsFast checks that a bad setting or environment stops the
// function at cold start with exit status 1 and one JSON line naming it.
func TestColdStartFailsFast(t *testing.T) {
	lambdaEnv := []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret"}
	tests := []struct {
		name        string
		env         []string
		wantMsg     string
		wantInError string
	}{
		{"size", []string{contract.EnvSize + "=big"}, "invalid configuration", `"big"`},
		{"output prefix", []string{contract.EnvOutputPrefix + "=resized"}, "invalid configuration", `"resized"`},
		{"log level", []string{contract.EnvLogLevel + "=loud"}, "invalid configuration", `"loud"`},
		{"path style", []string{contract.EnvS3PathStyle + "=sometimes"}, "invalid configuration", `"sometimes"`},
		{"no region", nil, "cannot build the S3 client", "AWS_REGION"},
		{"no function name for metrics", lambdaEnv, "cannot build the handler", "AWS_LAMBDA_FUNCTION_NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append([]string{runMainEnv + "=1", "HOME=" + t.TempDir()}, tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()

			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("cold start = %v, want exit status 1; stderr: %s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("stderr has %d lines, want 1: %q", len(lines), stderr.String())
			}
			var line map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
				t.Fatalf("stderr is not a JSON line: %q", lines[0])
			}
			if msg, _ := line["error"].(string); line["level"] != "ERROR" || line["msg"] != tt.wantMsg || !strings.Contains(msg, tt.wantInError) {
				t.Errorf("log line %v: want an ERROR %q mentioning %s", line, tt.wantMsg, tt.wantInError)
			}
			if _, ok := line[handler.FieldTimestamp]; !ok {
				t.Errorf("log line %v has no %s, which Lambda's log-level filter reads", line, handler.FieldTimestamp)
			}
		})
	}
}
