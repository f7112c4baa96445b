package localcloud

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// Binaries are the programs a local cloud runs.
type Binaries struct {
	// Bootstrap is the function built for this machine; RIE the runtime emulator.
	Bootstrap, RIE string
}

// Build compiles the function for this machine and the runtime interface emulator into
// binDir, saying what it does on progress.
func Build(ctx context.Context, root, binDir string, progress io.Writer) (Binaries, error) {
	b := Binaries{Bootstrap: filepath.Join(binDir, "bootstrap"), RIE: filepath.Join(binDir, "aws-lambda-rie")}
	fmt.Fprintf(progress, "==> building the runtime interface emulator (%s)\n", rel(root, b.RIE))
	if err := toolchain.BuildRIE(ctx, root, b.RIE); err != nil {
		return Binaries{}, err
	}
	fmt.Fprintf(progress, "==> building the function for this machine (%s)\n", rel(root, b.Bootstrap))
	if err := toolchain.BuildBootstrap(ctx, root, b.Bootstrap); err != nil {
		return Binaries{}, err
	}
	return b, nil
}

// rel shortens path for messages.
func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}
