package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// functionModuleDir is the function module's directory, relative to the repository root.
const functionModuleDir = "function"

// goBuildFlags compile a static Lambda binary named bootstrap: no RPC shim (the provided.al2023
// runtime speaks the Runtime API), no local paths, no symbol tables, and no version-control
// stamp, so the binary is the same for the same code whatever the state of the working tree.
var goBuildFlags = []string{"-tags", "lambda.norpc nodynamic", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w"}

// goBuildEnv targets the function's runtime: Linux on Graviton, without cgo.
var goBuildEnv = []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}

// placeholderImage satisfies BundlingOptions.Image, which the CDK requires even when local
// bundling succeeds; it is never pulled because goBuild always handles the asset.
const placeholderImage = "local-go-build-only"

// goBuild bundles the function with the local Go toolchain, so synth needs no Docker.
// It implements awscdk.ILocalBundling; jsii needs a pointer to it.
type goBuild struct {
	// dir is the function module to build.
	dir string
	// flags are go build's flags. Default: goBuildFlags.
	flags []string
	// log receives the compiler's output. Default: os.Stderr.
	log io.Writer
}

var _ awscdk.ILocalBundling = (*goBuild)(nil)

// TryBundle compiles the module into outputDir/bootstrap. On failure it prints the compiler
// output and the reason and returns false. The CDK then falls back to Docker, which fails in
// turn (no image is meant to run), so the message says where the real error is. Panicking
// instead would leave jsii's JavaScript side waiting for the callback's answer.
func (b *goBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := b.build(*outputDir); err != nil {
		fmt.Fprintf(b.logger(), "bundling the function %s: %v (the Docker fallback that follows "+
			"is not used by this project: fix the build error above)\n", b.dir, err)
		return jsii.Bool(false)
	}
	return jsii.Bool(true)
}

// build runs go build for the Lambda target, writing bootstrap into outputDir.
func (b *goBuild) build(outputDir string) error {
	flags := b.flags
	if flags == nil {
		flags = goBuildFlags
	}
	args := append(append([]string{"build"}, flags...), "-o", filepath.Join(outputDir, "bootstrap"), ".")
	cmd := exec.Command("go", args...)
	cmd.Dir = b.dir
	cmd.Env = append(os.Environ(), goBuildEnv...)
	cmd.Stdout = b.logger()
	cmd.Stderr = b.logger()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

func (b *goBuild) logger() io.Writer {
	if b.log == nil {
		return os.Stderr
	}
	return b.log
}

// functionCode is the Lambda code asset for the Go module in dir, built by goBuild.
func functionCode(dir string) awslambda.AssetCode { return (&goBuild{dir: dir}).code() }

// code is the Lambda code asset b builds. Its hash is the hash of what ships, the built
// bootstrap: the build is reproducible, so an unchanged function is not redeployed, while a
// new Go release, other build flags or other module versions are, and an edit to a package
// the binary does not import (the backfill, the CLI, tests) is not. A hash of the sources
// would follow none of the first and all of the last.
func (b *goBuild) code() awslambda.AssetCode {
	return awslambda.Code_FromAsset(jsii.String(b.dir), &awss3assets.AssetOptions{
		AssetHashType: awscdk.AssetHashType_OUTPUT,
		Bundling: &awscdk.BundlingOptions{
			Image: awscdk.DockerImage_FromRegistry(jsii.String(placeholderImage)),
			Local: b,
		},
	})
}

// FindFunctionDir returns the function module of the repository holding the working
// directory: the CDK CLI runs the app from the repository root, go test from infra/.
func FindFunctionDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the function module: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, functionModuleDir)
		if _, err := os.Stat(filepath.Join(candidate, "go.mod")); err == nil {
			return candidate, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("finding the function module: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("finding the function module: no %s/go.mod in %s or any parent", functionModuleDir, wd)
		}
	}
}
