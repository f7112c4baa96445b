package backfill

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Summary counts what a run did, by outcome and reason. Every handled key adds
// one to exactly one of Created, UpToDate, Removed, Skipped or Failed. It is
// carried in the checkpoint, so a resumed run reports the whole backfill.
type Summary struct {
	// Created counts Object Created events handed to the function, by reason:
	// ReasonMissing, ReasonOriginalNewer, ReasonStale.
	Created map[string]int `json:"created,omitempty"`
	// UpToDate counts originals whose thumbnail needed nothing.
	UpToDate int `json:"upToDate"`
	// Removed counts Object Deleted events handed to the function for orphans.
	Removed int `json:"removed"`
	// Skipped counts keys the function has no work for, by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	// Failed counts keys whose check or invoke failed.
	Failed int `json:"failed"`
	// Failures groups the failed keys by reason, at most maxFailureReasons
	// reasons; failures with further reasons are counted in Failed only.
	Failures []FailureGroup `json:"failures,omitempty"`
}

// FailureGroup is the failures that share one reason.
type FailureGroup struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
	// Keys are the first few keys that failed for Reason.
	Keys []string `json:"keys"`
}

// Bounds on what a Summary keeps of failures, so that a run where everything
// fails (a wrong function name) stays small in memory and on screen.
const (
	maxFailureReasons = 20
	maxFailureKeys    = 3
)

// outcome is how one key ended.
type outcome int

const (
	outcomeCreated outcome = iota
	outcomeUpToDate
	outcomeRemoved
	outcomeSkipped
	outcomeFailed
)

// add counts one handled key.
func (s *Summary) add(o outcome, reason, key string) {
	switch o {
	case outcomeCreated:
		s.Created = increment(s.Created, reason)
	case outcomeUpToDate:
		s.UpToDate++
	case outcomeRemoved:
		s.Removed++
	case outcomeSkipped:
		s.Skipped = increment(s.Skipped, reason)
	case outcomeFailed:
		s.Failed++
		s.addFailure(reason, key)
	}
}

func (s *Summary) addFailure(reason, key string) {
	for i := range s.Failures {
		if g := &s.Failures[i]; g.Reason == reason {
			g.Count++
			if len(g.Keys) < maxFailureKeys {
				g.Keys = append(g.Keys, key)
			}
			return
		}
	}
	if len(s.Failures) < maxFailureReasons {
		s.Failures = append(s.Failures, FailureGroup{Reason: reason, Count: 1, Keys: []string{key}})
	}
}

func increment(m map[string]int, reason string) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[reason]++
	return m
}

// clone returns a copy sharing nothing with s, to be read while s changes.
func (s Summary) clone() Summary {
	c := s
	c.Created = maps.Clone(s.Created)
	c.Skipped = maps.Clone(s.Skipped)
	c.Failures = slices.Clone(s.Failures)
	for i := range c.Failures {
		c.Failures[i].Keys = slices.Clone(c.Failures[i].Keys)
	}
	return c
}

// CreatedTotal is the number of Object Created events handed to the function.
func (s Summary) CreatedTotal() int { return total(s.Created) }

// SkippedTotal is the number of keys skipped.
func (s Summary) SkippedTotal() int { return total(s.Skipped) }

// Handled is the number of keys handled, whatever their outcome.
func (s Summary) Handled() int {
	return s.CreatedTotal() + s.UpToDate + s.Removed + s.SkippedTotal() + s.Failed
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Report is the end of a run: what it covered, how it ended, what it counted.
type Report struct {
	// Bucket, Prefix, Spec and Function say what was backfilled.
	Bucket, Prefix, Spec, Function string
	// DryRun is true when nothing was invoked.
	DryRun bool
	// Interrupted is true when the run stopped before every key was handled;
	// Checkpoint then names the file to resume from.
	Interrupted bool
	Checkpoint  string
	// Elapsed is the duration of this run, not counting runs it resumed.
	Elapsed time.Duration
	Summary Summary
}

// Render writes the report for a person to read.
func (r Report) Render(w io.Writer) error {
	var b strings.Builder
	state := "finished"
	if r.Interrupted {
		state = "interrupted"
	}
	mode := ""
	if r.DryRun {
		mode = "Dry run, nothing invoked: "
	}
	fmt.Fprintf(&b, "%sbackfill of s3://%s (thumbnails under %s, %s) %s after %s\n",
		mode, r.Bucket, r.Prefix, r.Spec, state, r.Elapsed.Round(time.Millisecond))
	create, remove := "created", "removed"
	if r.DryRun {
		create, remove = "to create", "to remove"
	}
	s := r.Summary
	row := func(label string, n int, detail string) {
		fmt.Fprintf(&b, "  %-11s %8d%s\n", label, n, detail)
	}
	row(create, s.CreatedTotal(), breakdown(s.Created))
	row("up to date", s.UpToDate, "")
	row(remove, s.Removed, orphans(s.Removed))
	row("skipped", s.SkippedTotal(), breakdown(s.Skipped))
	row("failed", s.Failed, "")
	row("handled", s.Handled(), "")
	if s.Failed > 0 {
		b.WriteString("failures by reason:\n")
		listed := 0
		for _, g := range s.Failures {
			listed += g.Count
			more := ""
			if g.Count > len(g.Keys) {
				more = ", ..."
			}
			quoted := make([]string, len(g.Keys))
			for i, k := range g.Keys {
				quoted[i] = fmt.Sprintf("%q", k)
			}
			fmt.Fprintf(&b, "  %d  %s  (%s%s)\n", g.Count, g.Reason, strings.Join(quoted, ", "), more)
		}
		if rest := s.Failed - listed; rest > 0 {
			fmt.Fprintf(&b, "  %d  with other reasons\n", rest)
		}
	}
	if !r.DryRun && s.CreatedTotal()+s.Removed > 0 {
		fmt.Fprintf(&b, "created and removed count the events Lambda accepted for %s, which works on them asynchronously; its own failures go to its on-failure destination.\n", r.Function)
	}
	if r.Interrupted && r.Checkpoint != "" {
		fmt.Fprintf(&b, "progress saved in %s: run again with -resume to continue.\n", r.Checkpoint)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// breakdown renders counts by reason, largest first: "  (missing 100, stale 20)".
func breakdown(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	reasons := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%s %d", r, m[r])
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func orphans(n int) string {
	if n == 0 {
		return ""
	}
	return "  (orphans)"
}
