// Package scaledjpeg decodes a JPEG at 1/2, 1/4 or 1/8 of its size
// ("shrink-on-load"), which costs a fraction of a full decode when the
// result is a thumbnail.
//
// At 1/8 it uses its own DC-only decoder for 8-bit Huffman-coded grey and
// YCbCr files, baseline or progressive; everything else at 1/2, 1/4 or 1/8
// goes to github.com/gen2brain/jpegn's scaled decoder, and 1/1 to image/jpeg.
package scaledjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/gen2brain/jpegn"
)

// Denom returns the scale denominator (1, 2, 4 or 8) to decode a srcW x srcH
// JPEG at before resizing it to dstW x dstH (both in the JPEG's own
// orientation): the largest that keeps both sides at least twice the target,
// or, for small sources, at least the target.
func Denom(srcW, srcH, dstW, dstH int) int {
	for _, min := range []int{2, 1} {
		for _, d := range []int{8, 4, 2} {
			if (srcW+d-1)/d >= min*dstW && (srcH+d-1)/d >= min*dstH {
				return d
			}
		}
	}
	return 1
}

// ScaledSize is the size of a w x h JPEG decoded at 1/denom.
func ScaledSize(w, h, denom int) (int, int) {
	return (w + denom - 1) / denom, (h + denom - 1) / denom
}

// Decode decodes a JPEG at 1/denom of its size, rounded up (see ScaledSize),
// as an *image.YCbCr or *image.Gray; denom is 1, 2, 4 or 8. h is the file's
// Header, read once by the caller.
//
// image/jpeg stays the reference: files the scaled decoders do not handle
// (CMYK, RGB, 12-bit, arithmetic-coded, unusual chroma layouts) or reject are
// decoded by it at full size, so whatever image/jpeg reads, Decode reads, and
// its errors are the ones returned. Callers resize from the bounds they get.
func Decode(data []byte, h Header, denom int) (image.Image, error) {
	switch denom {
	case 1:
	case 2, 4, 8:
		if img, err := DecodeScaled(data, h, denom); err == nil {
			return img, nil
		}
	default:
		return nil, fmt.Errorf("scale 1/%d: want 1/1, 1/2, 1/4 or 1/8", denom)
	}
	return jpeg.Decode(bytes.NewReader(data))
}

// DecodeScaled is Decode without the fallback: it decodes at 1/denom (2, 4
// or 8) with the scaled decoders or fails, on the files they do not handle as
// on the files they reject. It never starts a full-size decode.
func DecodeScaled(data []byte, h Header, denom int) (image.Image, error) {
	switch denom {
	case 8:
		return decodeDC(data)
	case 2, 4:
		// jpegn gets CMYK and RGB files wrong, so it only sees the kinds
		// the header says the scaled decoders handle.
		if !h.Scales() {
			return nil, errNoDCPath
		}
		return jpegn.Decode(bytes.NewReader(data), &jpegn.Options{ScaleDenom: denom})
	}
	return nil, fmt.Errorf("scale 1/%d: want 1/2, 1/4 or 1/8", denom)
}
