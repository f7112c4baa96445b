package icc

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzProfile checks that no profile makes parsing, naming, building a
// transform or converting panic. Seeds: the Display P3 profile, the
// generated LUT profiles and the packaged profiles when installed.
func FuzzProfile(f *testing.F) {
	f.Add(displayP3())
	for _, lp := range lutProfiles() {
		f.Add(lp.data)
	}
	for _, glob := range []string{systemICC + "/*.icc", systemICC + "/ghostscript/*.icc"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = parseAndConvert(data)
	})
}
