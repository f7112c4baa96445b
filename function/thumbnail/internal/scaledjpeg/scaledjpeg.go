// Package scaledjpeg decodes a JPEG at 1/2, 1/4 or 1/8 of its size
// ("shrink-on-load"), which costs a fraction of a full decode when the
// result is a thumbnail.
//
// Its own DC-only decoder reads 8-bit Huffman-coded grey, YCbCr, RGB, CMYK
// and YCCK files, baseline or progressive, at 1/8, and gives every file of
// those kinds its verdict; github.com/gen2brain/jpegn decodes grey and YCbCr
// at 1/2 and 1/4, and image/jpeg any kind at 1/1, each checked against the
// DC-only image. Other kinds (12-bit, arithmetic-coded, lossless) go to
// image/jpeg at full size.
//
// ReadHeader is the one walk of a JPEG's markers the image core makes: the
// frame, the colour markers, the scans, EXIF and ICC profile; Decode and
// DecodeScaled take its Header rather than probing the file again.
package scaledjpeg

import (
	"bytes"
	"errors"
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
// as image/jpeg would (*image.YCbCr, *image.Gray, *image.RGBA or
// *image.CMYK); denom is 1, 2, 4 or 8. h is the file's
// Header, read once by the caller. It may decode at full size (denom 1 and
// fallbacks): callers resize from the bounds they get.
//
// One file, one verdict, whatever the scale. For the kinds the DC-only
// decoder handles (h.Scales: 8-bit Huffman-coded), it always runs first and
// its verdict is the file's: it reads every entropy-coded bit a sequential
// scan holds (and the first scan of each AC band of a progressive file),
// checks the scan structure as image/jpeg and libjpeg do, and refuses data
// that ends early, or ends with data unread, and AC coefficients larger
// than 8-bit samples make (see maxDequantizedAC). A file it accepts
// is then decoded at the scale asked for by jpegn (1/2, 1/4; grey and YCbCr
// only, see h.ReducedScales) or image/jpeg (1/1, and 1/2 and 1/4 for RGB
// and CMYK), and that picture is used only when it agrees with the DC-only
// image block by block (see agrees); otherwise image/jpeg is tried, and
// last the DC-only image itself, the one picture vouched for. Kinds the
// DC-only decoder leaves alone (12-bit, arithmetic-coded, lossless) are
// decoded by image/jpeg at full size, its errors the ones returned.
func Decode(data []byte, h Header, denom int) (image.Image, error) {
	return decode(data, h, denom, true)
}

// DecodeScaled is Decode without full-size decodes: it decodes at 1/denom
// (2, 4 or 8) with the scaled decoders or fails, on the files they do not
// handle as on the files they reject. RGB and 4-component files, and files
// whose 1/2 or 1/4 picture disagrees with the DC-only one, come out at 1/8.
func DecodeScaled(data []byte, h Header, denom int) (image.Image, error) {
	if denom != 2 && denom != 4 && denom != 8 {
		return nil, fmt.Errorf("scale 1/%d: want 1/2, 1/4 or 1/8", denom)
	}
	return decode(data, h, denom, false)
}

// decode is Decode, allowed a full-size decode or not.
func decode(data []byte, h Header, denom int, fullSize bool) (image.Image, error) {
	switch denom {
	case 1, 2, 4, 8:
	default:
		return nil, fmt.Errorf("scale 1/%d: want 1/1, 1/2, 1/4 or 1/8", denom)
	}
	var (
		dc  image.Image
		err error
	)
	if h.Scales() {
		dc, err = decodeDC(data)
	} else {
		err = errNoDCPath
	}
	if errors.Is(err, errNoDCPath) {
		if !fullSize {
			return nil, err
		}
		return jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil || denom == 8 {
		return dc, err
	}
	if denom != 1 && h.ReducedScales() {
		// jpegn gets CMYK and RGB files wrong: never given them.
		img, err := jpegn.Decode(bytes.NewReader(data), &jpegn.Options{ScaleDenom: denom})
		if err == nil && agrees(img, dc, denom, h) {
			return img, nil
		}
	}
	if fullSize {
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err == nil && agrees(img, dc, 1, h) {
			return img, nil
		}
	}
	return dc, nil
}
