package main

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/report.golden.md")

// fixedReport is a report with made-up figures: one row meeting every
// target, one missing its speed target, an HEIC row sharp cannot read and
// an AVIF row vipsthumbnail cannot read.
func fixedReport(t *testing.T) report {
	t.Helper()
	bench, err := parseGoBench(strings.NewReader(sampleGoBench))
	if err != nil {
		t.Fatal(err)
	}
	return report{
		machine:     machine{cpu: "Test CPU", cores: 2, kernel: "linux 6.1 amd64", goVersion: "go1.26.8", vips: "libvips 8.14.1", date: "2026-01-02"},
		rounds:      7,
		memoryMB:    1024,
		goBench:     bench,
		goBenchText: sampleGoBench,
		bootstrap:   9_500_000,
		sharp:       "sharp 0.35.6 (libvips 8.18.8)",
		coldStarts:  coldStarts{n: 7, median: 6400 * time.Microsecond, max: 9100 * time.Microsecond, platform: "linux/amd64"},
		rows: []row{
			{
				target: targets[0], sourceSize: 4_000_000,
				vips: summary{cpu: 80 * time.Millisecond, maxRSS: 37 << 20},
				ours: summary{cpu: 44 * time.Millisecond, maxRSS: 10 << 20},
				psnr: 31, ssim: 0.978, pixPSNR: 37.8, pixSSIM: 0.992,
				warmSharp: summary{cpu: 25 * time.Millisecond}, warmOurs: summary{cpu: 20 * time.Millisecond},
			},
			{
				target: targets[3], sourceSize: 22_500_000,
				vips: summary{cpu: 250 * time.Millisecond, maxRSS: 43 << 20},
				ours: summary{cpu: 330 * time.Millisecond, maxRSS: 27 << 20},
				psnr: 37.9, ssim: 0.992, pixPSNR: 37.9, pixSSIM: 0.992,
				warmSharp: summary{cpu: 170 * time.Millisecond}, warmOurs: summary{cpu: 240 * time.Millisecond},
			},
			{
				target: targets[4], source: "bench/heic-12mp.heic", sourceSize: 4_100_000,
				vips: summary{cpu: 1300 * time.Millisecond, maxRSS: 145 << 20},
				ours: summary{cpu: 5300 * time.Millisecond, maxRSS: 140 << 20},
				psnr: 36.1, ssim: 0.985, pixPSNR: 37.9, pixSSIM: 0.992,
				warmOurs:  summary{cpu: 2900 * time.Millisecond},
				sharpFail: readFailure{tool: "sharp", reason: "cannot read HEIC: prebuilt libheif has no HEVC decoder", message: sharpHEICError},
			},
			{
				target: targets[5], source: "bench/avif-12mp.avif", sourceSize: 1_600_000,
				ours: summary{cpu: 3600 * time.Millisecond, maxRSS: 286 << 20},
				psnr: 36.0, ssim: 0.984, pixPSNR: 37.9, pixSSIM: 0.992,
				warmSharp: summary{cpu: 750 * time.Millisecond}, warmOurs: summary{cpu: 2800 * time.Millisecond},
				vipsFail: readFailure{tool: "vipsthumbnail", reason: "cannot read AVIF: its libheif has no AV1 decoder",
					message: "vipsthumbnail: unable to load \"bench/avif-12mp.avif\"\nheifload: No decoding plugin installed for this compression format (4.4)"},
			},
		},
	}
}

func TestReportGolden(t *testing.T) {
	rep := fixedReport(t)
	got := rep.markdown()
	path := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("report differs from %s (run go test -update if the change is intended):\n%s", path, got)
	}
}

func TestAllOK(t *testing.T) {
	rep := fixedReport(t)
	if rep.allOK() {
		t.Error("allOK with a row over its CPU ratio")
	}
	rep.rows = slices.Delete(slices.Clone(rep.rows), 1, 2)
	if !rep.allOK() {
		t.Error("not allOK with every row in its targets (vipsthumbnail's read failure leaving memory only)")
	}
	rep.rows[2].ours.maxRSS = 400 << 20
	if rep.allOK() {
		t.Error("allOK with a row vipsthumbnail cannot read over its memory target")
	}
	rep.rows = rep.rows[:1]
	rep.coldStarts.median = 31 * time.Millisecond
	if rep.allOK() {
		t.Error("allOK with the cold start's median Init Duration over its target")
	}
	rep.coldStarts = coldStarts{}
	if !rep.allOK() {
		t.Error("not allOK with cold starts not measured")
	}
	rep.bootstrap = maxBootstrapMB*1_000_000 + 1
	if rep.allOK() {
		t.Error("allOK with bootstrap over its size")
	}
}

// TestSharpRatio checks the warm ratio and its goal, and that a row without
// a sharp figure has no ratio.
func TestSharpRatio(t *testing.T) {
	rep := fixedReport(t)
	if got := rep.rows[0].sharpRatio(); math.Abs(got-0.8) > 1e-9 {
		t.Errorf("sharpRatio = %v, want 0.8", got)
	}
	if !rep.rows[0].sharpOK() || rep.rows[1].sharpOK() {
		t.Errorf("sharpOK = %v, %v; want true, false", rep.rows[0].sharpOK(), rep.rows[1].sharpOK())
	}
	if got := (row{warmOurs: summary{cpu: time.Millisecond}}).sharpRatio(); got != 0 {
		t.Errorf("sharpRatio without sharp = %v, want 0", got)
	}
	if got := rep.rows[2].sharpRatio(); got != 0 {
		t.Errorf("sharpRatio of a source sharp cannot read = %v, want 0", got)
	}
	if got := rep.rows[3].ratio(); got != 0 || !rep.rows[3].speedOK() {
		t.Errorf("ratio of a source vipsthumbnail cannot read = %v (speedOK %v), want 0 and no speed target to miss", got, rep.rows[3].speedOK())
	}
}

func TestMemorySize(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, json string
		want       int
		wantErr    bool
	}{
		{"number", `{"context": {"memorySize": 1024}}`, 1024, false},
		{"missing", `{"context": {}}`, 0, true},
		{"not JSON", `memorySize=1024`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".json")
			if err := os.WriteFile(path, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := memorySize(path)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("memorySize = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
