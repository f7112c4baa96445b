package toolchain

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RIEPackage is the Lambda Runtime Interface Emulator command, a tool of the test module.
const RIEPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// BuildBootstrap compiles the function for this machine (not for Lambda's arm64), as the
// emulator runs it here: `go build -tags lambda.norpc,nodynamic -o out ./function`.
func BuildBootstrap(ctx context.Context, root, out string) error {
	return Build(ctx, root, "./"+FunctionDir, out, "lambda.norpc", "nodynamic")
}

// BuildRIE compiles the runtime interface emulator from the module cache.
func BuildRIE(ctx context.Context, root, out string) error {
	return Build(ctx, filepath.Join(root, TestModuleDir), RIEPackage, out)
}

// Build runs `go build` for the host in dir. Go's build cache makes repeated builds of
// unchanged sources take about a second. The binary is written beside out and renamed
// into place, so a copy of out that is running (another local cloud) is not disturbed.
func Build(ctx context.Context, dir, pkg, out string, tags ...string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", out, os.Getpid())
	defer os.Remove(tmp) // gone after the rename; left by a failed build otherwise
	args := []string{"build", "-trimpath", "-o", tmp}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=", "GOARCH=")
	if err := run(cmd, "go build "+pkg); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// run runs cmd and, when it fails, returns an error holding the command's output.
func run(cmd *exec.Cmd, what string) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", what, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// runVisible runs cmd with its output going to w, for long steps a user should see.
func runVisible(cmd *exec.Cmd, w io.Writer, what string) error {
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
