package contract

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// forbiddenDeps are import path prefixes that must not be linked by anything
// that only reads the contract: image codecs, the image core, the AWS SDK and
// the Lambda runtime library.
var forbiddenDeps = []string{
	"image/jpeg", "image/png", "image/gif",
	"github.com/gen2brain/jpegn",
	"github.com/HugoSmits86/nativewebp",
	"github.com/nfnt/resize",
	"golang.org/x/image",
	"github.com/klauspost/compress",
	"github.com/aws/aws-sdk-go-v2",
	"github.com/aws/aws-lambda-go",
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail",
	"github.com/serverless-thumbnails/thumbnails/function/handler",
}

// TestDependencies checks that the contract and the CDK app link no image
// codec and no AWS SDK client, and, so that the check itself can fail, that
// the image core does link a codec.
func TestDependencies(t *testing.T) {
	const module = "github.com/serverless-thumbnails/thumbnails/"
	tests := []struct {
		pkg           string
		wantForbidden bool
	}{
		{module + "function/contract", false},
		{module + "infra", false},
		{module + "function/thumbnail", true},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.pkg, module), func(t *testing.T) {
			got := forbiddenIn(t, tt.pkg)
			switch {
			case tt.wantForbidden && len(got) == 0:
				t.Fatalf("%s links none of %v: the check cannot tell", tt.pkg, forbiddenDeps)
			case !tt.wantForbidden && len(got) > 0:
				t.Fatalf("%s links %v; it must link no image codec, image core or AWS SDK", tt.pkg, got)
			}
		})
	}
}

// forbiddenIn lists the dependencies of pkg that match forbiddenDeps.
func forbiddenIn(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, msg)
	}
	var found []string
	for _, dep := range strings.Fields(string(out)) {
		if slices.ContainsFunc(forbiddenDeps, func(p string) bool { return dep == p || strings.HasPrefix(dep, p+"/") }) {
			found = append(found, dep)
		}
	}
	return found
}
