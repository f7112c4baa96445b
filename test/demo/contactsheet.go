package demo

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// SheetRow is one sample on the contact sheet.
type SheetRow struct {
	// Original and Thumbnail are drawn side by side; nil draws an empty frame.
	Original, Thumbnail image.Image
	// Lines are printed to their right.
	Lines []string
}

// Layout of the contact sheet, in pixels.
const (
	sheetPad       = 12
	originalBox    = 256 // originals are scaled down to fit this square
	thumbnailBox   = 128 // thumbnails are drawn at their own size
	sheetTextWidth = 520
	rowHeight      = originalBox + 2*sheetPad
	headerHeight   = 36
	sheetWidth     = sheetPad + originalBox + sheetPad + thumbnailBox + 2*sheetPad + sheetTextWidth
)

// ContactSheet draws every row: the original scaled down (as stored: a reader that
// ignores EXIF shows a rotated phone photo sideways) beside the thumbnail at its real size.
func ContactSheet(title string, rows []SheetRow) *image.RGBA {
	sheet := image.NewRGBA(image.Rect(0, 0, sheetWidth, headerHeight+len(rows)*rowHeight))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	text(sheet, sheetPad, 22, title)
	for i, row := range rows {
		top := headerHeight + i*rowHeight
		origin := image.Rect(sheetPad, top+sheetPad, sheetPad+originalBox, top+sheetPad+originalBox)
		place(sheet, origin, row.Original, true)
		thumbX := origin.Max.X + sheetPad
		thumbY := top + (rowHeight-thumbnailBox)/2
		place(sheet, image.Rect(thumbX, thumbY, thumbX+thumbnailBox, thumbY+thumbnailBox), row.Thumbnail, false)
		textX := thumbX + thumbnailBox + 2*sheetPad
		for j, line := range row.Lines {
			text(sheet, textX, top+sheetPad+16+j*18, line)
		}
		if i > 0 {
			draw.Draw(sheet, image.Rect(0, top, sheetWidth, top+1), image.NewUniform(color.Gray{220}), image.Point{}, draw.Src)
		}
	}
	return sheet
}

// place draws img in box over a checkerboard (which shows transparency): scaled down to
// fit, keeping its aspect ratio, when scale is set; at its own size otherwise.
func place(dst *image.RGBA, box image.Rectangle, img image.Image, scale bool) {
	if img == nil {
		draw.Draw(dst, box, image.NewUniform(color.Gray{235}), image.Point{}, draw.Src)
		text(dst, box.Min.X+8, box.Min.Y+box.Dy()/2, "none")
		return
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if scale && (w > box.Dx() || h > box.Dy()) {
		if w*box.Dy() > h*box.Dx() {
			w, h = box.Dx(), max(1, h*box.Dx()/w)
		} else {
			w, h = max(1, w*box.Dy()/h), box.Dy()
		}
	}
	w, h = min(w, box.Dx()), min(h, box.Dy())
	corner := image.Pt(box.Min.X+(box.Dx()-w)/2, box.Min.Y+(box.Dy()-h)/2)
	at := image.Rectangle{Min: corner, Max: corner.Add(image.Pt(w, h))}
	checkerboard(dst, at)
	if scale {
		draw.CatmullRom.Scale(dst, at, img, b, draw.Over, nil)
		return
	}
	draw.Draw(dst, at, img, b.Min, draw.Over)
}

func checkerboard(dst *image.RGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := uint8(255)
			if ((x-r.Min.X)/8+(y-r.Min.Y)/8)%2 == 1 {
				c = 215
			}
			dst.SetRGBA(x, y, color.RGBA{c, c, c, 255})
		}
	}
}

func text(dst *image.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
