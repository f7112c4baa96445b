package heif_test

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
	hb "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
)

// FuzzParse: no input panics, allocates past the bound, or yields an image
// description that breaks the walker's promises.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"tile64.heic", "tile64.avif", "photo-thumb-icc.heic", "photo-thumb-icc.avif"} {
		f.Add(readFile(f, name))
	}
	f.Add(gridFile(f, "tile64.heic", 2, 2, 100, 100, hb.Irot(1), hb.Imir(0)))
	for _, h := range hostileFiles(f) {
		f.Add(h.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var info *heif.Info
		var err error
		if n := allocated(func() { info, err = heif.Parse(data) }); n > maxParseAlloc+uint64(len(data)) {
			t.Fatalf("Parse allocated %d bytes for %d", n, len(data))
		}
		if err != nil {
			if errorKind(err) == "other" {
				t.Fatalf("error of an unexpected type: %v", err)
			}
			return
		}
		if info.Width < 1 || info.Height < 1 || info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("parsed %dx%d orientation %d", info.Width, info.Height, info.Orientation)
		}
		if info.Codec != heif.HEVC && info.Codec != heif.AV1 {
			t.Fatalf("codec %q", info.Codec)
		}
		if g := info.Grid; g != nil && (g.Tiles() > heif.MaxTiles || len(g.TileIDs) != g.Tiles() || g.TileWidth*g.Columns < g.OutputWidth || g.TileHeight*g.Rows < g.OutputHeight) {
			t.Fatalf("grid %+v", *g)
		}
		for _, th := range info.Thumbnails {
			if _, err := info.WithPrimary(data, th.ID); err != nil {
				t.Fatalf("thumbnail %d: %v", th.ID, err)
			}
		}
	})
}
