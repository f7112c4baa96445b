package contract

import (
	"strings"
	"testing"
)

// TestJobPrefixes checks that the batch jobs' prefixes are valid key prefixes
// kept apart from the thumbnails: a job's file under the output prefix would
// be taken for a thumbnail, a thumbnail under JobsPrefix for a job's file.
func TestJobPrefixes(t *testing.T) {
	for _, p := range []string{JobsPrefix, JobManifestsPrefix, JobReportsPrefix} {
		t.Run(p, func(t *testing.T) {
			if err := ValidatePrefix(p); err != nil {
				t.Error(err)
			}
			if !strings.HasPrefix(p, JobsPrefix) {
				t.Errorf("%q is not under JobsPrefix %q", p, JobsPrefix)
			}
			if strings.HasPrefix(p, DefaultOutputPrefix) || strings.HasPrefix(DefaultOutputPrefix, p) {
				t.Errorf("%q overlaps the output prefix %q", p, DefaultOutputPrefix)
			}
		})
	}
	if JobManifestsPrefix == JobReportsPrefix {
		t.Errorf("manifests and reports share %q: the role could read its own reports as manifests", JobManifestsPrefix)
	}
}
