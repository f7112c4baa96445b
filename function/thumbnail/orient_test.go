package thumbnail

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// The upright picture every orientation test must get back: 64x32, four
// colours, so any wrong turn or mirror moves a colour to the wrong corner.
var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

const uprightW, uprightH = 64, 32

// exifLayouts is the EXIF specification's table for tag 0x0112: which side of
// the upright picture the stored image's first row and first column show.
var exifLayouts = map[int]struct{ row0, col0 string }{
	1: {"top", "left"},
	2: {"top", "right"},
	3: {"bottom", "right"},
	4: {"bottom", "left"},
	5: {"left", "top"},
	6: {"right", "top"},
	7: {"right", "bottom"},
	8: {"left", "bottom"},
}

// storedFor returns the image a camera would store for upright with the given
// orientation, following the specification's table rather than the code under test.
func storedFor(upright *image.NRGBA, orientation int) *image.NRGBA {
	l := exifLayouts[orientation]
	uw, uh := upright.Bounds().Dx(), upright.Bounds().Dy()
	sw, sh := uw, uh
	if l.row0 == "left" || l.row0 == "right" {
		sw, sh = uh, uw
	}
	stored := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			var ux, uy int
			switch l.row0 { // stored row sy runs along this upright side, sy steps inward
			case "top":
				uy = sy
			case "bottom":
				uy = uh - 1 - sy
			case "left":
				ux = sy
			case "right":
				ux = uw - 1 - sy
			}
			switch l.col0 { // stored column sx runs along this upright side, sx steps inward
			case "left":
				ux = sx
			case "right":
				ux = uw - 1 - sx
			case "top":
				uy = sx
			case "bottom":
				uy = uh - 1 - sx
			}
			stored.SetNRGBA(sx, sy, upright.NRGBAAt(ux, uy))
		}
	}
	return stored
}

// withJPEGExif inserts an APP1 Exif segment holding orientation right after SOI.
func withJPEGExif(jpegData []byte, orientation int) []byte {
	exif := append([]byte("Exif\x00\x00"), tiffWithOrientation(binary.LittleEndian, tiffShort, uint32(orientation))...)
	out := append([]byte{}, jpegData[:2]...)
	out = append(out, jpegSegment(0xE1, exif)...)
	return append(out, jpegData[2:]...)
}

// withPNGExif inserts an eXIf chunk holding orientation right after IHDR.
func withPNGExif(pngData []byte, orientation int) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(pngData[:ihdrEnd])
	writePNGChunk(&b, "eXIf", tiffWithOrientation(binary.BigEndian, tiffShort, uint32(orientation)))
	b.Write(pngData[ihdrEnd:])
	return b.Bytes()
}

// withWebPExif rewraps a simple lossless WebP as an extended one with an EXIF chunk.
func withWebPExif(t *testing.T, webpData []byte, w, h, orientation int) []byte {
	if string(webpData[12:16]) != "VP8L" {
		t.Fatalf("want a simple lossless WebP, got chunk %q", webpData[12:16])
	}
	const exifFlag, alphaFlag = 8, 16
	image := append([]byte{}, webpData[12:16]...)
	image = append(image, webpData[20:]...)
	exif := append([]byte("EXIF"), tiffWithOrientation(binary.LittleEndian, tiffShort, uint32(orientation))...)
	return riffWebP(vp8xChunk(exifFlag|alphaFlag, uint32(w), uint32(h)), image, exif)
}

// TestOrientation checks every EXIF orientation, in each container that can
// carry one, makes the upright picture.
func TestOrientation(t *testing.T) {
	upright := quadrants(uprightW, uprightH, red, green, blue, white)
	containers := []struct {
		name   string
		encode func(t *testing.T, stored *image.NRGBA, orientation int) []byte
	}{
		{"jpeg", func(t *testing.T, s *image.NRGBA, o int) []byte { return withJPEGExif(encodeJPEGBytes(t, s), o) }},
		{"png", func(t *testing.T, s *image.NRGBA, o int) []byte { return withPNGExif(encodePNGBytes(t, s), o) }},
		{"webp", func(t *testing.T, s *image.NRGBA, o int) []byte {
			data, _, err := webpLossless(s)
			if err != nil {
				t.Fatal(err)
			}
			return withWebPExif(t, data, s.Bounds().Dx(), s.Bounds().Dy(), o)
		}},
	}
	modes := []struct {
		mode         Mode
		boxW, boxH   int
		wantW, wantH int
	}{
		{ModeFit, 32, 32, 32, 16},
		{ModeFill, 48, 24, 48, 24},
		{ModeStretch, 40, 40, 40, 40},
	}
	for _, c := range containers {
		for o := 1; o <= 8; o++ {
			stored := storedFor(upright, o)
			data := c.encode(t, stored, o)
			for _, m := range modes {
				t.Run(c.name+"/"+string(rune('0'+o))+"/"+string(m.mode), func(t *testing.T) {
					r := mustMake(t, data, Options{Mode: m.mode, Width: m.boxW, Height: m.boxH, Format: PNG})
					if r.Orientation != o {
						t.Errorf("Orientation %d, want %d", r.Orientation, o)
					}
					if r.SourceWidth != stored.Bounds().Dx() || r.SourceHeight != stored.Bounds().Dy() {
						t.Errorf("source %dx%d, want the stored %v", r.SourceWidth, r.SourceHeight, stored.Bounds().Size())
					}
					if r.Width != m.wantW || r.Height != m.wantH {
						t.Fatalf("thumbnail %dx%d, want %dx%d", r.Width, r.Height, m.wantW, m.wantH)
					}
					img := decodeResult(t, r)
					corners := []struct {
						name string
						x, y int
						want color.NRGBA
					}{
						{"top-left", r.Width / 4, r.Height / 4, red},
						{"top-right", r.Width * 3 / 4, r.Height / 4, green},
						{"bottom-left", r.Width / 4, r.Height * 3 / 4, blue},
						{"bottom-right", r.Width * 3 / 4, r.Height * 3 / 4, white},
					}
					for _, q := range corners {
						if got := rgba8(img.At(q.x, q.y)); !near(got, rgba8(q.want), 40) {
							t.Errorf("%s is %v, want %v", q.name, got, q.want)
						}
					}
				})
			}
		}
	}
}

// TestOrientNoExif checks a photo without EXIF reports orientation 1.
func TestOrientNoExif(t *testing.T) {
	r := mustMake(t, readTestdata(t, "video-001.jpeg"), Options{})
	if r.Orientation != 1 {
		t.Errorf("Orientation %d, want 1", r.Orientation)
	}
}
