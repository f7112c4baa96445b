package scaledjpeg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// withQuantiser returns a copy of a JPEG whose first quantisation table
// (8-bit) has quantiser q at zigzag position k.
func withQuantiser(t *testing.T, data []byte, k int, q uint8) []byte {
	t.Helper()
	out := append([]byte{}, data...)
	for i := 2; i+4 < len(out); {
		if out[i] != 0xFF {
			t.Fatal("no DQT segment before the first scan")
		}
		m, size := out[i+1], int(binary.BigEndian.Uint16(out[i+2:]))
		if m == 0xDB {
			if out[i+4]>>4 != 0 {
				t.Fatal("the first quantisation table has 16-bit entries")
			}
			out[i+5+k] = q
			return out
		}
		i += 2 + size
	}
	t.Fatal("no DQT segment")
	return nil
}

// quantEdit sets quantiser q at zigzag position k of a file's first table
// (none when q is 0), and says whether the file must then be refused.
type quantEdit struct {
	edit   string
	k      int
	q      uint8
	refuse bool
}

// TestImpossibleACRefusedAtEveryScale raises one quantiser of real files,
// sequential and progressive, so that their AC coefficients become larger
// than 8-bit samples make: image/jpeg decodes such a file and clips it
// block by block, far from the block means the 1/8 scale shows. Every
// scale refuses it with the same reason. The files as they are, and a
// large quantiser where a file's coefficients are small (the last position
// of the photo and of the quality-50 file), are decoded at every scale,
// within 30 dB of image/jpeg.
func TestImpossibleACRefusedAtEveryScale(t *testing.T) {
	photo, err := testimage.JPEG(testimage.Photo(1200, 900))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"photo-1200x900 baseline": photo}
	for _, name := range []string{"video-001.jpeg", "video-001.progressive.jpeg", "video-005.gray.q50.progressive.jpeg"} {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	for _, f := range colourFiles() {
		if f.name == "ycck 1x1" || f.name == "ycck progressive" {
			files[f.name] = f.data(t)
		}
	}
	const reason = "larger than 8-bit samples make"
	smallAt63 := map[string]bool{"photo-1200x900 baseline": true, "video-005.gray.q50.progressive.jpeg": true}
	for name, data := range files {
		cases := []quantEdit{
			{"as it is", 0, 0, false},
			{"quantiser 255 at position 1", 1, 255, true},
		}
		if smallAt63[name] {
			cases = append(cases, quantEdit{"quantiser 255 at position 63", 63, 255, false})
		}
		for _, c := range cases {
			t.Run(name+"/"+c.edit, func(t *testing.T) {
				in := data
				if c.q != 0 {
					in = withQuantiser(t, data, c.k, c.q)
				}
				ref, err := jpeg.Decode(bytes.NewReader(in))
				if err != nil {
					t.Fatalf("image/jpeg refuses the file, so it proves nothing: %v", err)
				}
				cfg, _ := jpeg.DecodeConfig(bytes.NewReader(in))
				for _, denom := range []int{8, 4, 2, 1} {
					img, err := Decode(in, ReadHeader(in), denom)
					if c.refuse {
						if err == nil || !strings.Contains(err.Error(), reason) {
							t.Errorf("1/%d: error %v, want one saying %q", denom, err, reason)
						}
						continue
					}
					if err != nil {
						t.Fatalf("1/%d: %v", denom, err)
					}
					if p := gridPSNR(img, ref, cfg.Width, cfg.Height); p < 30 {
						t.Errorf("1/%d: %.1f dB from image/jpeg, want >= 30", denom, p)
					}
				}
			})
		}
	}
}

// bandOneByOne is the reference for skipBand: each coefficient
// Huffman-decoded and its extra bits read, one at a time.
func bandOneByOne(br *bitReader, t *huffman, ss, se int, al uint, q *[64]uint16) (int, error) {
	var refusal error
	for k := ss; k <= se; {
		sym, err := t.decode(br)
		if err != nil {
			return 0, errBandBroken
		}
		run, size := int(sym>>4), uint(sym&15)
		if size == 0 {
			switch {
			case run == 15:
				if k+16 > se+1 {
					return 0, errBandBroken
				}
				k += 16
				continue
			case run == 0:
				return 0, refusal
			}
			return 1<<run - 1 + int(br.receive(uint(run))), refusal
		}
		v := br.receiveExtend(size)
		if k+run > se || size > 10 {
			return 0, errBandBroken
		}
		if refusal == nil {
			refusal = checkACValue(v, al, k+run, q)
		}
		k += run + 1
	}
	return 0, refusal
}

// TestSkipBandMatchesOneByOne runs skipBand and bandOneByOne side by side
// over random entropy-coded data, block after block, with the standard and
// random AC tables and quantisers of TestSkipACMatchesOneByOne, over bands
// and point transforms a progressive script uses. After every block both
// must return the same run of empty blocks and verdict, and stand at the
// same bit.
func TestSkipBandMatchesOneByOne(t *testing.T) {
	tables := standardACTables(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20; i++ {
		tables = append(tables, randomTable(rng))
	}
	quants := testQuantTables(rng)
	bands := [][3]int{{1, 63, 0}, {1, 5, 2}, {6, 63, 2}, {1, 63, 1}, {3, 3, 0}, {60, 63, 4}}
	for ti, table := range tables {
		for qi := range quants {
			for _, band := range bands {
				h, q := *table, &quants[qi]
				ss, se, al := band[0], band[1], uint(band[2])
				h.prepareSkip(acSlowSize(maxACQuantiser(q), al), true)
				name := fmt.Sprintf("table %d, quantisers %d, band %d-%d >>%d", ti, qi, ss, se, al)
				for trial := 0; trial < 10; trial++ {
					data := randomScanData(rng, 1+rng.IntN(400))
					var fast, ref bitReader
					fast.reset(data, 0)
					ref.reset(data, 0)
					for block := 0; !fast.exhausted(); block++ {
						runFast, errFast := skipBand(&fast, &h, ss, se, al, q)
						runRef, errRef := bandOneByOne(&ref, &h, ss, se, al, q)
						if runFast != runRef || fmt.Sprint(errFast) != fmt.Sprint(errRef) {
							t.Fatalf("%s, trial %d, block %d: skipBand %d, %v; one by one %d, %v", name, trial, block, runFast, errFast, runRef, errRef)
						}
						if a, b := nextBits(fast), nextBits(ref); a != b {
							t.Fatalf("%s, trial %d, block %d: next bits %032b, one by one %032b", name, trial, block, a, b)
						}
						if errFast == errBandBroken {
							break
						}
					}
				}
			}
		}
	}
}
