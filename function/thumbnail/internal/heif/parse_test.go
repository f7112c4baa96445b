package heif_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
	hb "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
)

func TestParseEncoderFiles(t *testing.T) {
	tests := []struct {
		file          string
		codec         heif.Codec
		major         string
		width, height int
		icc           bool
		thumbnail     [2]int
	}{
		{"tile64.heic", heif.HEVC, "heic", 64, 64, false, [2]int{}},
		{"tile64.avif", heif.AV1, "avif", 64, 64, false, [2]int{}},
		{"photo-thumb-icc.heic", heif.HEVC, "heic", 512, 384, true, [2]int{160, 120}},
		{"photo-thumb-icc.avif", heif.AV1, "avif", 512, 384, true, [2]int{160, 120}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFile(t, tt.file)
			codec, ok := heif.Sniff(data)
			if !ok || codec != tt.codec {
				t.Errorf("Sniff = %q, %v; want %q, true", codec, ok, tt.codec)
			}
			info, err := heif.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if info.Codec != tt.codec || info.MajorBrand != tt.major || info.Width != tt.width || info.Height != tt.height {
				t.Errorf("got %s %s %dx%d, want %s %s %dx%d", info.Codec, info.MajorBrand, info.Width, info.Height, tt.codec, tt.major, tt.width, tt.height)
			}
			if info.Orientation != 1 || info.HasTransform || info.Grid != nil {
				t.Errorf("orientation %d transform %v grid %v; want a plain image", info.Orientation, info.HasTransform, info.Grid)
			}
			// An ICC profile starts with its own size and has "acsp" at offset 36.
			hasICC := len(info.ICC) >= 128 && string(info.ICC[36:40]) == "acsp" &&
				int(info.ICC[0])<<24|int(info.ICC[1])<<16|int(info.ICC[2])<<8|int(info.ICC[3]) == len(info.ICC)
			if hasICC != tt.icc {
				t.Errorf("ICC profile found %v (%d bytes), want %v", hasICC, len(info.ICC), tt.icc)
			}
			switch {
			case tt.thumbnail == [2]int{} && len(info.Thumbnails) != 0:
				t.Errorf("thumbnails %+v, want none", info.Thumbnails)
			case tt.thumbnail != [2]int{} && (len(info.Thumbnails) != 1 || info.Thumbnails[0].Width != tt.thumbnail[0] || info.Thumbnails[0].Height != tt.thumbnail[1] || info.Thumbnails[0].Codec != tt.codec):
				t.Errorf("thumbnails %+v, want one %dx%d", info.Thumbnails, tt.thumbnail[0], tt.thumbnail[1])
			}
		})
	}
}

func TestWithPrimaryMakesTheThumbnailPrimary(t *testing.T) {
	for _, name := range []string{"photo-thumb-icc.heic", "photo-thumb-icc.avif"} {
		data := readFile(t, name)
		info, err := heif.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		th := info.Thumbnails[0]
		patched, err := info.WithPrimary(data, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(patched) != len(data) || bytes.Equal(patched, data) {
			t.Fatalf("%s: patched copy has %d bytes (equal to the original: %v)", name, len(patched), bytes.Equal(patched, data))
		}
		again, err := heif.Parse(patched)
		if err != nil {
			t.Fatal(err)
		}
		if again.PrimaryID != th.ID || again.Width != th.Width || again.Height != th.Height {
			t.Errorf("%s: primary now %d %dx%d, want %d %dx%d", name, again.PrimaryID, again.Width, again.Height, th.ID, th.Width, th.Height)
		}
	}
}

func TestOrientationFromTransforms(t *testing.T) {
	tile := coded(t, "tile64.heic")
	tests := []struct {
		name  string
		props [][]byte
		want  int
	}{
		{"none", nil, 1},
		{"irot 0", [][]byte{hb.Irot(0)}, 1},
		{"irot 90 anticlockwise", [][]byte{hb.Irot(1)}, 8},
		{"irot 180", [][]byte{hb.Irot(2)}, 3},
		{"irot 270 anticlockwise", [][]byte{hb.Irot(3)}, 6},
		{"imir 0: top-bottom", [][]byte{hb.Imir(0)}, 4},
		{"imir 1: left-right", [][]byte{hb.Imir(1)}, 2},
		// The stored top-left corner goes to the bottom-left, then to the
		// bottom-right: the transverse.
		{"irot 90 then imir left-right", [][]byte{hb.Irot(1), hb.Imir(1)}, 7},
		// Top-left goes to the top-right, then back to the top-left: the transpose.
		{"imir left-right then irot 90", [][]byte{hb.Imir(1), hb.Irot(1)}, 5},
		{"irot 270 then imir left-right", [][]byte{hb.Irot(3), hb.Imir(1)}, 5},
		{"imir top-bottom then irot 180", [][]byte{hb.Imir(0), hb.Irot(2)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := hb.File{Major: "heic", Compatible: []string{"mif1", "heic"}, Primary: 1, Items: []hb.Item{tile.Image(1, tt.props...)}}
			info, err := heif.Parse(f.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if info.Orientation != tt.want || info.HasTransform != (len(tt.props) > 0) {
				t.Errorf("orientation %d (transform %v), want %d", info.Orientation, info.HasTransform, tt.want)
			}
		})
	}
}

// gridFile is a rows x cols grid of 64x64 tiles cropped to w x h, with the
// grid's properties, an Exif item and a thumbnail.
func gridFile(t testing.TB, tileFile string, rows, cols, w, h int, gridProps ...[]byte) []byte {
	tile := coded(t, tileFile)
	f := hb.File{Major: "heic", Compatible: []string{"mif1", "heic"}, Primary: 100}
	if tile.Type == "av01" {
		f.Major, f.Compatible = "avif", []string{"mif1", "avif"}
	}
	var ids []uint32
	for i := 0; i < rows*cols; i++ {
		f.Items = append(f.Items, tile.Image(uint32(i+1)))
		ids = append(ids, uint32(i+1))
	}
	f.Items = append(f.Items,
		hb.Item{ID: 100, Type: "grid", Data: hb.GridData(rows, cols, w, h), Props: append([][]byte{hb.Ispe(w, h)}, gridProps...)},
		hb.Item{ID: 101, Type: "Exif", Data: hb.ExifData(6)},
		tile.Image(102),
	)
	f.Refs = []hb.Ref{{Type: "dimg", From: 100, To: ids}, {Type: "cdsc", From: 101, To: []uint32{100}}, {Type: "thmb", From: 102, To: []uint32{100}}}
	return f.Bytes()
}

func TestGrid(t *testing.T) {
	for _, tile := range []string{"tile64.heic", "tile64.avif"} {
		t.Run(tile, func(t *testing.T) {
			info, err := heif.Parse(gridFile(t, tile, 2, 3, 180, 100, hb.Irot(3), hb.ColrNCLX(1, 13, 6, true)))
			if err != nil {
				t.Fatal(err)
			}
			want := heif.Grid{Rows: 2, Columns: 3, TileWidth: 64, TileHeight: 64, OutputWidth: 180, OutputHeight: 100}
			if info.Grid != nil {
				want.TileIDs = info.Grid.TileIDs
			}
			if info.Grid == nil || !reflect.DeepEqual(*info.Grid, want) || info.Grid.Tiles() != 6 || len(info.Grid.TileIDs) != 6 || info.Grid.TileIDs[5] != 6 {
				t.Fatalf("grid %+v, want %+v", info.Grid, want)
			}
			if info.Width != 180 || info.Height != 100 || info.Orientation != 6 {
				t.Errorf("%dx%d orientation %d, want 180x100 orientation 6", info.Width, info.Height, info.Orientation)
			}
			if info.NCLX == nil || *info.NCLX != (heif.NCLX{ColourPrimaries: 1, TransferCharacteristics: 13, MatrixCoefficients: 6, FullRange: true}) {
				t.Errorf("nclx %+v", info.NCLX)
			}
			if len(info.Exif) < 8 || string(info.Exif[:4]) != "MM\x00*" {
				t.Errorf("Exif % x, want a big-endian TIFF header", info.Exif)
			}
			if len(info.Thumbnails) != 1 || info.Thumbnails[0].ID != 102 || info.Thumbnails[0].Width != 64 {
				t.Errorf("thumbnails %+v, want item 102 of 64x64", info.Thumbnails)
			}
		})
	}
}

func TestSniffBrands(t *testing.T) {
	ftyp := func(major string, compat ...string) []byte {
		var c []byte
		for _, b := range compat {
			c = append(c, b...)
		}
		return hb.Box("ftyp", []byte(major), hb.U32(0), c)
	}
	tests := []struct {
		data  []byte
		codec heif.Codec
		ok    bool
	}{
		{ftyp("heic", "mif1"), heif.HEVC, true},
		{ftyp("heix"), heif.HEVC, true},
		{ftyp("mif1", "heic"), heif.HEVC, true},
		{ftyp("msf1", "hevc"), heif.HEVC, true},
		{ftyp("avif", "mif1"), heif.AV1, true},
		{ftyp("mif1", "avif"), heif.AV1, true},
		{ftyp("avis", "msf1"), heif.AV1, true},
		{ftyp("mif1", "miaf"), "", true},
		{ftyp("isom", "mp41"), "", false},
		{ftyp("qt  "), "", false},
		{[]byte("\x00\x00\x00\x10ftyphei"), "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		codec, ok := heif.Sniff(tt.data)
		if codec != tt.codec || ok != tt.ok {
			t.Errorf("Sniff(%q) = %q, %v; want %q, %v", tt.data, codec, ok, tt.codec, tt.ok)
		}
	}
}

// errorKind names the type of a walker error.
func errorKind(err error) string {
	var f heif.FormatError
	var l heif.LimitError
	var u heif.UnsupportedError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &f):
		return "format"
	case errors.As(err, &l):
		return "limit"
	case errors.As(err, &u):
		return "unsupported"
	}
	return "other"
}
