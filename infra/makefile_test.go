package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeWithFakeCDK runs `make target args...` at the repository root with a stand-in CDK CLI
// that records its arguments, no AWS credentials of any kind in sight, and no terminal. It
// returns the arguments the CLI got ("" when it did not run), make's stderr and its error.
func makeWithFakeCDK(t *testing.T, target string, args ...string) (cdkArgs, stderr string, err error) {
	t.Helper()
	dir := t.TempDir()
	record := filepath.Join(dir, "cdk-args")
	fake := filepath.Join(dir, "cdk")
	script := "#!/bin/sh\necho \"$*\" > " + record + "\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	stamp := filepath.Join(dir, "installed")
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory", target, "CDK=" + fake, "TOOLS_STAMP=" + stamp}, args...)...)
	cmd.Dir = ".."
	home := filepath.Join(dir, "home") // no ~/.aws
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "AWS_CONFIG_FILE=" + filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none")}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	cmd.Stdin = nil // /dev/null: no terminal
	err = cmd.Run()
	got, _ := os.ReadFile(record)
	return strings.TrimSpace(string(got)), errOut.String(), err
}

// TestAWSTargetsLeaveCredentialsToTheCDKCLI: an instance role, SSO, a credential_process
// or OIDC in CI show up in no variable or file make could check, so make checks none and
// the CDK CLI, which knows them all, decides.
func TestAWSTargetsLeaveCredentialsToTheCDKCLI(t *testing.T) {
	tests := []struct {
		target string
		args   []string
		want   string
	}{
		{"bootstrap", nil, "--no-notices bootstrap"},
		{"diff", nil, "--no-notices diff"},
		{"deploy", []string{"CDK_ARGS=--require-approval=never"}, "--no-notices deploy --require-approval=never"},
		{"destroy", []string{"CDK_ARGS=--force"}, "--no-notices destroy --force"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got, stderr, err := makeWithFakeCDK(t, tt.target, tt.args...)
			if err != nil {
				t.Fatalf("make %s: %v\n%s", tt.target, err, stderr)
			}
			if got != tt.want {
				t.Errorf("cdk ran with %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDeployWithoutATerminalSaysHowToDeployUnattended: the first deploy widens access, which
// --require-approval broadening asks about on a terminal. Without one (CI), make stops at
// once with one line naming the option that deploys unattended.
func TestDeployWithoutATerminalSaysHowToDeployUnattended(t *testing.T) {
	got, stderr, err := makeWithFakeCDK(t, "deploy")
	if err == nil {
		t.Fatal("make deploy without a terminal succeeded, want it to stop")
	}
	if got != "" {
		t.Errorf("cdk ran with %q, want it not run", got)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if !strings.Contains(lines[0], "no terminal") || !strings.Contains(lines[0], "make deploy CDK_ARGS=--require-approval=never") {
		t.Errorf("stderr %q: want a first line saying there is no terminal and naming CDK_ARGS=--require-approval=never", stderr)
	}
}

// TestDeployOnATerminalAsksBeforeWideningAccess reads the command make would run (make -n):
// with a terminal, deploy keeps asking before IAM changes.
func TestDeployOnATerminalAsksBeforeWideningAccess(t *testing.T) {
	out, err := exec.Command("make", "-n", "-C", "..", "--no-print-directory", "deploy", "CDK=cdk", "TOOLS_STAMP=/dev/null").Output()
	if err != nil {
		t.Fatalf("make -n deploy: %v", err)
	}
	if !strings.Contains(string(out), "cdk --no-notices deploy --require-approval broadening") {
		t.Errorf("make -n deploy prints:\n%s\nwant cdk deploy --require-approval broadening", out)
	}
}
