package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// cfnLintRequiredEnv, set to 1, turns a missing cfn-lint into a failure instead of a skip.
const cfnLintRequiredEnv = "CFN_LINT_REQUIRED"

// cfn-lint's exit status is a bit mask: 2 means errors, 4 warnings, 8 informational
// findings; 1 means it could not run (a template it cannot read, a bad option).
const (
	cfnLintFailed = 1
	cfnLintErrors = 2
)

// TestTemplatesPassCfnLint runs cfn-lint, AWS's linter for CloudFormation templates (its
// resource specifications and rules, not ours), over the template of every variant a user
// can deploy, and fails on any error it reports. Warnings are shown, not failed on.
func TestTemplatesPassCfnLint(t *testing.T) {
	lint := cfnLint(t)
	dir := t.TempDir()
	names := make([]string, 0, len(nagVariants))
	for name := range nagVariants {
		names = append(names, name)
	}
	sort.Strings(names)
	var files []string
	for _, name := range names {
		data, err := json.MarshalIndent(synth(t, nagVariants[name]).json, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".template.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}

	if out, status := runCfnLint(t, lint, files...); status&(cfnLintFailed|cfnLintErrors) != 0 {
		t.Errorf("cfn-lint found errors (exit status %d):\n%s", status, out)
	} else if status != 0 {
		t.Logf("cfn-lint warnings or notes (not failed on):\n%s", out)
	}
}

// TestCfnLintReportsErrors shows the test above can fail: a template with a property the
// resource type does not have is an error.
func TestCfnLintReportsErrors(t *testing.T) {
	lint := cfnLint(t)
	path := filepath.Join(t.TempDir(), "broken.template.json")
	broken := `{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"NoSuchProperty": 1}}}}`
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, status := runCfnLint(t, lint, path); status&cfnLintErrors == 0 {
		t.Errorf("cfn-lint exit status %d on a broken template, want the error bit (%d):\n%s", status, cfnLintErrors, out)
	}
}

// cfnLint finds the cfn-lint command. Without it the test is skipped, saying so loudly,
// unless cfnLintRequiredEnv is set.
func cfnLint(t *testing.T) string {
	t.Helper()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		msg := "cfn-lint is not installed (pip install cfn-lint): the templates were NOT linted"
		if os.Getenv(cfnLintRequiredEnv) == "1" {
			t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, "WARNING: "+msg)
		t.Skip(msg)
	}
	return lint
}

// runCfnLint lints files and returns cfn-lint's output and exit status.
func runCfnLint(t *testing.T, lint string, files ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(lint, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("running cfn-lint: %v\n%s", err, out)
	return "", 0
}
