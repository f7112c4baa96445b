package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

func TestGoBuildMakesAnArm64Bootstrap(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var log bytes.Buffer
	if ok := (&goBuild{dir: dir, log: &log}).TryBundle(&out, nil); !*ok {
		t.Fatalf("TryBundle failed:\n%s", log.String())
	}
	bin, err := elf.Open(filepath.Join(out, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	if bin.Machine != elf.EM_AARCH64 || bin.Type != elf.ET_EXEC {
		t.Errorf("bootstrap is %v %v, want EM_AARCH64 ET_EXEC", bin.Machine, bin.Type)
	}
	if progs := bin.Progs; len(progs) > 0 {
		for _, p := range progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("bootstrap asks for a dynamic loader; want a static binary (CGO_ENABLED=0)")
			}
		}
	}
	if syms, err := bin.Symbols(); err == nil && len(syms) > 0 {
		t.Errorf("bootstrap keeps %d symbols; want them stripped (-s -w)", len(syms))
	}
}

func TestGoBuildReportsCompileErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":  "module broken\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() { undefinedName() }\n",
	})
	out := t.TempDir()
	var log bytes.Buffer
	if ok := (&goBuild{dir: dir, log: &log}).TryBundle(&out, nil); *ok {
		t.Fatal("TryBundle succeeded on code that does not compile")
	}
	for _, want := range []string{"undefined: undefinedName", "bundling the function " + dir} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestFindFunctionDir(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
		t.Errorf("FindFunctionDir() = %s, which has no main.go: %v", dir, err)
	}
	t.Chdir(t.TempDir())
	if dir, err := FindFunctionDir(); err == nil {
		t.Errorf("FindFunctionDir() outside the repository = %s, want an error", dir)
	}
}

// TestAssetHashFollowsTheBinarysSourceOnly builds three copies of a small module: tests,
// test data and the CLI must not change the code asset's hash, a change to the program must.
func TestAssetHashFollowsTheBinarysSourceOnly(t *testing.T) {
	base := map[string]string{
		"go.mod":  "module example\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() {}\n",
	}
	withTests := map[string]string{
		"main_test.go":              "package main\n",
		"testdata/image.jpg":        "not an image",
		"cmd/thumbnail/main.go":     "package main\n\nfunc main() {}\n",
		"README.md":                 "notes\n",
		"internal/x/helper_test.go": "package x\n",
	}
	changed := map[string]string{"main.go": "package main\n\nfunc main() { println() }\n"}

	// Each copy lives at its own path: the CDK caches asset hashes per source path.
	hashOf := func(name string, layers ...map[string]string) string {
		dir := filepath.Join(t.TempDir(), name)
		for _, files := range layers {
			writeFiles(t, dir, files)
		}
		app := awscdk.NewApp(nil)
		stack := awscdk.NewStack(app, jsii.String("Hash"), nil)
		awslambda.NewFunction(stack, jsii.String("Function"), &awslambda.FunctionProps{
			Runtime: awslambda.Runtime_PROVIDED_AL2023(),
			Handler: jsii.String("bootstrap"),
			Code:    functionCode(dir),
		})
		var key string
		check(t, func() {
			template := assertions.Template_FromStack(stack, nil)
			for _, fn := range *template.FindResources(jsii.String("AWS::Lambda::Function"), nil) {
				key = fmt.Sprint((*fn)["Properties"].(map[string]any)["Code"].(map[string]any)["S3Key"])
			}
		})
		return key
	}
	plain := hashOf("plain", base)
	tested := hashOf("tested", base, withTests)
	edited := hashOf("edited", base, changed)
	if plain == "" || plain != tested {
		t.Errorf("asset key %q with tests, test data, CLI and docs; want %q as without them", tested, plain)
	}
	if edited == plain {
		t.Errorf("asset key %q unchanged after editing main.go", edited)
	}
}

// writeFiles writes files (relative path to content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
