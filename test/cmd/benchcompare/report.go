package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report is everything BENCHMARKS.md shows.
type report struct {
	machine     machine
	rounds      int
	rows        []row
	memoryMB    int
	goBench     []goBenchResult
	goBenchText string
	bootstrap   int64 // bytes, -1 when not built
	coldStarts  coldStarts
	sharp       string // sharp's and its libvips' versions; empty when not measured
}

// machine describes where the figures come from.
type machine struct {
	cpu, kernel, goVersion, vips string
	cores                        int
	date                         string
}

// gather collects the figures besides the whole-process runs.
func gather(cfg config, rows []row) (report, error) {
	rep := report{rows: rows, rounds: cfg.rounds, bootstrap: -1, machine: describeMachine(cfg.vips)}
	var err error
	if rep.memoryMB, err = memorySize(cfg.cdkJSON); err != nil {
		return rep, err
	}
	if cfg.goBench != "" {
		text, err := os.ReadFile(cfg.goBench)
		if err != nil {
			return rep, err
		}
		rep.goBenchText = string(text)
		if rep.goBench, err = parseGoBench(bytes.NewReader(text)); err != nil {
			return rep, fmt.Errorf("%s: %w", cfg.goBench, err)
		}
	}
	switch fi, err := os.Stat(cfg.bootstrap); {
	case err == nil:
		rep.bootstrap = fi.Size()
	case !errors.Is(err, fs.ErrNotExist):
		return rep, err
	}
	return rep, nil
}

// memorySize reads the function's memory size from the CDK app's context.
func memorySize(cdkJSON string) (int, error) {
	data, err := os.ReadFile(cdkJSON)
	if err != nil {
		return 0, err
	}
	var c struct {
		Context struct {
			MemorySize json.Number `json:"memorySize"`
		} `json:"context"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return 0, fmt.Errorf("%s: %w", cdkJSON, err)
	}
	n, err := c.Context.MemorySize.Int64()
	if err != nil || n < 128 {
		return 0, fmt.Errorf("%s: context.memorySize %q: want a number of MB", cdkJSON, c.Context.MemorySize)
	}
	return int(n), nil
}

// describeMachine names the CPU, kernel and tool versions.
func describeMachine(vips string) machine {
	m := machine{cores: runtime.NumCPU(), goVersion: runtime.Version(), date: time.Now().UTC().Format("2006-01-02")}
	m.cpu = "unknown"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	m.kernel = "unknown"
	if rel, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = runtime.GOOS + " " + strings.TrimSpace(string(rel)) + " " + runtime.GOARCH
	}
	m.vips = "unknown"
	if out, err := exec.Command(vips, "--vips-version").Output(); err == nil {
		m.vips = strings.TrimSpace(string(out))
	}
	return m
}

func (rep report) allOK() bool {
	for _, r := range rep.rows {
		if !r.speedOK() || !r.memoryOK() || !r.qualityOK() {
			return false
		}
	}
	return (rep.bootstrap < 0 || rep.bootstrap <= maxBootstrapMB*1_000_000) && rep.coldStarts.ok()
}

func mark(ok bool) string {
	if ok {
		return "yes"
	}
	return "**NO**"
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", d.Seconds()*1000) }

// markdown renders the report.
func (rep report) markdown() string {
	var b strings.Builder
	m := rep.machine
	fmt.Fprintf(&b, "# Benchmarks\n\n")
	fmt.Fprintf(&b, "Regenerate with `make bench`, which writes this file. Figures from %s on:\n\n", m.date)
	fmt.Fprintf(&b, "- CPU: %s, %d cores\n", m.cpu, m.cores)
	fmt.Fprintf(&b, "- OS: %s; Go %s; %s\n\n", m.kernel, strings.TrimPrefix(m.goVersion, "go"), m.vips)

	fmt.Fprintf(&b, "## Whole process: `bin/thumbnail` against `vipsthumbnail -s %dx%d`\n\n", thumbSide, thumbSide)
	fmt.Fprintf(&b, "Same input, same machine, one image per process; median of %d interleaved rounds. ", rep.rounds)
	fmt.Fprintf(&b, "CPU is user+sys and peak memory the maximum resident set, both from the child's rusage. ")
	fmt.Fprintf(&b, "Ours makes the product's thumbnail (128x128 fill, JPEG q85 or PNG as the input).\n\n")
	fmt.Fprintf(&b, "| input | source | vips CPU | ours CPU | CPU ratio (target) | vips peak | ours peak (target) | met |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|:---:|\n")
	for _, r := range rep.rows {
		if r.vipsFail.cannot() {
			fmt.Fprintf(&b, "| %s | %.1f MB | %s | %s | none: vipsthumbnail cannot read it (<= %.1f) | none | %s (<= %.0f MiB) | %s (memory only) |\n",
				r.label, float64(r.sourceSize)/1e6, r.vipsFail.reason, ms(r.ours.cpu), r.maxRatio,
				mib(r.ours.maxRSS), r.maxMiB, mark(r.memoryOK()))
			continue
		}
		fmt.Fprintf(&b, "| %s | %.1f MB | %s | %s | %.2f (<= %.1f) | %s | %s (<= %.0f MiB) | %s |\n",
			r.label, float64(r.sourceSize)/1e6, ms(r.vips.cpu), ms(r.ours.cpu), r.ratio(), r.maxRatio,
			mib(r.vips.maxRSS), mib(r.ours.maxRSS), r.maxMiB, mark(r.speedOK() && r.memoryOK()))
	}
	if rep.hasPhoneFormats() {
		fmt.Fprintf(&b, "\nHEIC and AVIF: every tool writes a JPEG q85 thumbnail, as the function does. ")
		fmt.Fprintf(&b, "Ours decodes them with WebAssembly builds of libheif (libde265) and libavif (aom) under wazero, ")
		fmt.Fprintf(&b, "and its whole process includes compiling that module (`BenchmarkCodecCompile` in the Go benchmarks), ")
		fmt.Fprintf(&b, "which a warm function has already done; libvips uses the system's libheif with its native decoders. ")
		fmt.Fprintf(&b, "Their memory targets are their own: the WebAssembly decoder holds the full-size picture.\n")
	}
	readFailureNotes(&b, rep.rows, func(r row) readFailure { return r.vipsFail })

	rep.warmTable(&b)

	fmt.Fprintf(&b, "\n## Quality\n\n")
	fmt.Fprintf(&b, "Our thumbnail against the exact area average of the source's full-resolution decode by image/jpeg, image/png, ")
	fmt.Fprintf(&b, "or for HEIC and AVIF libheif's own `heif-dec` or `heif-convert` (native libde265, dav1d or aom), ")
	fmt.Fprintf(&b, "same centre crop. PSNR over R, G, B; SSIM on BT.601 luma over every 8x8 window. ")
	fmt.Fprintf(&b, "Floor: PSNR >= %.0f dB or SSIM >= %.2f, on the thumbnail as delivered. ", minPSNR, minSSIM)
	fmt.Fprintf(&b, "The resampling columns judge the same thumbnail written losslessly (PNG), ")
	fmt.Fprintf(&b, "which separates the resize from the JPEG encoder's share of the error.\n\n")
	fmt.Fprintf(&b, "| input | delivered PSNR | delivered SSIM | resampling PSNR | resampling SSIM | met |\n|---|---:|---:|---:|---:|:---:|\n")
	for _, r := range rep.rows {
		fmt.Fprintf(&b, "| %s | %.1f dB | %.4f | %.1f dB | %.4f | %s |\n", r.label, r.psnr, r.ssim, r.pixPSNR, r.pixSSIM, mark(r.qualityOK()))
	}

	fmt.Fprintf(&b, "\n## Lambda\n\n")
	if rep.bootstrap >= 0 {
		fmt.Fprintf(&b, "- `bootstrap` (linux/arm64, stripped): %.1f MB (target <= %d MB): %s\n", float64(rep.bootstrap)/1e6, maxBootstrapMB, mark(rep.bootstrap <= maxBootstrapMB*1_000_000))
	} else {
		fmt.Fprintf(&b, "- `bootstrap`: not built, size not measured\n")
	}
	rep.coldStartLine(&b)
	rep.costLines(&b)

	fmt.Fprintf(&b, "\n%s", notes)

	if rep.goBenchText != "" {
		fmt.Fprintf(&b, "\n## In process: Go benchmarks\n\n")
		fmt.Fprintf(&b, "Each stage alone and the whole pipeline (`Make`), bytes in memory to thumbnail bytes; ")
		fmt.Fprintf(&b, "then each fast decoder against the standard one it replaces.\n\n```\n%s```\n", rep.goBenchText)
	}
	return b.String()
}

// costLines estimates the Lambda cost per million thumbnails from the
// in-process pipeline times.
func (rep report) costLines(b *strings.Builder) {
	share := min(1, float64(rep.memoryMB)/fullVCPUMB)
	fmt.Fprintf(b, "\n### Cost per million thumbnails at %d MB (from `cdk.json`)\n\n", rep.memoryMB)
	fmt.Fprintf(b, "Prices: arm64 $%.10f per GB-s and $%.2f per million requests. ", pricePerGBSecond, pricePerMRequests)
	fmt.Fprintf(b, "Duration is the in-process `Make` time measured here, on x86, divided by the CPU share Lambda gives %d MB ", rep.memoryMB)
	fmt.Fprintf(b, "(%.2f of a vCPU; one full vCPU at %d MB). Graviton runs the same Go code at a different speed, ", share, fullVCPUMB)
	fmt.Fprintf(b, "and S3 transfer time is not included, so read these as estimates.\n\n")
	fmt.Fprintf(b, "| input | Make (x86) | est. billed duration | compute + requests per million |\n|---|---:|---:|---:|\n")
	found := false
	for _, r := range rep.rows {
		d, ok := makeDuration(rep.goBench, r.name)
		if !ok {
			continue
		}
		found = true
		billed := time.Duration(float64(d) / share).Round(time.Millisecond)
		billed = max(billed, time.Millisecond)
		cost := 1e6*billed.Seconds()*float64(rep.memoryMB)/1024*pricePerGBSecond + pricePerMRequests
		fmt.Fprintf(b, "| %s | %.1f ms | %s | $%.2f |\n", r.label, d.Seconds()*1000, ms(billed), cost)
	}
	if !found {
		fmt.Fprintf(b, "| (no Go benchmark output given) | | | |\n")
	}
	fmt.Fprintf(b, "\nNot included above: each thumbnail also costs one S3 GET and one PUT, $%.2f per million at S3 Standard prices.\n",
		1000*(s3GetPerThousand+s3PutPerThousand))
}

// coldStartLine reports the cold starts measured in the local cloud.
func (rep report) coldStartLine(b *strings.Builder) {
	c := rep.coldStarts
	if c.n == 0 {
		fmt.Fprintf(b, "- Cold start: not measured\n")
		return
	}
	fmt.Fprintf(b, "- Cold start, Init Duration in the local cloud: median %.1f ms, max %.1f ms of %d cold starts (target: median <= %.0f ms): %s\n",
		c.median.Seconds()*1000, c.max.Seconds()*1000, c.n, maxInitDuration.Seconds()*1000, mark(c.ok()))
	fmt.Fprintf(b, "  Each is a fresh local cloud (`test/localcloud`) with one small JPEG uploaded: the runtime interface emulator ")
	fmt.Fprintf(b, "starts the `bootstrap` and Init Duration runs from the invocation to the function's first request for work. ")
	fmt.Fprintf(b, "The local cloud runs the host build (%s) of the same code, not the arm64 binary on Lambda.\n", c.platform)
}

// warmTable reports the per-image figures of a warm process against sharp.
func (rep report) warmTable(b *strings.Builder) {
	if rep.sharp == "" {
		return
	}
	fmt.Fprintf(b, "\n## Warm, per image: in process against %s\n\n", rep.sharp)
	fmt.Fprintf(b, "What a warm function pays per thumbnail. Ours is `thumbnail.MakeBytes` in the benchmark's own process, ")
	fmt.Fprintf(b, "CPU (user+sys of every thread, the collector's included) around the call; sharp is kept loaded in one Node process ")
	fmt.Fprintf(b, "with `sharp.concurrency(1)` and `sharp.cache(false)`, `process.cpuUsage()` around `toBuffer()` of a %dx%d cover thumbnail ", thumbSide, thumbSide)
	fmt.Fprintf(b, "(JPEG q85 or PNG, as ours). Both start from the source bytes in memory. Median of %d interleaved rounds after one warm-up. ", rep.rounds)
	fmt.Fprintf(b, "The ratio goals are shown, not enforced.\n\n")
	fmt.Fprintf(b, "| input | vips process CPU | sharp warm CPU | ours warm CPU | ours/sharp (goal) | met |\n")
	fmt.Fprintf(b, "|---|---:|---:|---:|---:|:---:|\n")
	for _, r := range rep.rows {
		vips := ms(r.vips.cpu)
		if r.vipsFail.cannot() {
			vips = r.vipsFail.reason
		}
		if r.sharpFail.cannot() {
			fmt.Fprintf(b, "| %s | %s | %s | %.1f ms | none: sharp cannot read it (%s) | not compared |\n",
				r.label, vips, r.sharpFail.reason, r.warmOurs.cpu.Seconds()*1000, goal(r.maxSharpRatio))
			continue
		}
		met := mark(r.sharpOK())
		if r.maxSharpRatio == 0 {
			met = "no goal"
		}
		fmt.Fprintf(b, "| %s | %s | %.1f ms | %.1f ms | %.2f (%s) | %s |\n",
			r.label, vips, r.warmSharp.cpu.Seconds()*1000, r.warmOurs.cpu.Seconds()*1000,
			r.sharpRatio(), goal(r.maxSharpRatio), met)
	}
	readFailureNotes(b, rep.rows, func(r row) readFailure { return r.sharpFail })
}

// goal shows a row's ratio goal against sharp; 0 is none set.
func goal(maxRatio float64) string {
	if maxRatio == 0 {
		return "no goal set"
	}
	return fmt.Sprintf("<= %.1f", maxRatio)
}

// hasPhoneFormats reports whether any row is an HEIC or AVIF source.
func (rep report) hasPhoneFormats() bool {
	for _, r := range rep.rows {
		if f := formatName(r.source); f == "HEIC" || f == "AVIF" {
			return true
		}
	}
	return false
}

// readFailureNotes explains, under a table, each source a tool could not
// read, with what the tool printed.
func readFailureNotes(b *strings.Builder, rows []row, failure func(row) readFailure) {
	for _, r := range rows {
		f := failure(r)
		if !f.cannot() {
			continue
		}
		fmt.Fprintf(b, "\n%s, %s: %s, so the row has no %s figure. It printed:\n\n```\n%s\n```\n",
			r.label, f.tool, f.reason, f.tool, strings.TrimSpace(f.message))
	}
}
