package pngstream

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
)

// TestMutantsAgainstImagePNG flips one to four bytes of the standard
// library's PNG test files (THUMBNAIL_MUTANTS variants of each, a few by
// default; make fuzz sets more), for three variants in four with every
// chunk's CRC made right again, and decodes each shrunk by 2 and 4 and with
// image/png. A variant gets image/png's verdict at every factor; when the
// streamed decoder reads it, its picture is exactly the box average of
// image/png's; no decode takes more than a second of CPU.
func TestMutantsAgainstImagePNG(t *testing.T) {
	n := 4
	if v := os.Getenv("THUMBNAIL_MUTANTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			t.Fatalf("THUMBNAIL_MUTANTS=%q: want a count", v)
		}
		n = max(n/20, 1) // PNG seeds are many and small
	}
	accepted, refused := 0, 0
	for _, path := range stdlibPNGs(t) {
		seed, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(2, uint64(len(seed))))
		for i := 0; i < n; i++ {
			data := append([]byte{}, seed...)
			for range 1 + rng.IntN(4) {
				data[8+rng.IntN(len(data)-8)] = byte(rng.IntN(256))
			}
			if i%4 != 0 {
				fixCRCs(data) // most flips then reach the chunks' contents
			}
			name := filepath.Base(path) + " mutant " + strconv.Itoa(i)
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width*cfg.Height > 1<<20 {
				continue
			}
			_, stdErr := png.Decode(bytes.NewReader(data))
			for _, k := range []int{2, 4} {
				var err error
				cpu, cerr := cputime.Of(func() { _, err = Decode(data, k) })
				if cerr != nil {
					t.Fatal(cerr)
				}
				if cpu > time.Second {
					t.Errorf("%s: k=%d took %v of CPU", name, k, cpu)
				}
				if (err == nil) != (stdErr == nil) {
					t.Errorf("%s: k=%d: %v; image/png: %v", name, k, err, stdErr)
				}
				got, err := decodeShrunk(data, k)
				if err == nil && stdErr != nil {
					t.Errorf("%s: k=%d: the streamed decoder accepts what image/png refuses: %v", name, k, stdErr)
				}
				if err == nil && stdErr == nil {
					if d := maxDiff(got, reference(t, data, k)); d > 0 {
						t.Errorf("%s: k=%d: differs from the box average of image/png's by up to %d", name, k, d)
					}
				}
			}
			if stdErr == nil {
				accepted++
			} else {
				refused++
			}
		}
	}
	t.Logf("%d mutants image/png reads, %d it refuses", accepted, refused)
}

// fixCRCs recomputes the CRC of every chunk whose length fits the data.
func fixCRCs(data []byte) {
	for pos := len(signature); pos+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[pos:]))
		if n < 0 || n > len(data)-pos-12 {
			return
		}
		end := pos + 8 + n
		binary.BigEndian.PutUint32(data[end:], crc32.ChecksumIEEE(data[pos+4:end]))
		pos = end + 4
	}
}
