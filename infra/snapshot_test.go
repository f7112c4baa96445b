package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/"+StackID+".template.json from the synthesized stack")

// assetHash matches the 64-hex-digit hashes that name the function's code asset: they follow
// the function's source, which changes without the stack changing.
var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// TestTemplateSnapshot compares the whole default template with the reviewed copy in testdata,
// so any change to the deployed resources shows up in review.
func TestTemplateSnapshot(t *testing.T) {
	golden := filepath.Join("testdata", StackID+".template.json")
	got := normalisedTemplate(t, defaults(t).json)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", golden)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./infra/... -update)", err)
	}
	if diff := cmp.Diff(decode(t, want), decode(t, got)); diff != "" {
		t.Errorf("template differs from %s (-want +got); if the change is intended, run "+
			"go test ./infra/... -update and review the file's diff:\n%s", golden, diff)
	}
}

// normalisedTemplate renders template as indented JSON with asset hashes replaced by a marker.
func normalisedTemplate(t *testing.T, template map[string]any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(template, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(assetHash.ReplaceAll(data, []byte("<asset-hash>")), '\n')
}

func decode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decoding template: %v", err)
	}
	return v
}
