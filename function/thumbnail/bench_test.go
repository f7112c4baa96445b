package thumbnail

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// benchStages are the pipeline steps timed on their own; the steps between
// them (read, limits, orient) run untimed to prepare each one's input. The
// header step is the one walk of the container each format makes; decode
// starts from what it found.
var benchStages = []string{"sniff", "header", "decode", "resize", "encode"}

// BenchmarkStage times each stage of the pipeline on the benchmark sources,
// from the job state the earlier stages leave.
func BenchmarkStage(b *testing.B) {
	for _, src := range testimage.Sources {
		data, err := src.Bytes()
		if err != nil {
			b.Fatalf("%s: %v", src.Name, err)
		}
		for _, stage := range benchStages {
			b.Run(src.Name+"/"+stage, func(b *testing.B) {
				before, s := jobBefore(b, data, stage)
				b.ReportAllocs()
				for b.Loop() {
					j := before
					if err := s.run(&j); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// jobBefore runs the pipeline on data up to the named step and returns the
// job as that step finds it, with the step.
func jobBefore(b *testing.B, data []byte, name string) (job, step) {
	b.Helper()
	j := job{src: bytes.NewReader(data), opts: DefaultOptions()}
	for _, s := range pipeline {
		if s.name == name {
			return j, s
		}
		if err := s.run(&j); err != nil {
			b.Fatalf("%s step: %v", s.name, err)
		}
	}
	b.Fatalf("no pipeline step %q", name)
	return job{}, step{}
}

// BenchmarkMake times the whole pipeline, bytes in to thumbnail out, with the
// product's default options (128x128 fill, JPEG q85 for JPEG sources).
func BenchmarkMake(b *testing.B) {
	for _, src := range testimage.Sources {
		data, err := src.Bytes()
		if err != nil {
			b.Fatalf("%s: %v", src.Name, err)
		}
		b.Run(src.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Make(bytes.NewReader(data), DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJPEGBoxes makes thumbnails of the 12 MP baseline JPEG in boxes
// that select each scale of the JPEG decoders: 128 and 256 decode DC
// coefficients only (1/8), 512 decodes at 1/4 and 1024 at 1/2 (jpegn, each
// checked against the DC image), 2048 at full size (image/jpeg).
func BenchmarkJPEGBoxes(b *testing.B) {
	data, err := testimage.Sources[0].Bytes() // jpeg-12mp
	if err != nil {
		b.Fatal(err)
	}
	for _, side := range []int{128, 256, 512, 1024, 2048} {
		b.Run(fmt.Sprintf("box=%d", side), func(b *testing.B) {
			opts := DefaultOptions()
			opts.Width, opts.Height = side, side
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Make(bytes.NewReader(data), opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
