// Copyright 2014 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package vp8l

// This file deals with image transforms, specified in section 3. Pixels are
// words (see pixel); the channel arithmetic is done on all four bytes of a
// word at once where it is bytewise.

const (
	transformTypePredictor     = 0
	transformTypeCrossColor    = 1
	transformTypeSubtractGreen = 2
	transformTypeColorIndexing = 3
	nTransformTypes            = 4
)

// transform holds the parameters for an invertible transform.
type transform struct {
	// transformType is the type of the transform.
	transformType uint32
	// oldWidth is the width of the image before transformation (or
	// equivalently, after inverse transformation). The color-indexing
	// transform can reduce the width. For example, a 50-pixel-wide
	// image that only needs 4 bits (half a byte) per color index can
	// be transformed into a 25-pixel-wide image.
	oldWidth int
	// bits is the log-2 size of the transform's tiles, for the predictor
	// and cross-color transforms. 8>>bits is the number of bits per
	// color index, for the color-index transform.
	bits uint32
	// pix is the tile values, for the predictor and cross-color
	// transforms, and the color palette (256 entries), for the
	// color-index transform.
	pix []uint32
}

// decodeTransform decodes the next transform and the width of the image
// after transformation (or equivalently, before inverse transformation),
// specified in section 3.
func (d *decoder) decodeTransform(w, h int) (t transform, newWidth int, err error) {
	br := &d.br
	t.oldWidth = w
	t.transformType = br.read(2)
	switch t.transformType {
	case transformTypePredictor, transformTypeCrossColor:
		t.bits = br.read(3) + 2
		t.pix, err = d.decodePix(nTiles(w, t.bits), nTiles(h, t.bits), false)
		if err != nil {
			return transform{}, 0, err
		}
	case transformTypeSubtractGreen:
		// No parameters.
	case transformTypeColorIndexing:
		nColors := int(br.read(8)) + 1
		switch {
		case nColors <= 2:
			t.bits = 3
		case nColors <= 4:
			t.bits = 2
		case nColors <= 16:
			t.bits = 1
		}
		w = nTiles(w, t.bits)
		colors, err := d.decodePix(nColors, 1, false)
		if err != nil {
			return transform{}, 0, err
		}
		// The palette is delta-coded. The spec says that "if the index is
		// equal or larger than color_table_size, the argb color value
		// should be set to 0x00000000 (transparent black)."
		t.pix = make([]uint32, 256)
		copy(t.pix, colors)
		for i := 1; i < nColors; i++ {
			t.pix[i] = addPixels(t.pix[i], t.pix[i-1])
		}
	}
	return t, w, nil
}

// inverse undoes the transform on pix, an image h rows high, and returns
// the result (in place except for a colour-indexing transform that packs
// several pixels into one).
func (t *transform) inverse(pix []uint32, h int) []uint32 {
	switch t.transformType {
	case transformTypePredictor:
		inversePredictor(t, pix, h)
	case transformTypeCrossColor:
		inverseCrossColor(t, pix, h)
	case transformTypeSubtractGreen:
		inverseSubtractGreen(pix)
	case transformTypeColorIndexing:
		return inverseColorIndexing(t, pix, h)
	}
	return pix
}

// addPixels adds two pixels channel by channel, modulo 256.
func addPixels(a, b uint32) uint32 {
	return (a&0x00ff00ff+b&0x00ff00ff)&0x00ff00ff | (a&0xff00ff00+b&0xff00ff00)&0xff00ff00
}

// average2 is the channel-by-channel average of two pixels, rounded down.
func average2(a, b uint32) uint32 {
	return (a^b)&0xfefefefe>>1 + a&b
}

// blackPixel is opaque black, the prediction of mode 0 (and, as in
// libwebp, of the undefined modes 14 and 15).
const blackPixel = 0xff000000

func inversePredictor(t *transform, pix []uint32, h int) {
	w := t.oldWidth
	if w == 0 || h == 0 {
		return
	}
	// The first pixel's predictor is mode 0 (opaque black), the rest of
	// the first row's mode 1 (L).
	pix[0] = addPixels(pix[0], blackPixel)
	for x := 1; x < w; x++ {
		pix[x] = addPixels(pix[x], pix[x-1])
	}
	tileSize, tilesPerRow := 1<<t.bits, nTiles(w, t.bits)
	for y := 1; y < h; y++ {
		row := pix[y*w : (y+1)*w]
		// top is the row above, and one pixel more: the top-right of the
		// last pixel is the first of the current row.
		top := pix[(y-1)*w : y*w+1]
		// The first column's predictor is mode 2 (T).
		row[0] = addPixels(row[0], top[0])
		modes := t.pix[(y>>t.bits)*tilesPerRow:][:tilesPerRow]
		for x := 1; x < w; {
			end := min((x>>t.bits+1)*tileSize, w)
			predictRun(modes[x>>t.bits]>>8&0x0f, row, top, x, end)
			x = end
		}
	}
}

// predictRun undoes prediction mode m for pixels [x, end) of row, whose
// row above is top; x >= 1.
func predictRun(m uint32, row, top []uint32, x, end int) {
	switch m {
	case 1: // L.
		for ; x < end; x++ {
			row[x] = addPixels(row[x], row[x-1])
		}
	case 2: // T.
		for ; x < end; x++ {
			row[x] = addPixels(row[x], top[x])
		}
	case 3: // TR.
		for ; x < end; x++ {
			row[x] = addPixels(row[x], top[x+1])
		}
	case 4: // TL.
		for ; x < end; x++ {
			row[x] = addPixels(row[x], top[x-1])
		}
	case 5: // Average2(Average2(L, TR), T).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(average2(row[x-1], top[x+1]), top[x]))
		}
	case 6: // Average2(L, TL).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(row[x-1], top[x-1]))
		}
	case 7: // Average2(L, T).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(row[x-1], top[x]))
		}
	case 8: // Average2(TL, T).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(top[x-1], top[x]))
		}
	case 9: // Average2(T, TR).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(top[x], top[x+1]))
		}
	case 10: // Average2(Average2(L, TL), Average2(T, TR)).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], average2(average2(row[x-1], top[x-1]), average2(top[x], top[x+1])))
		}
	case 11: // Select(L, T, TL).
		for ; x < end; x++ {
			// selectPixel, written out: too large to be inlined.
			l, t, tl := row[x-1], top[x], top[x-1]
			if channelDistance(t, tl) < channelDistance(l, tl) {
				t = l
			}
			row[x] = addPixels(row[x], t)
		}
	case 12: // ClampAddSubtractFull(L, T, TL).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], clampAddSubtractFull(row[x-1], top[x], top[x-1]))
		}
	case 13: // ClampAddSubtractHalf(Average2(L, T), TL).
		for ; x < end; x++ {
			row[x] = addPixels(row[x], clampAddSubtractHalf(average2(row[x-1], top[x]), top[x-1]))
		}
	default: // 0, and 14 and 15 as libwebp reads them: opaque black.
		for ; x < end; x++ {
			row[x] = addPixels(row[x], blackPixel)
		}
	}
}

// abs32 is |d|.
func abs32(d int32) int32 { return max(d, -d) }

// channelDistance is the sum over the channels of |a - b|.
func channelDistance(a, b uint32) int32 {
	return abs32(int32(a&0xff)-int32(b&0xff)) + abs32(int32(a>>8&0xff)-int32(b>>8&0xff)) +
		abs32(int32(a>>16&0xff)-int32(b>>16&0xff)) + abs32(int32(a>>24)-int32(b>>24))
}

// selectPixel is the Select predictor: L or T, whichever is closer to the
// gradient estimate L + T - TL. As in the specification, the distance of L
// is the sum of |T - TL| and that of T the sum of |L - TL|.
func selectPixel(l, t, tl uint32) uint32 {
	if channelDistance(t, tl) < channelDistance(l, tl) {
		return l
	}
	return t
}

// clamp255 clamps x to [0, 255].
func clamp255(x int32) uint32 { return uint32(min(max(x, 0), 255)) }

// addSubtractFull is one channel of ClampAddSubtractFull.
func addSubtractFull(a, b, c uint32) uint32 { return clamp255(int32(a) + int32(b) - int32(c)) }

func clampAddSubtractFull(a, b, c uint32) uint32 {
	return addSubtractFull(a&0xff, b&0xff, c&0xff) |
		addSubtractFull(a>>8&0xff, b>>8&0xff, c>>8&0xff)<<8 |
		addSubtractFull(a>>16&0xff, b>>16&0xff, c>>16&0xff)<<16 |
		addSubtractFull(a>>24, b>>24, c>>24)<<24
}

// addSubtractHalf is one channel of ClampAddSubtractHalf.
func addSubtractHalf(a, b uint32) uint32 {
	return clamp255(int32(a) + (int32(a)-int32(b))/2)
}

func clampAddSubtractHalf(a, b uint32) uint32 {
	return addSubtractHalf(a&0xff, b&0xff) |
		addSubtractHalf(a>>8&0xff, b>>8&0xff)<<8 |
		addSubtractHalf(a>>16&0xff, b>>16&0xff)<<16 |
		addSubtractHalf(a>>24, b>>24)<<24
}

func inverseCrossColor(t *transform, pix []uint32, h int) {
	w := t.oldWidth
	tileSize, tilesPerRow := 1<<t.bits, nTiles(w, t.bits)
	for y := 0; y < h; y++ {
		row := pix[y*w : (y+1)*w]
		elements := t.pix[(y>>t.bits)*tilesPerRow:][:tilesPerRow]
		for x := 0; x < w; {
			e := elements[x>>t.bits]
			// The tile's multipliers are in its red, green and blue.
			redToBlue := int32(int8(e))
			greenToBlue := int32(int8(e >> 8))
			greenToRed := int32(int8(e >> 16))
			end := min((x>>t.bits+1)*tileSize, w)
			for ; x < end; x++ {
				p := row[x]
				green := int32(int8(p >> 8))
				red := uint8(p) + uint8(greenToRed*green>>5)
				blue := uint8(p>>16) + uint8(greenToBlue*green>>5)
				blue += uint8(redToBlue * int32(int8(red)) >> 5)
				row[x] = p&0xff00ff00 | uint32(red) | uint32(blue)<<16
			}
		}
	}
}

func inverseSubtractGreen(pix []uint32) {
	for i, p := range pix {
		g := p >> 8 & 0xff
		pix[i] = p&0xff00ff00 | (p&0x00ff00ff+(g|g<<16))&0x00ff00ff
	}
}

func inverseColorIndexing(t *transform, pix []uint32, h int) []uint32 {
	palette := (*[256]uint32)(t.pix)
	if t.bits == 0 {
		for i, p := range pix {
			pix[i] = palette[p>>8&0xff]
		}
		return pix
	}
	// Each packed pixel's green holds 1<<bits indices of 8>>bits bits,
	// the first in the lowest bits.
	w := t.oldWidth
	packedW := nTiles(w, t.bits)
	bitsPerIndex := 8 >> t.bits
	mask := uint32(1)<<bitsPerIndex - 1
	perPacked := 1 << t.bits
	dst := make([]uint32, w*h)
	for y := 0; y < h; y++ {
		src := pix[y*packedW : (y+1)*packedW]
		out := dst[y*w : (y+1)*w]
		for x := 0; x < w; {
			v := src[x>>t.bits] >> 8
			end := min(x+perPacked, w)
			for ; x < end; x++ {
				out[x] = palette[v&mask]
				v >>= bitsPerIndex
			}
		}
	}
	return dst
}
