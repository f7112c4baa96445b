package heif_test

import (
	"bytes"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
	hb "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
)

// maxParseAlloc bounds what Parse may allocate for any input: the item,
// property and reference tables at their limits, never the input's size.
const maxParseAlloc = 1 << 20

// hostile files, each with the kind of error it must get.
func hostileFiles(t testing.TB) []struct {
	name string
	data []byte
	kind string
} {
	tile := coded(t, "tile64.heic")
	valid := readFile(t, "tile64.heic")
	ftyp := hb.Box("ftyp", []byte("heic"), hb.U32(0), []byte("mif1heic"))
	plain := func(items []hb.Item, refs []hb.Ref, primary uint32) []byte {
		return hb.File{Major: "heic", Compatible: []string{"mif1", "heic"}, Primary: primary, Items: items, Refs: refs}.Bytes()
	}
	grid := func(rows, cols, w, h int, tiles []uint32) []hb.Item {
		items := []hb.Item{{ID: 1000, Type: "grid", Data: hb.GridData(rows, cols, w, h), Props: [][]byte{hb.Ispe(w, h)}}}
		for _, id := range tiles {
			items = append(items, tile.Image(id))
		}
		return items
	}
	ids := func(n int) []uint32 {
		out := make([]uint32, n)
		for i := range out {
			out[i] = uint32(i + 1)
		}
		return out
	}
	// A million tile references in dimg boxes of 65535 each.
	var millionRefs [][]byte
	for n := 0; n < 1_000_000; n += 65535 {
		body := append(hb.U16(1000), hb.U16(65535)...)
		body = append(body, make([]byte, 2*65535)...)
		millionRefs = append(millionRefs, hb.Box("dimg", body))
	}
	manyBoxes := bytes.Repeat(hb.Box("free"), heif.MaxBoxes+1)

	return []struct {
		name string
		data []byte
		kind string
	}{
		{"empty", nil, "format"},
		{"ftyp only", ftyp, "format"},
		{"not HEIF brands", hb.Box("ftyp", []byte("isom"), hb.U32(0), []byte("mp41")), "format"},
		{"truncated in the middle", valid[:len(valid)/2], "format"},
		{"box size smaller than its header", append(append([]byte{}, ftyp...), 0, 0, 0, 4, 'm', 'e', 't', 'a'), "format"},
		{"box size past the end", append(append([]byte{}, ftyp...), 0x7F, 0, 0, 0, 'm', 'e', 't', 'a'), "format"},
		{"64-bit size past the end", append(append([]byte{}, ftyp...), append([]byte{0, 0, 0, 1, 'm', 'd', 'a', 't'}, 0xFF, 0, 0, 0, 0, 0, 0, 0)...), "format"},
		{"size 0 inside meta", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0, []byte{0, 0, 0, 0, 'h', 'd', 'l', 'r'})...), "format"},
		{"more boxes than the bound", append(append([]byte{}, ftyp...), manyBoxes...), "limit"},
		{"no meta", append(append([]byte{}, ftyp...), hb.Box("mdat", []byte{1, 2, 3})...), "format"},
		{"iinf declares 4 billion items", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
			hb.FullBox("iinf", 1, 0, hb.U32(0xFFFFFFFF)))...), "limit"},
		{"iloc declares 4 billion items", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
			hb.FullBox("iloc", 2, 0, []byte{0x44, 0}, hb.U32(0xFFFFFFFF)))...), "limit"},
		{"ipma declares 4 billion items", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
			hb.Box("iprp", hb.Box("ipco"), hb.FullBox("ipma", 0, 0, hb.U32(0xFFFFFFFF))))...), "limit"},
		{"handler is not pict", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("vide"), make([]byte, 13)))...), "format"},
		{"primary item missing", plain([]hb.Item{tile.Image(1)}, nil, 7), "format"},
		{"primary without size", plain([]hb.Item{{ID: 1, Type: "hvc1", Data: tile.Data, Props: [][]byte{tile.Config}}}, nil, 1), "format"},
		{"primary of an unread codec", plain([]hb.Item{{ID: 1, Type: "jpeg", Data: []byte{0xFF, 0xD8}, Props: [][]byte{hb.Ispe(8, 8)}}}, nil, 1), "unsupported"},
		{"property index past ipco", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
			hb.FullBox("pitm", 0, 0, hb.U16(1)),
			hb.FullBox("iinf", 0, 0, hb.U16(1), hb.FullBox("infe", 2, 0, hb.U16(1), hb.U16(0), []byte("hvc1\x00"))),
			hb.FullBox("iloc", 0, 0, []byte{0x44, 0}, hb.U16(1), hb.U16(1), hb.U16(0), hb.U16(1), hb.U32(0), hb.U32(8)),
			hb.Box("iprp", hb.Box("ipco", hb.Ispe(8, 8)), hb.FullBox("ipma", 0, 0, hb.U32(1), hb.U16(1), []byte{1, 5})))...), "format"},
		{"grid of 256x256 tiles", plain(grid(256, 256, 65535, 65535, nil), nil, 1000), "limit"},
		{"huge grid covered by few tiles", plain(grid(1, 1, 1<<30, 1<<30, ids(1)), []hb.Ref{{Type: "dimg", From: 1000, To: ids(1)}}, 1000), "format"},
		{"grid with fewer tiles than declared", plain(grid(4, 4, 256, 256, ids(3)), []hb.Ref{{Type: "dimg", From: 1000, To: ids(3)}}, 1000), "format"},
		{"grid whose tile is itself", plain(grid(1, 1, 64, 64, nil), []hb.Ref{{Type: "dimg", From: 1000, To: []uint32{1000}}}, 1000), "unsupported"},
		{"grid tile without location", plain(grid(1, 1, 64, 64, nil), []hb.Ref{{Type: "dimg", From: 1000, To: []uint32{5}}}, 1000), "format"},
		{"a million tile references", append(append([]byte{}, ftyp...), hb.FullBox("meta", 0, 0,
			hb.FullBox("hdlr", 0, 0, hb.U32(0), []byte("pict"), make([]byte, 13)),
			hb.FullBox("iref", 0, 0, millionRefs...))...), "limit"},
		{"thumbnail of itself", plain([]hb.Item{tile.Image(1)}, []hb.Ref{{Type: "thmb", From: 1, To: []uint32{1}}}, 1), "ok"},
	}
}

func TestHostileFiles(t *testing.T) {
	for _, tt := range hostileFiles(t) {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = heif.Parse(tt.data) })
			if got := errorKind(err); got != tt.kind {
				t.Errorf("error %v (%s), want a %s error", err, got, tt.kind)
			}
			if n > maxParseAlloc {
				t.Errorf("Parse allocated %d bytes for a %d-byte file, bound %d", n, len(tt.data), maxParseAlloc)
			}
		})
	}
}

// Every prefix of a valid file is refused with a format error, without panicking.
func TestTruncatedFiles(t *testing.T) {
	for _, name := range []string{"tile64.heic", "tile64.avif"} {
		data := readFile(t, name)
		if _, err := heif.Parse(data); err != nil {
			t.Fatal(err)
		}
		metaEnd := 0
		for off := 0; off+8 <= len(data); {
			size := int(data[off])<<24 | int(data[off+1])<<16 | int(data[off+2])<<8 | int(data[off+3])
			if string(data[off+4:off+8]) == "meta" {
				metaEnd = off + size
				break
			}
			off += size
		}
		for n := 0; n < metaEnd; n++ {
			if _, err := heif.Parse(data[:n]); errorKind(err) != "format" {
				t.Fatalf("%s cut at %d of %d: error %v, want a format error", name, n, len(data), err)
			}
		}
	}
}
