package backfill

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func TestSummaryAdd(t *testing.T) {
	var s Summary
	adds := []struct {
		o      outcome
		reason string
		key    string
	}{
		{outcomeCreated, ReasonMissing, "a"}, {outcomeCreated, ReasonMissing, "b"}, {outcomeCreated, ReasonStale, "c"},
		{outcomeUpToDate, ReasonUpToDate, "d"}, {outcomeRemoved, ReasonOrphan, "e"},
		{outcomeSkipped, ReasonFolder, "f/"}, {outcomeSkipped, ReasonEmpty, "g"},
		{outcomeFailed, "invoke: boom", "h"}, {outcomeFailed, "invoke: boom", "i"}, {outcomeFailed, "head: denied", "j"},
	}
	for _, a := range adds {
		s.add(a.o, a.reason, a.key)
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"created", s.CreatedTotal(), 3},
		{"missing", s.Created[ReasonMissing], 2},
		{"stale", s.Created[ReasonStale], 1},
		{"up to date", s.UpToDate, 1},
		{"removed", s.Removed, 1},
		{"skipped", s.SkippedTotal(), 2},
		{"failed", s.Failed, 3},
		{"failure reasons", len(s.Failures), 2},
		{"handled", s.Handled(), len(adds)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestSummaryBoundsFailures(t *testing.T) {
	var s Summary
	for i := range 1000 {
		s.add(outcomeFailed, fmt.Sprintf("reason %d", i%50), fmt.Sprintf("key-%d", i))
	}
	if s.Failed != 1000 {
		t.Errorf("failed %d, want 1000", s.Failed)
	}
	if len(s.Failures) != maxFailureReasons {
		t.Errorf("%d reasons kept, want %d", len(s.Failures), maxFailureReasons)
	}
	for _, g := range s.Failures {
		if g.Count != 20 || len(g.Keys) != maxFailureKeys {
			t.Errorf("group %q: count %d and %d keys, want 20 and %d", g.Reason, g.Count, len(g.Keys), maxFailureKeys)
		}
	}
}

func TestSummaryCloneSharesNothing(t *testing.T) {
	var s Summary
	s.add(outcomeCreated, ReasonMissing, "a")
	s.add(outcomeFailed, "x", "b")
	c := s.clone()
	s.add(outcomeCreated, ReasonMissing, "c")
	s.add(outcomeFailed, "x", "d")
	if c.Created[ReasonMissing] != 1 || c.Failures[0].Count != 1 || len(c.Failures[0].Keys) != 1 {
		t.Errorf("the clone changed with the original: %+v", c)
	}
}

func TestReportRenderGolden(t *testing.T) {
	var full Summary
	for range 100 {
		full.add(outcomeCreated, ReasonMissing, "k")
	}
	for range 20 {
		full.add(outcomeCreated, ReasonStale, "k")
	}
	full.add(outcomeCreated, ReasonOriginalNewer, "k")
	full.UpToDate = 4870
	full.Removed = 3
	full.add(outcomeSkipped, ReasonFolder, "f/")
	full.add(outcomeSkipped, ReasonEmpty, "e")
	full.add(outcomeSkipped, ReasonEmpty, "e2")
	for _, k := range []string{"photos/a.jpg", "photos/b c.jpg", "photos/d.jpg", "photos/e.jpg"} {
		full.add(outcomeFailed, "invoke: ResourceNotFoundException: Function not found: thumbnails", k)
	}
	full.add(outcomeFailed, "read the thumbnail's metadata: Forbidden", "x/y.jpg")
	base := Report{Bucket: "photos", Prefix: "resized/", Spec: "128x128 fill q85", Function: "thumbnails", Elapsed: 62*time.Second + 345*time.Millisecond}
	tests := []struct {
		name   string
		report func() Report
	}{
		{"report-finished.txt", func() Report { r := base; r.Summary = full; return r }},
		{"report-empty-bucket.txt", func() Report { return base }},
		{"report-dry-run.txt", func() Report { r := base; r.DryRun = true; r.Summary = full; return r }},
		{"report-interrupted.txt", func() Report {
			r := base
			r.Interrupted, r.Checkpoint = true, "backfill-photos.json"
			r.Summary.add(outcomeCreated, ReasonMissing, "a")
			r.Summary.UpToDate = 7
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.report().Render(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, buf.Bytes())
		})
	}
}
