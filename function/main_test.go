package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/config"
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

// TestColdStartFailsFastOnBadConfig checks that an invalid setting stops the
// function at cold start with exit status 1 and one JSON line naming it.
func TestColdStartFailsFastOnBadConfig(t *testing.T) {
	tests := []struct {
		name, variable, value string
	}{
		{"size", config.EnvSize, "big"},
		{"output prefix", config.EnvOutputPrefix, "resized"},
		{"log level", config.EnvLogLevel, "loud"},
		{"path style", config.EnvS3PathStyle, "sometimes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = []string{runMainEnv + "=1", tt.variable + "=" + tt.value, "HOME=" + t.TempDir()}
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
			if line["level"] != "ERROR" || line["msg"] != "invalid configuration" || !strings.Contains(line["error"].(string), `"`+tt.value+`"`) {
				t.Errorf("log line %v: want an ERROR \"invalid configuration\" quoting %q", line, tt.value)
			}
		})
	}
}
