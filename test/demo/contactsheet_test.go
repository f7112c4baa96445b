package demo

import (
	"image"
	"image/color"
	"testing"
)

func TestContactSheetPlacesImages(t *testing.T) {
	red := solid(1000, 500, color.RGBA{255, 0, 0, 255})
	blue := solid(128, 128, color.RGBA{0, 0, 255, 255})
	sheet := ContactSheet("title", []SheetRow{
		{Original: red, Thumbnail: blue, Lines: []string{"a.jpg"}},
		{Original: nil, Thumbnail: nil, Lines: []string{"broken.jpg"}},
	})
	if got := sheet.Bounds().Dy(); got != headerHeight+2*rowHeight {
		t.Fatalf("height %d", got)
	}
	top := headerHeight
	// The 1000x500 original is scaled to 256x128, centred in its 256x256 box.
	if c := sheet.RGBAAt(sheetPad+128, top+sheetPad+128); c.R < 200 || c.B > 50 {
		t.Errorf("centre of the original box is %v, want red", c)
	}
	if c := sheet.RGBAAt(sheetPad+128, top+sheetPad+20); c.R == 255 && c.G == 0 {
		t.Errorf("the scaled original fills its whole box: aspect ratio lost")
	}
	// The thumbnail is drawn at its own size beside it.
	thumbX := sheetPad + originalBox + sheetPad
	thumbY := top + (rowHeight-thumbnailBox)/2
	for _, p := range []image.Point{{thumbX + 1, thumbY + 1}, {thumbX + 126, thumbY + 126}} {
		if c := sheet.RGBAAt(p.X, p.Y); c != (color.RGBA{0, 0, 255, 255}) {
			t.Errorf("thumbnail pixel at %v is %v", p, c)
		}
	}
	if c := sheet.RGBAAt(thumbX+129, thumbY+64); c == (color.RGBA{0, 0, 255, 255}) {
		t.Error("the thumbnail was scaled up")
	}
	// A missing image leaves a grey frame.
	if c := sheet.RGBAAt(sheetPad+5, top+rowHeight+sheetPad+5); c != (color.RGBA{235, 235, 235, 255}) {
		t.Errorf("empty frame is %v", c)
	}
}

func solid(w, h int, c color.RGBA) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, c)
		}
	}
	return img
}
