package thumbnail

import (
	"os"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// BenchmarkColourJPEG12MP times MakeBytes on the 12 MP benchmark JPEG as
// it is (untagged) and with a Display P3 profile embedded, side by side: the
// colour steps must keep the tagged photo within 5% of the untagged one. On
// a shared machine wall time is noisy, so process CPU time per image is
// reported too (cpu-ms/op).
func BenchmarkColourJPEG12MP(b *testing.B) {
	plain, err := testimage.Sources[0].Bytes()
	if err != nil {
		b.Fatal(err)
	}
	p3, err := os.ReadFile(p3ICC)
	if err != nil {
		b.Fatal(err)
	}
	tagged := withJPEGICC(plain, p3, 65519, nil)
	for _, c := range []struct {
		name string
		data []byte
	}{{"untagged", plain}, {"display-p3", tagged}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu, err := cputime.Of(func() {
				for b.Loop() {
					r, err := MakeBytes(c.data, DefaultOptions())
					if err != nil {
						b.Fatal(err)
					}
					if c.name == "display-p3" && r.SourceProfile != "Display P3" {
						b.Fatalf("SourceProfile = %q", r.SourceProfile)
					}
				}
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
