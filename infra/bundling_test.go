package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// TestAssetHashFollowsWhatShips builds copies of the function module: an edit to a package
// the binary does not import (the backfill), to tests or to the CLI must not change the code
// asset's hash; an edit to the binary's code, or other build flags, must.
func TestAssetHashFollowsWhatShips(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	unchanged := map[string]func(root string){
		"backfill edited": func(root string) {
			appendTo(t, filepath.Join(root, "backfill", "doc.go"), "\n// Edited.\nfunc edited() int { return 1 }\n")
		},
		"tests and CLI edited": func(root string) {
			appendTo(t, filepath.Join(root, "handler", "handler_test.go"), "\nfunc TestEdited(t *testing.T) {}\n")
			appendTo(t, filepath.Join(root, "cmd", "thumbnail", "main.go"), "\nfunc edited() {}\n")
		},
	}
	changed := map[string]func(root string){
		"handler edited": func(root string) {
			appendTo(t, filepath.Join(root, "handler", "keys.go"), "\nvar Edited = candidateKeys(\"a+b\")\n")
		},
	}

	// Each copy lives at its own path: the CDK caches asset hashes per source path.
	hashOf := func(name string, edit func(root string), flags []string) string {
		root := filepath.Join(t.TempDir(), name)
		if err := os.CopyFS(root, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(root)
		}
		return assetKey(t, &goBuild{dir: root, flags: flags})
	}
	base := hashOf("base", nil, nil)
	if again := hashOf("again", nil, nil); base == "" || again != base {
		t.Fatalf("asset key %q, then %q for the same code: the build must be reproducible", base, again)
	}
	for name, edit := range unchanged {
		if got := hashOf(strings.ReplaceAll(name, " ", "-"), edit, nil); got != base {
			t.Errorf("%s: asset key %q, want %q as before: the binary did not change", name, got, base)
		}
	}
	for name, edit := range changed {
		if got := hashOf(strings.ReplaceAll(name, " ", "-"), edit, nil); got == base {
			t.Errorf("%s: asset key unchanged, want a new one", name)
		}
	}
	withSymbols := slices.DeleteFunc(slices.Clone(goBuildFlags), func(f string) bool { return f == "-s -w" || f == "-ldflags" })
	if got := hashOf("other-flags", nil, withSymbols); got == base {
		t.Errorf("asset key unchanged after building with %q instead of %q", withSymbols, goBuildFlags)
	}
}

// TestBootstrapRecordsTheGoVersion shows that the asset hash, a hash of the built binary,
// follows the Go release: the binary names the toolchain that built it.
func TestBootstrapRecordsTheGoVersion(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var log bytes.Buffer
	if ok := (&goBuild{dir: dir, log: &log}).TryBundle(&out, nil); !*ok {
		t.Fatalf("TryBundle failed:\n%s", log.String())
	}
	info, err := buildinfo.ReadFile(filepath.Join(out, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(string(goVersion)); info.GoVersion != want {
		t.Errorf("bootstrap records Go %q, want %q", info.GoVersion, want)
	}
	for _, setting := range info.Settings {
		if strings.HasPrefix(setting.Key, "vcs") {
			t.Errorf("bootstrap records %s=%s: the working tree's state would change the asset hash", setting.Key, setting.Value)
		}
	}
}

// assetKey synthesizes a function whose code b builds and returns its S3 key, which is
// named after the asset hash.
func assetKey(t *testing.T, b *goBuild) string {
	t.Helper()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Hash"), nil)
	awslambda.NewFunction(stack, jsii.String("Function"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_PROVIDED_AL2023(),
		Handler: jsii.String("bootstrap"),
		Code:    b.code(),
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

// appendTo appends text to the file at path.
func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
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
