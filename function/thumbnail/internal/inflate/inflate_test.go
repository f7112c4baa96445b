package inflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// pieces is a Source over a list of pieces.
type pieces struct{ p [][]byte }

// Next implements Source.
func (s *pieces) Next() ([]byte, error) {
	if len(s.p) == 0 {
		return nil, io.EOF
	}
	b := s.p[0]
	s.p = s.p[1:]
	return b, nil
}

// split cuts b into pieces at cut points drawn from seed, empty and
// one-byte pieces included; seed 0 gives b whole.
func split(b []byte, seed uint64) [][]byte {
	if seed == 0 {
		return [][]byte{b}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var out [][]byte
	for len(b) > 0 {
		var n int
		switch rng.IntN(4) {
		case 0:
			n = 0
		case 1:
			n = 1
		case 2:
			n = rng.IntN(16)
		default:
			n = rng.IntN(1 << 14)
		}
		n = min(n, len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, nil)
}

// readAll reads r to its end or up to limit bytes, bufSize at a time.
func readAll(r io.Reader, limit, bufSize int) ([]byte, error) {
	var out []byte
	buf := make([]byte, bufSize)
	for len(out) < limit {
		n, err := r.Read(buf[:min(bufSize, limit-len(out))])
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// inflateAll decompresses pieces with a new Reader.
func inflateAll(p [][]byte, isZlib bool, limit, bufSize int) ([]byte, error) {
	return readAll(NewReader(&pieces{p}, isZlib), limit, bufSize)
}

// reference decompresses b with the standard library.
func reference(b []byte, isZlib bool, limit int) ([]byte, error) {
	var r io.Reader
	if isZlib {
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(b))
	}
	return readAll(r, limit, 1<<16)
}

// zlibStream is a named zlib stream for the differential tests.
type zlibStream struct {
	name string
	data []byte
}

// pngStreams returns the image data of the standard library's PNG test
// files, each the concatenated IDAT payloads, a zlib stream.
func pngStreams(t testing.TB) []zlibStream {
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.png"))
	more, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	paths = append(paths, more...)
	if err != nil || len(paths) < 40 {
		t.Fatalf("standard library PNG test files: %d found, %v", len(paths), err)
	}
	var out []zlibStream
	for _, p := range paths {
		file, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var idat []byte
		for i := 8; i+12 <= len(file); {
			n := int(binary.BigEndian.Uint32(file[i:]))
			if i+12+n > len(file) {
				break
			}
			if string(file[i+4:i+8]) == "IDAT" {
				idat = append(idat, file[i+8:i+8+n]...)
			}
			i += 12 + n
		}
		if len(idat) > 0 {
			out = append(out, zlibStream{filepath.Base(p), idat})
		}
	}
	return out
}

// generatedInputs are data of the kinds deflate meets: image rows, text,
// noise, runs, and the empty input.
func generatedInputs() map[string][]byte {
	rng := rand.New(rand.NewPCG(17, 17))
	noise := make([]byte, 70000)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	words := []string{"inflate ", "thumbnail ", "png ", "row ", "filter\n", "a", "zz "}
	var text []byte
	for len(text) < 300000 {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			img.Set(x, y, color.NRGBA{uint8(x * y / 64), uint8(x + y), uint8(rng.IntN(8) + x/2), 255})
		}
	}
	return map[string][]byte{
		"empty": nil,
		"one":   {42},
		"noise": noise,
		"text":  text,
		"runs":  bytes.Repeat([]byte{0, 0, 0, 0, 0, 7, 7, 7, 1, 2}, 50000),
		"pixels": func() []byte {
			var b bytes.Buffer
			for y := range 300 {
				b.WriteByte(byte(y % 5))
				b.Write(img.Pix[y*img.Stride : (y+1)*img.Stride])
			}
			return b.Bytes()
		}(),
	}
}

// generatedStreams compresses every generated input at every level of
// compress/zlib, which covers stored, fixed and dynamic blocks.
func generatedStreams(t testing.TB) []zlibStream {
	var out []zlibStream
	inputs := generatedInputs()
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		data := inputs[name]
		for level := flate.HuffmanOnly; level <= flate.BestCompression; level++ {
			var b bytes.Buffer
			w, err := zlib.NewWriterLevel(&b, level)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			w.Close()
			out = append(out, zlibStream{name + "/level" + string(rune('0'+level+2)), b.Bytes()})
		}
	}
	return out
}

// strategyStreams reads testdata/zlib-strategies.bin (see gen.py): streams
// made by zlib with fixed codes only, run-length and Huffman-only coding.
func strategyStreams(t testing.TB) []zlibStream {
	b, err := os.ReadFile("testdata/zlib-strategies.bin")
	if err != nil {
		t.Fatal(err)
	}
	var out []zlibStream
	for len(b) >= 4 {
		n := int(binary.BigEndian.Uint32(b))
		out = append(out, zlibStream{"zlib-strategies/" + string(rune('a'+len(out)%26)), b[4 : 4+n]})
		b = b[4+n:]
	}
	return out
}

func allStreams(t testing.TB) []zlibStream {
	s := append(pngStreams(t), generatedStreams(t)...)
	return append(s, strategyStreams(t)...)
}

// TestMatchesStandardLibrary decompresses real and generated zlib streams,
// whole and cut into pieces, read in small and large steps, and compares
// with compress/zlib; the raw DEFLATE inside each is compared with
// compress/flate.
func TestMatchesStandardLibrary(t *testing.T) {
	streams := allStreams(t)
	if len(streams) < 150 {
		t.Fatalf("only %d streams", len(streams))
	}
	for i, s := range streams {
		want, err := reference(s.data, true, 1<<30)
		if err != nil {
			continue // invalid-zlib.png: TestCorruptionMatchesStandardLibrary
		}
		for _, c := range []struct {
			seed    uint64
			bufSize int
		}{{0, 1 << 20}, {uint64(i + 1), 1}, {uint64(i + 100), 4099}} {
			if c.bufSize == 1 && len(want) > 200000 {
				continue
			}
			got, err := inflateAll(split(s.data, c.seed), true, 1<<30, c.bufSize)
			if err != nil {
				t.Fatalf("%s (split %d, reads of %d): %v", s.name, c.seed, c.bufSize, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s (split %d, reads of %d): %d bytes differ from compress/zlib's %d", s.name, c.seed, c.bufSize, len(got), len(want))
			}
		}
		raw := s.data[2 : len(s.data)-4]
		got, err := inflateAll(split(raw, uint64(i+7)), false, 1<<30, 1<<16)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s as raw DEFLATE: %d bytes, %v", s.name, len(got), err)
		}
	}
}

// TestCorruptionMatchesStandardLibrary damages every stream (truncation,
// flipped bits, a wrong checksum) and checks that both decoders reject the
// same streams, and agree on the output of the ones they accept.
func TestCorruptionMatchesStandardLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i, s := range allStreams(t) {
		if len(s.data) < 8 {
			continue
		}
		for j := range 12 {
			d := bytes.Clone(s.data)
			switch j % 3 {
			case 0:
				d = d[:rng.IntN(len(d))]
			case 1:
				d[rng.IntN(len(d))] ^= 1 << rng.IntN(8)
			default:
				d[len(d)-1-rng.IntN(4)]++
			}
			compare(t, d, uint64(i*12+j+1), true)
		}
	}
}

// compare checks the Reader against the standard library on one stream.
func compare(t testing.TB, data []byte, seed uint64, isZlib bool) {
	t.Helper()
	const limit = 1 << 22
	want, wantErr := reference(data, isZlib, limit)
	got, err := inflateAll(split(data, seed), isZlib, limit, 1<<15)
	switch {
	case (err == nil) != (wantErr == nil):
		t.Fatalf("stream %x...: error %v, standard library's %v", data[:min(len(data), 16)], err, wantErr)
	case err == nil && !bytes.Equal(got, want):
		t.Fatalf("stream %x...: %d bytes differ from the standard library's %d", data[:min(len(data), 16)], len(got), len(want))
	}
}

// TestHostileStreams covers the invalid constructs one by one: each must be
// rejected with the standard library rejecting it too.
func TestHostileStreams(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte // raw DEFLATE
		want string
	}{
		{"block type 3", []byte{0x07}, "block type 3"},
		{"stored length without its complement", []byte{0x01, 0x05, 0x00, 0x00, 0x00}, "stored block length"},
		{"truncated stored block", []byte{0x01, 0x05, 0x00, 0xfa, 0xff, 'a'}, io.ErrUnexpectedEOF.Error()},
		{"distance before the start", bitsLE("1", "10", "0000001", "00000"), "before the start"},
		{"fixed literal/length symbol 286", bitsLE("1", "10", "11000110"), "invalid literal/length"},
		{"fixed distance symbol 30", bitsLE("1", "10", "00110000", "0000001", "11110"), "invalid distance"},
		{"over-subscribed code length code", dynamicHeader(19, 1), "invalid code length code"},
		{"incomplete code length code", dynamicHeader(4, 3), "invalid code length code"},
		{"empty", nil, io.ErrUnexpectedEOF.Error()},
		{"no end of block", bitsLE("1", "10", "00110000"), io.ErrUnexpectedEOF.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, wantErr := reference(tc.raw, false, 1<<20)
			if wantErr == nil {
				t.Fatalf("compress/flate accepts the stream: the test stream is wrong")
			}
			_, err := inflateAll([][]byte{tc.raw}, false, 1<<20, 1<<16)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
				t.Fatalf("error %v, want one containing %q (compress/flate: %v)", err, tc.want, wantErr)
			}
		})
	}
	zlibTests := []struct {
		name string
		data []byte
		want error
	}{
		{"not deflate", []byte{0x79, 0x9c, 0x03, 0x00, 0, 0, 0, 1}, ErrHeader},
		{"header check", []byte{0x78, 0x9d, 0x03, 0x00, 0, 0, 0, 1}, ErrHeader},
		{"preset dictionary", []byte{0x78, 0xbb, 0, 0, 0, 2, 0x03, 0x00, 0, 0, 0, 1}, ErrHeader},
		{"bad checksum", []byte{0x78, 0x9c, 0x03, 0x00, 0, 0, 0, 2}, ErrChecksum},
		{"missing checksum", []byte{0x78, 0x9c, 0x03, 0x00, 0, 0, 0}, io.ErrUnexpectedEOF},
	}
	for _, tc := range zlibTests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := reference(tc.data, true, 1<<20); err == nil {
				t.Fatalf("compress/zlib accepts the stream: the test stream is wrong")
			}
			if _, err := inflateAll([][]byte{tc.data}, true, 1<<20, 1<<16); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := inflateAll([][]byte{{0x78, 0x9c, 0x03, 0x00, 0, 0, 0, 1}}, true, 1<<20, 1<<16); err != nil {
		t.Fatalf("the valid empty zlib stream the cases above damage: %v", err)
	}
}

// bitsLE packs groups of bits, each written most significant bit first as
// in RFC 1951's figures for Huffman codes; header fields and extra bits
// must be given reversed.
func bitsLE(groups ...string) []byte {
	var out []byte
	n := 0
	for _, g := range groups {
		for _, c := range g {
			if n%8 == 0 {
				out = append(out, 0)
			}
			if c == '1' {
				out[n/8] |= 1 << (n % 8)
			}
			n++
		}
	}
	return out
}

// dynamicHeader is a final dynamic block whose code length code gives the
// first nclen symbols (in transmission order) length ln.
func dynamicHeader(nclen, ln int) []byte {
	g := []string{"1", "01", "00000", "00000", rev(nclen-4, 4)}
	for range nclen {
		g = append(g, rev(ln, 3))
	}
	return append(bitsLE(g...), 0, 0, 0)
}

// rev writes v as n bits, least significant first.
func rev(v, n int) string {
	s := make([]byte, n)
	for i := range n {
		s[i] = '0' + byte(v>>i&1)
	}
	return string(s)
}

// TestOutputBoundedByReads inflates a bomb (a gigabyte of zeros in about a
// megabyte) reading only part of it: memory stays the Reader's window.
func TestOutputBoundedByReads(t *testing.T) {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 1 << 10 {
		w.Write(zeros)
	}
	w.Close()
	r := NewReader(NewBytesSource(b.Bytes()), true)
	buf := make([]byte, 1<<16)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 1 << 10 {
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("%d bytes allocated reading 64 MiB of output", n)
	}
}

// TestReset reuses one Reader for many streams.
func TestReset(t *testing.T) {
	streams := generatedStreams(t)
	r := NewReader(NewBytesSource(nil), true)
	for _, s := range streams[:20] {
		want, _ := reference(s.data, true, 1<<30)
		r.Reset(NewBytesSource(s.data), true)
		got, err := readAll(r, 1<<30, 1<<16)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s after Reset: %d bytes, %v", s.name, len(got), err)
		}
	}
}
