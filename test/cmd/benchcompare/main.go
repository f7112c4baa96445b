// Command benchcompare measures bin/thumbnail against libvips' vipsthumbnail
// as whole processes on the same inputs, checks the speed, memory and quality
// targets, and writes the report (BENCHMARKS.md).
//
// Each run of each tool is a child process; its CPU time is user+sys and its
// peak memory the maximum resident set size, both from the child's rusage.
// Runs are interleaved (vips, ours, then ours, vips on the next round) so
// that load from elsewhere on the machine falls on both alike, and the
// median of the rounds is reported.
//
// With -sharp, it also measures each image the way a warm function pays for
// it: thumbnail.MakeBytes in this process against sharp kept loaded in one
// Node process (sharp_warm.js), CPU time around each thumbnail alone,
// interleaved the same way.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.inputs, "inputs", "", "directory holding the benchmark sources (required)")
	flag.StringVar(&cfg.ours, "ours", "bin/thumbnail", "our thumbnail command")
	flag.StringVar(&cfg.oursArgs, "ours-args", "{in} {out}", "arguments of our command; {in} and {out} are replaced")
	flag.StringVar(&cfg.vips, "vips", "vipsthumbnail", "libvips' thumbnail command")
	flag.StringVar(&cfg.sharpModules, "sharp", "", "node_modules folder holding sharp, for the warm per-image comparison; empty skips it")
	flag.StringVar(&cfg.node, "node", "node", "the Node binary that runs sharp")
	flag.IntVar(&cfg.rounds, "rounds", 7, "measured rounds per input and tool")
	flag.StringVar(&cfg.goBench, "gobench", "", "output of the Go benchmarks, for the in-process figures and the cost line")
	flag.StringVar(&cfg.cdkJSON, "cdk-json", "cdk.json", "CDK app settings, for the function's memory size")
	flag.StringVar(&cfg.bootstrap, "bootstrap", "bin/lambda/bootstrap", "the Lambda binary, for its size")
	flag.IntVar(&cfg.coldStarts, "coldstarts", 7, "cold starts of the function to measure in the local cloud; 0 skips them")
	flag.StringVar(&cfg.out, "out", "BENCHMARKS.md", "report to write")
	flag.StringVar(&cfg.only, "only", "", "comma-separated inputs to measure (e.g. heic-12mp,avif-12mp); empty measures every target")
	flag.Parse()
	if cfg.inputs == "" {
		fmt.Fprintln(os.Stderr, "benchcompare: -inputs is required")
		os.Exit(2)
	}
	ok, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "benchcompare: some targets are not met (see the report)")
		os.Exit(1)
	}
}
