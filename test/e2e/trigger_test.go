package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

func TestThumbnailsDoNotTriggerTheFunction(t *testing.T) {
	e := start(t, cloudOptions{})
	photo := readFile(t, samplePath("my photos/red flower+bee.jpg"))
	e.put("a.jpg", photo, "image/jpeg")
	e.put(e.prefix+"uploaded-by-hand.jpg", photo, "image/jpeg")
	e.wait()

	e.thumbnail("a.jpg")
	for _, key := range []string{e.prefix + "a.jpg", e.prefix + "uploaded-by-hand.jpg"} {
		if got := e.cloud.Evaluated(key); got != 1 {
			t.Errorf("%s: %d events evaluated, want 1 (its write)", key, got)
		}
		if got := e.cloud.Matched(key); got != 0 {
			t.Errorf("%s: %d rule matches, want 0", key, got)
		}
	}
	if keys := e.cloud.InvokedKeys(); len(keys) != 1 || keys[0] != "a.jpg" {
		t.Errorf("the function ran for %q, want only a.jpg", keys)
	}
	if _, ok := e.get(e.prefix + e.prefix + "a.jpg"); ok {
		t.Error("a thumbnail of a thumbnail was made")
	}
}

// TestTemplatePatternIsWhatRuns synthesizes the stack with another output prefix and
// checks the local cloud excludes that prefix, not "resized/": the rule comes from the
// template, not from the local cloud.
func TestTemplatePatternIsWhatRuns(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit*2)
	defer cancel()
	var synthOut strings.Builder
	// outputPrefix is the CDK context key of the output prefix (infra's ContextOutputPrefix).
	if err := toolchain.Synth(ctx, root, []string{"-o", dir, "-c", "outputPrefix=thumbs/"}, &synthOut); err != nil {
		t.Fatalf("%v\n%s", err, synthOut.String())
	}
	tmpl := filepath.Join(dir, filepath.Base(toolchain.TemplateFile))
	if _, err := os.Stat(tmpl); err != nil {
		t.Fatal(err)
	}
	e := start(t, cloudOptions{template: tmpl})
	if e.prefix != "thumbs/" {
		t.Fatalf("output prefix %q, want thumbs/", e.prefix)
	}
	if p := e.cloud.Stack().Rules[0].Pattern.String(); !strings.Contains(p, `"prefix":"thumbs/"`) {
		t.Fatalf("rule pattern %s does not exclude thumbs/", p)
	}
	photo := readFile(t, samplePath("my photos/red flower+bee.jpg"))
	e.put("a.jpg", photo, "image/jpeg")
	e.put("resized/b.jpg", photo, "image/jpeg")
	e.wait()

	e.thumbnail("a.jpg")
	e.thumbnail("resized/b.jpg")
	if n := len(e.cloud.Invocations("resized/b.jpg")); n != 1 {
		t.Errorf("resized/b.jpg is an original under this template, invoked %d times", n)
	}
	if n := e.cloud.Matched("thumbs/a.jpg"); n != 0 || e.cloud.Evaluated("thumbs/a.jpg") != 1 {
		t.Errorf("thumbs/a.jpg: %d matches of %d events, want 0 of 1", n, e.cloud.Evaluated("thumbs/a.jpg"))
	}
}
