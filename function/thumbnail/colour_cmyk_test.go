package thumbnail

import (
	"image"
	"testing"
)

func TestShrinkCMYK(t *testing.T) {
	src := image.NewCMYK(image.Rect(0, 0, 5, 3))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	if got := shrinkCMYK(src, 1); got != src {
		t.Error("k = 1 copied the image")
	}
	got := shrinkCMYK(src, 2)
	if got.Rect != image.Rect(0, 0, 3, 2) {
		t.Fatalf("size %v, want 3x2", got.Rect)
	}
	// Pixel (x, y) channel c holds 4*(5y+x)+c. The mean of a block is the
	// mean of its pixels' indexes times 4, plus c.
	mean := func(xs, ys []int, c int) uint8 {
		sum, n := 0, 0
		for _, y := range ys {
			for _, x := range xs {
				sum += 4*(5*y+x) + c
				n++
			}
		}
		return uint8((sum + n/2) / n)
	}
	cases := []struct {
		x, y   int
		xs, ys []int
	}{
		{0, 0, []int{0, 1}, []int{0, 1}},
		{2, 0, []int{4}, []int{0, 1}}, // partial block: one column
		{1, 1, []int{2, 3}, []int{2}}, // partial block: one row
		{2, 1, []int{4}, []int{2}},
	}
	for _, c := range cases {
		for ch := range 4 {
			if g, w := got.Pix[got.PixOffset(c.x, c.y)+ch], mean(c.xs, c.ys, ch); g != w {
				t.Errorf("pixel %d,%d channel %d = %d, want %d", c.x, c.y, ch, g, w)
			}
		}
	}
	sub := src.SubImage(image.Rect(1, 1, 5, 3)).(*image.CMYK)
	if g := shrinkCMYK(sub, 2); g.Pix[0] != mean([]int{1, 2}, []int{1, 2}, 0) {
		t.Errorf("sub-image: first pixel %d, want %d", g.Pix[0], mean([]int{1, 2}, []int{1, 2}, 0))
	}
}
