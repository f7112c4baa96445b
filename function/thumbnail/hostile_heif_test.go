package thumbnail

import (
	"bytes"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
	hb "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

// heifTestdata reads a file of testdata/heif (see testdata/README.md).
func heifTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/heif/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func codedTestdata(t testing.TB, name string) hb.Coded {
	t.Helper()
	c, err := hb.CodedPrimary(heifTestdata(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// heifFile builds a single-item file around coded pixels with the given properties.
func heifFile(c hb.Coded, w, h int, props ...[]byte) []byte {
	f := hb.File{Major: "heic", Compatible: []string{"mif1", "heic"}, Primary: 1}
	if c.Type == "av01" {
		f.Major, f.Compatible = "avif", []string{"mif1", "avif"}
	}
	f.Items = []hb.Item{{ID: 1, Type: c.Type, Data: c.Data, Props: append([][]byte{c.Config, hb.Ispe(w, h)}, props...)}}
	return f.Bytes()
}

// gridOf builds a grid of rows x cols copies of a coded tile.
func gridOf(c hb.Coded, rows, cols, w, h int, props ...[]byte) []byte {
	return gridFileOf(c, rows, cols, w, h, props...).Bytes()
}

// gridFileOf is gridOf before it is written: item 1000 is the grid.
func gridFileOf(c hb.Coded, rows, cols, w, h int, props ...[]byte) hb.File {
	f := hb.File{Major: "heic", Compatible: []string{"mif1", "heic"}, Primary: 1000}
	if c.Type == "av01" {
		f.Major, f.Compatible = "avif", []string{"mif1", "avif"}
	}
	var ids []uint32
	for i := 0; i < rows*cols; i++ {
		f.Items = append(f.Items, c.Image(uint32(i+1)))
		ids = append(ids, uint32(i+1))
	}
	f.Items = append(f.Items, hb.Item{ID: 1000, Type: "grid", Data: hb.GridData(rows, cols, w, h), Props: append([][]byte{hb.Ispe(w, h)}, props...)})
	f.Refs = []hb.Ref{{Type: "dimg", From: 1000, To: ids}}
	return f
}

// millionTileRefs is a container whose grid references a million tiles.
func millionTileRefs(t testing.TB) []byte {
	ftyp := hb.Box("ftyp", []byte("heic"), hb.U32(0), []byte("mif1heic"))
	var refs [][]byte
	for n := 0; n < 1_000_000; n += 65535 {
		body := append(hb.U16(1000), hb.U16(65535)...)
		refs = append(refs, hb.Box("dimg", append(body, make([]byte, 2*65535)...)))
	}
	tile := codedTestdata(t, "tile64.heic")
	meta := hb.FullBox("meta", 0, 0,
		hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
		hb.FullBox("pitm", 0, 0, hb.U16(1000)),
		hb.FullBox("iinf", 0, 0, hb.U16(1), hb.FullBox("infe", 2, 0, hb.U16(1000), hb.U16(0), []byte("grid\x00"))),
		hb.FullBox("iloc", 0, 0, []byte{0x44, 0}, hb.U16(0)),
		hb.Box("iprp", hb.Box("ipco", tile.Config), hb.FullBox("ipma", 0, 0, hb.U32(0))),
		hb.FullBox("iref", 0, 0, refs...))
	return append(ftyp, meta...)
}

// hostileHEIF holds the HEIC and AVIF cases. Decoding ones are bounded by
// the decoder memory (checked apart, as it is mapped outside the Go heap).
func hostileHEIF() []hostileCase {
	tile := func(name string) func(testing.TB) hb.Coded {
		return func(t testing.TB) hb.Coded { return codedTestdata(t, name) }
	}
	heic, avif := tile("tile64.heic"), tile("tile64.avif")
	return []hostileCase{
		{name: "heic declaring 100000x100000", input: func(t testing.TB) []byte { return heifFile(heic(t), 100000, 100000) },
			kind: ErrTooLarge, reason: "heic header declares 100000x100000", bound: fromHeader},
		{name: "avif declaring 70000x10", input: func(t testing.TB) []byte { return heifFile(avif(t), 70000, 10) },
			kind: ErrTooLarge, reason: "side limit", bound: fromHeader},
		{name: "heic grid of 256x256 tiles", input: func(t testing.TB) []byte {
			f := hb.File{Major: "heic", Compatible: []string{"mif1"}, Primary: 1,
				Items: []hb.Item{{ID: 1, Type: "grid", Data: hb.GridData(256, 256, 16384, 16384), Props: [][]byte{hb.Ispe(16384, 16384)}}}}
			return f.Bytes()
		}, kind: ErrTooLarge, reason: "65536 tiles", bound: fromHeader},
		{name: "heic grid declaring 67 MP of tiles that say 512x512", input: func(t testing.TB) []byte {
			c := heic(t)
			c.Width, c.Height = 512, 512
			return gridOf(c, 16, 16, 8192, 8192)
		}, kind: ErrTooLarge, reason: "limit 64000000", bound: fromHeader},
		{name: "heic a million tile references", input: millionTileRefs,
			kind: ErrTooLarge, reason: "item references", bound: fromHeader},
		{name: "heic truncated in its meta box", input: func(t testing.TB) []byte { return heifTestdata(t, "tile64.heic")[:300] },
			kind: ErrCorrupt, reason: "heic header", bound: fromHeader},
		{name: "heic grid whose tile is itself", input: func(t testing.TB) []byte {
			f := hb.File{Major: "heic", Compatible: []string{"mif1"}, Primary: 1,
				Items: []hb.Item{{ID: 1, Type: "grid", Data: hb.GridData(1, 1, 64, 64), Props: [][]byte{hb.Ispe(64, 64)}}},
				Refs:  []hb.Ref{{Type: "dimg", From: 1, To: []uint32{1}}}}
			return f.Bytes()
		}, kind: ErrUnsupported, reason: "grid tile", bound: fromHeader},
		{name: "heic tile data cut short", input: func(t testing.TB) []byte {
			c := heic(t)
			c.Data = c.Data[:len(c.Data)/3]
			return heifFile(c, 64, 64)
		}, kind: ErrCorrupt, reason: "heic data", bound: bounded},
		{name: "avif grid of one odd-sized tile, which libavif decodes to no frame", input: func(t testing.TB) []byte {
			return gridOf(codedTestdata(t, "crop131x67.avif"), 1, 1, 131, 67)
		}, kind: ErrCorrupt, reason: "decoded no frame", bound: bounded},
		{name: "avif declaring 64x64 around a 512x384 picture, decode budget under its need",
			input: func(t testing.TB) []byte {
				c := codedTestdata(t, "photo-thumb-icc.avif")
				return heifFile(c, 64, 64)
			},
			opts: Options{Limits: Limits{MaxPixels: 600_000}}, kind: ErrTooLarge, reason: "needed more than the decode budget", bound: bounded},
	}
}

// TestHostileHEIFDecoderMemory checks the decoding cases against the decode
// budget as the WebAssembly decoders see it: their memory never grows past it.
func TestHostileHEIFDecoderMemory(t *testing.T) {
	wasmcodec.PrecompileDecoders()
	for _, tc := range hostileHEIF() {
		wasmcodec.ResetLargestMemory()
		_, _ = Make(bytes.NewReader(tc.input(t)), tc.opts)
		budget := tc.opts.withDefaults().Limits.decodeBudget() * wasmBudgetFactor
		if got := wasmcodec.LargestMemory(); got > budget {
			t.Errorf("%s: decoder memory grew to %d bytes, budget %d", tc.name, got, budget)
		}
	}
}

// Ensure the walker's bounds are the ones the cases above reach.
var _ = heif.MaxTiles
