package wasmcodec

import (
	"context"
	"fmt"
	"image"
)

// libheif's colourspaces and chroma layouts (heif.h).
const (
	heifYCbCr      = 0
	heifRGB        = 1
	heifMonochrome = 2
	heifChroma420  = 1
	heifChroma422  = 2
	heifChroma444  = 3
)

// DecodeHEIF decodes the primary image of a HEIC file with libheif, which
// applies the file's rotation, mirroring and crop, into at most limit bytes
// of decoder memory. use sees the image (YCbCr, Gray, RGBA or NRGBA) while
// it lives in that memory and must not keep it. The peak memory is
// returned in every case.
func DecodeHEIF(ctx context.Context, data []byte, limit int64, use func(image.Image) error) (PeakMemory, error) {
	in, err := heifDecoder.instantiate(ctx, limit)
	if err != nil {
		return 0, err
	}
	defer in.close()
	err = decodeHEIF(in, data, use)
	return PeakMemory(in.mem.peak), err
}

func decodeHEIF(in *instance, data []byte, use func(image.Image) error) error {
	src, err := in.write(data)
	if err != nil {
		return err
	}
	fields, err := in.malloc(5 * 4)
	if err != nil {
		return err
	}
	w, h, cs, chroma, premul := fields, fields+4, fields+8, fields+12, fields+16
	ok, err := in.call("decode", uint64(src), uint64(len(data)), 1, uint64(w), uint64(h), uint64(cs), uint64(chroma), uint64(premul), 0)
	if err != nil {
		return err
	}
	if ok == 0 {
		return fmt.Errorf("libheif cannot read the file")
	}
	width, height := int(in.u32(w)), int(in.u32(h))
	if width < 1 || height < 1 {
		return fmt.Errorf("libheif reports size %dx%d", width, height)
	}
	rect := image.Rect(0, 0, width, height)
	var size, stride, cw, ch int
	var ratio image.YCbCrSubsampleRatio
	colourspace := in.u32(cs)
	switch colourspace {
	case heifYCbCr:
		switch in.u32(chroma) {
		case heifChroma420:
			ratio, cw, ch = image.YCbCrSubsampleRatio420, (width+1)/2, (height+1)/2
		case heifChroma422:
			ratio, cw, ch = image.YCbCrSubsampleRatio422, (width+1)/2, height
		case heifChroma444:
			ratio, cw, ch = image.YCbCrSubsampleRatio444, width, height
		default:
			return fmt.Errorf("libheif chroma %d", in.u32(chroma))
		}
		stride, cw = planeStride(width, 1), planeStride(cw, 1)
		size = stride*height + 2*cw*ch
	case heifMonochrome:
		stride = planeStride(width, 1)
		size = stride * height
	case heifRGB:
		stride = planeStride(width, 4)
		size = stride * height
	default:
		return fmt.Errorf("libheif colourspace %d", colourspace)
	}
	out, err := in.malloc(size)
	if err != nil {
		return err
	}
	ok, err = in.call("decode", uint64(src), uint64(len(data)), 0, uint64(w), uint64(h), uint64(cs), uint64(chroma), uint64(premul), uint64(out))
	if err != nil {
		return err
	}
	if ok == 0 {
		return fmt.Errorf("libheif cannot decode the image")
	}
	if int(in.u32(w)) != width || int(in.u32(h)) != height {
		return fmt.Errorf("libheif decoded %dx%d, announced %dx%d", in.u32(w), in.u32(h), width, height)
	}
	pix, err := in.view(out, size)
	if err != nil {
		return err
	}
	var img image.Image
	switch colourspace {
	case heifYCbCr:
		y, c := stride*height, cw*ch
		img = &image.YCbCr{Y: pix[:y:y], Cb: pix[y : y+c : y+c], Cr: pix[y+c : y+2*c : y+2*c],
			YStride: stride, CStride: cw, SubsampleRatio: ratio, Rect: rect}
	case heifMonochrome:
		img = &image.Gray{Pix: pix, Stride: stride, Rect: rect}
	default:
		if in.u32(premul) == 1 {
			img = &image.RGBA{Pix: pix, Stride: stride, Rect: rect}
		} else {
			img = &image.NRGBA{Pix: pix, Stride: stride, Rect: rect}
		}
	}
	return use(img)
}

// planeStride is the row length libheif (1.18) gives a plane w samples wide:
// heif.c copies its planes with their strides but does not return them.
// libheif allocates at least 64 samples a row, an even number, and rounds
// the row to 16 bytes (HeifPixelImage::ImagePlane::alloc).
func planeStride(w, bytesPerSample int) int {
	w = (w + 1) &^ 1
	w = max(w, 64)
	return (w*bytesPerSample + 15) &^ 15
}
