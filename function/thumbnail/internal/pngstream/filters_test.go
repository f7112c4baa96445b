package pngstream

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// filteredPNG encodes raw 8-bit samples as a PNG whose every row uses the
// given filter, so each unfilter path is exercised whatever an encoder would pick.
func filteredPNG(t *testing.T, w, h int, ctype byte, bpp int, raw []byte, filter byte, plte []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	prev := make([]byte, w*bpp)
	for y := 0; y < h; y++ {
		row := raw[y*w*bpp : (y+1)*w*bpp]
		out := make([]byte, len(row))
		for i := range row {
			var a, b, c int
			if i >= bpp {
				a, c = int(row[i-bpp]), int(prev[i-bpp])
			}
			b = int(prev[i])
			var pred int
			switch filter {
			case filterSub:
				pred = a
			case filterUp:
				pred = b
			case filterAverage:
				pred = (a + b) / 2
			case filterPaeth:
				pred = paethPredictor(a, b, c)
			}
			out[i] = row[i] - uint8(pred)
		}
		if _, err := zw.Write(append([]byte{filter}, out...)); err != nil {
			t.Fatal(err)
		}
		prev = row
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var f bytes.Buffer
	f.WriteString(signature)
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, ctype
	writeChunk(&f, "IHDR", ihdr)
	if plte != nil {
		writeChunk(&f, "PLTE", plte)
	}
	// Split the image data over several IDAT chunks, as encoders do.
	data := z.Bytes()
	for len(data) > 0 {
		n := min(len(data), 1000)
		writeChunk(&f, "IDAT", data[:n])
		data = data[n:]
	}
	writeChunk(&f, "IEND", nil)
	return f.Bytes()
}

// paethPredictor is the PNG specification's Paeth function, written as the
// specification states it.
func paethPredictor(a, b, c int) int {
	p := a + b - c
	pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(append([]byte(typ), data...)))
	b.Write(n[:])
}

func TestEveryFilterAndColourType(t *testing.T) {
	const w, h = 61, 37 // odd sizes leave partial blocks at both edges
	rng := rand.New(rand.NewPCG(7, 11))
	plte := make([]byte, 3*200)
	for i := range plte {
		plte[i] = uint8(rng.Uint32())
	}
	types := []struct {
		name  string
		ctype byte
		bpp   int
	}{
		{"grey", ctGray, 1},
		{"grey+alpha", ctGrayAlpha, 2},
		{"RGB", ctRGB, 3},
		{"RGBA", ctRGBA, 4},
		{"palette", ctPalette, 1},
	}
	for _, ct := range types {
		raw := make([]byte, w*h*ct.bpp)
		for i := range raw {
			// Smooth ramps plus noise, so every predictor has work to do.
			raw[i] = uint8(i/ct.bpp%w*3 + i/(w*ct.bpp)*2 + int(rng.Uint32()%9))
			if ct.ctype == ctPalette {
				raw[i] %= 200
			}
		}
		var p []byte
		if ct.ctype == ctPalette {
			p = plte
		}
		for filter := byte(filterNone); filter <= filterPaeth; filter++ {
			for _, k := range []int{2, 5} {
				t.Run(fmt.Sprintf("%s/filter %d/k=%d", ct.name, filter, k), func(t *testing.T) {
					data := filteredPNG(t, w, h, ct.ctype, ct.bpp, raw, filter, p)
					got, err := decodeShrunk(data, k)
					if err != nil {
						t.Fatalf("decodeShrunk: %v", err)
					}
					if d := maxDiff(got, reference(t, data, k)); d > 0 {
						t.Errorf("differs from the box average of image/png's decode by up to %d levels", d)
					}
				})
			}
		}
	}
}
