package pngstream

import "image"

// shrinker box-filters rows as they are decoded: each output pixel is the
// exact mean of a k x k block of the source (smaller at the right and bottom
// edges), so only one row of sums is ever held, never the whole image.
// Colour with alpha is averaged premultiplied, so transparent pixels add no colour.
type shrinker struct {
	w, h, k int
	ow, oh  int
	ch      int      // channels per sum: 1 grey, 3 RGB, 4 premultiplied RGBA
	sums    []uint32 // ow*ch running sums of the current band of rows
	rows    int      // rows in the current band
	outY    int
	gray    *image.Gray // output for ch == 1
	rgba    *image.RGBA // output otherwise
}

// maxFactor bounds k so that a block's sum of 8-bit samples, 255*k*k, fits
// in 32 bits; any further shrink is left to the resizer.
const maxFactor = 4096

func newShrinker(w, h, k, ch int) *shrinker {
	s := &shrinker{w: w, h: h, k: k, ch: ch, ow: (w + k - 1) / k, oh: (h + k - 1) / k}
	s.sums = make([]uint32, s.ow*ch)
	r := image.Rect(0, 0, s.ow, s.oh)
	if ch == 1 {
		s.gray = image.NewGray(r)
	} else {
		s.rgba = image.NewRGBA(r)
	}
	return s
}

// image returns the shrunk image once every row has been added.
func (s *shrinker) image() image.Image {
	if s.gray != nil {
		return s.gray
	}
	return s.rgba
}

// addRow adds one source row of w pixels, ch samples each (premultiplied when ch is 4).
func (s *shrinker) addRow(px []uint8) {
	k, sums := s.k, s.sums
	switch s.ch {
	case 1:
		for ox := 0; ox < s.ow; ox++ {
			var v uint32
			for _, p := range px[ox*k : min(s.w, ox*k+k)] {
				v += uint32(p)
			}
			sums[ox] += v
		}
	case 3:
		for ox := 0; ox < s.ow; ox++ {
			var r, g, b uint32
			// Reslicing by whole pixels lets the compiler drop the bounds
			// checks of the three loads.
			for block := px[3*ox*k : 3*min(s.w, ox*k+k)]; len(block) >= 3; block = block[3:] {
				r += uint32(block[0])
				g += uint32(block[1])
				b += uint32(block[2])
			}
			sums[3*ox] += r
			sums[3*ox+1] += g
			sums[3*ox+2] += b
		}
	default:
		for ox := 0; ox < s.ow; ox++ {
			var r, g, b, a uint32
			for block := px[4*ox*k : 4*min(s.w, ox*k+k)]; len(block) >= 4; block = block[4:] {
				r += uint32(block[0])
				g += uint32(block[1])
				b += uint32(block[2])
				a += uint32(block[3])
			}
			sums[4*ox] += r
			sums[4*ox+1] += g
			sums[4*ox+2] += b
			sums[4*ox+3] += a
		}
	}
	s.rows++
	if s.rows == k || s.outY*k+s.rows == s.h {
		s.flush()
	}
}

// flush writes the means of the current band as one output row and clears the sums.
func (s *shrinker) flush() {
	y := s.outY
	for ox := 0; ox < s.ow; ox++ {
		n := uint32(min(s.w, ox*s.k+s.k)-ox*s.k) * uint32(s.rows)
		switch s.ch {
		case 1:
			s.gray.Pix[y*s.gray.Stride+ox] = uint8((s.sums[ox] + n/2) / n)
		case 3:
			p := s.rgba.Pix[y*s.rgba.Stride+4*ox:]
			p[0] = uint8((s.sums[3*ox] + n/2) / n)
			p[1] = uint8((s.sums[3*ox+1] + n/2) / n)
			p[2] = uint8((s.sums[3*ox+2] + n/2) / n)
			p[3] = 255
		default:
			p := s.rgba.Pix[y*s.rgba.Stride+4*ox:]
			for c := 0; c < 4; c++ {
				p[c] = uint8((s.sums[4*ox+c] + n/2) / n)
			}
		}
	}
	clear(s.sums)
	s.rows = 0
	s.outY++
}
