package scaledjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// TestSkipACAtEveryQualityMatchesImageJPEG decodes photos (each DC difference
// read in one lookup, the AC coefficients skipped) encoded by
// image/jpeg at qualities from 1 to 100 at 1/8 and compares them with the
// box average of image/jpeg's full decode. The quality moves the AC
// statistics the table-driven skip depends on: at 1 nearly every block is
// one end-of-block code, at 100 coefficients take up to 10 extra bits and
// the longest codes, which the pair and single lookups leave to the slow
// path. A skip that lost its place by one bit would decode noise, or be
// refused, from there on.
func TestSkipACAtEveryQualityMatchesImageJPEG(t *testing.T) {
	photo := testimage.Photo(331, 247) // odd sizes: partial blocks and MCUs
	gray := image.NewGray(photo.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = photo.Pix[4*i+1]
	}
	// Noise has large AC coefficients everywhere: the longest codes.
	noise := image.NewRGBA(image.Rect(0, 0, 160, 120))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.UintN(256))
	}
	sources := []struct {
		name string
		img  image.Image
	}{{"photo", photo}, {"gray", gray}, {"noise", noise}}
	for _, src := range sources {
		for _, q := range []int{1, 5, 25, 50, 75, 90, 95, 100} {
			t.Run(fmt.Sprintf("%s/q%d", src.name, q), func(t *testing.T) {
				var buf bytes.Buffer
				if err := jpeg.Encode(&buf, src.img, &jpeg.Options{Quality: q}); err != nil {
					t.Fatal(err)
				}
				data := buf.Bytes()
				got, err := decodeDC(data)
				if err != nil {
					t.Fatalf("decodeDC: %v (image/jpeg decodes it)", err)
				}
				d := compareToReference(t, src.name, data, 8, got)
				if d.mean > maxMeanDiff[8] {
					t.Errorf("mean difference from the box average %.2f, want <= %.2f (max %.1f)", d.mean, maxMeanDiff[8], d.max)
				}
			})
		}
	}
}

// skipACOneByOne is the reference skip: each AC coefficient Huffman-decoded
// and its extra bits read, one at a time, with skipAC's verdicts.
func skipACOneByOne(br *bitReader, t *huffman, q *[64]uint16) error {
	k := 1
	for k < 64 {
		sym, err := t.decode(br)
		if err != nil {
			return err
		}
		run, size := int(sym>>4), uint(sym&15)
		if size == 0 {
			if run != 15 {
				return nil
			}
			k += 16
			continue
		}
		if size > 10 {
			return formatError("AC coefficient of %d bits", size)
		}
		v := br.receiveExtend(size)
		if k+run > 63 {
			return errRunPastBlock
		}
		if err := checkACValue(v, 0, k+run, q); err != nil {
			return err
		}
		k += run + 1
	}
	if k > 64 {
		return errRunPastBlock
	}
	return nil
}

// TestSkipACMatchesOneByOne runs the table-driven skip and the reference one
// over the same random entropy-coded data (stuffed 0xFF bytes included),
// block after block, with the standard AC tables image/jpeg writes and
// random tables with long codes and coefficients of more than 10 bits, each
// with quantisers that never let a coefficient exceed maxDequantizedAC, the
// standard ones, and large random ones that send coefficients of a few bits
// to the slow path's check. After every block both must give the same
// verdict, stand at the same bit and agree on whether the data ran out.
func TestSkipACMatchesOneByOne(t *testing.T) {
	tables := standardACTables(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 40; i++ {
		tables = append(tables, randomTable(rng))
	}
	quants := testQuantTables(rng)
	for ti, table := range tables {
		for qi := range quants {
			h, q := *table, &quants[qi]
			h.prepareSkip(acSlowSize(maxACQuantiser(q), 0), false)
			checkSkipAC(t, rng, fmt.Sprintf("table %d, quantisers %d", ti, qi), &h, q)
		}
	}
}

// testQuantTables returns quantisation tables for TestSkipACMatchesOneByOne:
// all ones (nothing checked), libjpeg's luminance table at quality 50, and
// random tables with quantisers up to 255.
func testQuantTables(rng *rand.Rand) [][64]uint16 {
	var ones, std [64]uint16
	for k := range ones {
		ones[k] = 1
		std[k] = uint16(jpegLuminanceQuant[k])
	}
	out := [][64]uint16{ones, std}
	for range 3 {
		var q [64]uint16
		for k := range q {
			q[k] = uint16(1 + rng.IntN(255))
		}
		out = append(out, q)
	}
	return out
}

// jpegLuminanceQuant is the luminance table of ITU T.81 Annex K (quality 50), in zigzag order.
var jpegLuminanceQuant = [64]uint8{
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
}

// checkSkipAC runs skipAC and skipACOneByOne side by side over random scan
// data with table h and quantisers q, as TestSkipACMatchesOneByOne describes.
func checkSkipAC(t *testing.T, rng *rand.Rand, name string, h *huffman, q *[64]uint16) {
	t.Helper()
	for trial := 0; trial < 20; trial++ {
		data := randomScanData(rng, 1+rng.IntN(600))
		var fast, ref bitReader
		fast.reset(data, 0)
		ref.reset(data, 0)
		for block := 0; ; block++ {
			errFast := skipAC(&fast, h, q)
			errRef := skipACOneByOne(&ref, h, q)
			if (errFast == nil) != (errRef == nil) || (errFast != nil && errFast.Error() != errRef.Error()) {
				t.Fatalf("%s, trial %d, block %d: skipAC %v, one by one %v", name, trial, block, errFast, errRef)
			}
			if fast.exhausted() != ref.exhausted() {
				t.Fatalf("%s, trial %d, block %d: exhausted %v, one by one %v", name, trial, block, fast.exhausted(), ref.exhausted())
			}
			if a, b := nextBits(fast), nextBits(ref); a != b {
				t.Fatalf("%s, trial %d, block %d: next bits %032b, one by one %032b", name, trial, block, a, b)
			}
			if errFast != nil || fast.exhausted() {
				break
			}
		}
	}
}

// nextBits reads the next 32 bits from a copy of a bit reader.
func nextBits(b bitReader) uint32 {
	return uint32(b.receive(16))<<16 | uint32(b.receive(16))
}

// randomScanData is n random bytes of entropy-coded data, each 0xFF stuffed
// with a zero byte, ending in an EOI marker.
func randomScanData(rng *rand.Rand, n int) []byte {
	out := make([]byte, 0, 2*n+2)
	for i := 0; i < n; i++ {
		c := byte(rng.UintN(256))
		out = append(out, c)
		if c == 0xFF {
			out = append(out, 0x00)
		}
	}
	return append(out, 0xFF, 0xD9)
}

// randomTable is a valid AC table with codes of random lengths up to 16 bits
// and random distinct symbols, all sizes 0-15 among them.
func randomTable(rng *rand.Rand) *huffman {
	for {
		var counts [16]uint8
		space, total := 1, 0 // free codes at the current length
		for l := 0; l < 16 && total < 256; l++ {
			space *= 2
			c := rng.IntN(min(space, 256-total, 40) + 1)
			if l < 2 {
				c = min(c, 1) // keep room for longer codes
			}
			counts[l] = uint8(c)
			space -= c
			total += c
		}
		symbols := rng.Perm(256)[:total]
		syms := make([]uint8, total)
		for i, s := range symbols {
			syms[i] = uint8(s)
		}
		var h huffman
		if total > 0 && h.define(&counts, syms) == nil {
			return &h
		}
	}
}

// standardACTables returns the AC tables of a file image/jpeg wrote: the
// example tables of ITU T.81 Annex K, which most encoders use.
func standardACTables(t *testing.T) []*huffman {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	img.Set(1, 1, color.RGBA{200, 10, 90, 255})
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	var out []*huffman
	for i := 2; i+4 < len(data); {
		if data[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
		seg := data[i+4 : i+2+n]
		if m == 0xDA {
			break
		}
		for m == 0xC4 && len(seg) > 17 {
			class := seg[0] >> 4
			var counts [16]uint8
			copy(counts[:], seg[1:17])
			total := 0
			for _, c := range counts {
				total += int(c)
			}
			if class == 1 {
				h := new(huffman)
				if err := h.define(&counts, seg[17:17+total]); err != nil {
					t.Fatal(err)
				}
				out = append(out, h)
			}
			seg = seg[17+total:]
		}
		i += 2 + n
	}
	if len(out) != 2 {
		t.Fatalf("found %d AC tables in image/jpeg's output, want 2", len(out))
	}
	return out
}
