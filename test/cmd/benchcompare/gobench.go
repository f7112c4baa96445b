package main

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// goBenchResult is one line of `go test -bench` output.
type goBenchResult struct {
	name    string // without the Benchmark prefix and the -GOMAXPROCS suffix
	nsPerOp float64
	bPerOp  int64 // -1 when absent
}

var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:.*?\s(\d+) B/op)?`)

// parseGoBench reads the benchmark lines of `go test -bench` output.
func parseGoBench(r io.Reader) ([]goBenchResult, error) {
	var out []goBenchResult
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return nil, err
		}
		res := goBenchResult{name: m[1], nsPerOp: ns, bPerOp: -1}
		if m[3] != "" {
			if res.bPerOp, err = strconv.ParseInt(m[3], 10, 64); err != nil {
				return nil, err
			}
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// makeDuration returns the in-process time of the whole pipeline on a source
// (BenchmarkMake/<source>, or BenchmarkPhoneFormats/<source> for HEIC and
// AVIF), and whether it was found.
func makeDuration(results []goBenchResult, source string) (time.Duration, bool) {
	for _, r := range results {
		if r.name == "Make/"+source || r.name == "PhoneFormats/"+source {
			return time.Duration(r.nsPerOp), true
		}
	}
	return 0, false
}
