package thumbnail

import (
	"bytes"
	"image"
	"testing"
)

// recordingDecoder remembers the target the decode step asked for and, like a
// scaled decoder, returns the image at half size.
type recordingDecoder struct {
	real             decodeFunc
	targetW, targetH int
}

func (d *recordingDecoder) decode(data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error) {
	d.targetW, d.targetH = targetW, targetH
	full, err := d.real(data, h, targetW, targetH, budget)
	if err != nil {
		return nil, err
	}
	b := full.Bounds()
	half := image.NewNRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < half.Bounds().Dy(); y++ {
		for x := 0; x < half.Bounds().Dx(); x++ {
			half.Set(x, y, full.At(b.Min.X+2*x, b.Min.Y+2*y))
		}
	}
	return half, nil
}

// TestDecodeTarget checks the decode step asks for the smallest decode that
// still gives full detail, in stored orientation, and that a decoder returning
// a reduced image still yields the requested thumbnail.
func TestDecodeTarget(t *testing.T) {
	tests := []struct {
		name             string
		orientation      int
		opts             Options
		targetW, targetH int
		wantW, wantH     int
	}{
		// 400x200 stored; the fill box 100x50 keeps all of it at a quarter.
		{"fill, upright", 1, Options{Width: 100, Height: 50}, 100, 50, 100, 50},
		// Turned, the box is 50x100 in stored orientation: a 100x200 crop, scaled by 1/2.
		{"fill, turned", 6, Options{Width: 100, Height: 50}, 200, 100, 100, 50},
		{"fit, turned", 8, Options{Width: 100, Height: 100, Mode: ModeFit}, 100, 50, 50, 100},
		{"stretch", 1, Options{Width: 30, Height: 60, Mode: ModeStretch}, 30, 60, 30, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingDecoder{real: codecOf(PNG).decode}
			replaceDecode(t, PNG, rec.decode)

			src := quadrants(400, 200, red, green, blue, white)
			tt.opts.Format = PNG
			r, err := Make(bytes.NewReader(withPNGExif(encodePNGBytes(t, src), tt.orientation)), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if rec.targetW != tt.targetW || rec.targetH != tt.targetH {
				t.Errorf("decode target %dx%d, want %dx%d", rec.targetW, rec.targetH, tt.targetW, tt.targetH)
			}
			if r.Width != tt.wantW || r.Height != tt.wantH {
				t.Errorf("thumbnail %dx%d from a half-size decode, want %dx%d", r.Width, r.Height, tt.wantW, tt.wantH)
			}
			if r.SourceWidth != 400 || r.SourceHeight != 200 {
				t.Errorf("source %dx%d, want the stored 400x200 from the header", r.SourceWidth, r.SourceHeight)
			}
		})
	}
}
