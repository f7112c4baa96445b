// Package testbin builds, once per test binary, the programs the local cloud's tests run:
// the runtime interface emulator and the stand-in function of internal/standin.
package testbin

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

var (
	once         sync.Once
	rie, standin string
	dir          string
	errBuild     error
)

// Standin returns the paths of the emulator and the stand-in bootstrap, building them on
// the first call. Call Cleanup from TestMain to remove them.
func Standin(tb testing.TB) (rieBin, standinBin string) {
	tb.Helper()
	once.Do(func() {
		root, err := toolchain.RepoRoot(".")
		if err != nil {
			errBuild = err
			return
		}
		dir, err = os.MkdirTemp("", "localcloud-bin")
		if err != nil {
			errBuild = err
			return
		}
		rie, standin = filepath.Join(dir, "aws-lambda-rie"), filepath.Join(dir, "bootstrap")
		ctx := context.Background()
		if errBuild = toolchain.BuildRIE(ctx, root, rie); errBuild != nil {
			return
		}
		errBuild = toolchain.Build(ctx, filepath.Join(root, toolchain.TestModuleDir), "./localcloud/internal/standin", standin, "lambda.norpc")
	})
	if errBuild != nil {
		tb.Fatalf("building the emulator and the stand-in function: %v", errBuild)
	}
	return rie, standin
}

// Cleanup removes what Standin built.
func Cleanup() error {
	if dir == "" {
		return nil
	}
	return os.RemoveAll(dir)
}
