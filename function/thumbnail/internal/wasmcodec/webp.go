package wasmcodec

import (
	"context"
	"fmt"
	"image"
)

// EncodeWebP encodes img as WebP with libwebp: lossy at quality 0-100, or
// lossless. method is libwebp's effort, 0 (fast) to 6 (small).
func EncodeWebP(ctx context.Context, img *image.NRGBA, quality, method int, lossless bool) ([]byte, error) {
	in, err := webpCodec.instantiate(ctx, encodeLimit(img))
	if err != nil {
		return nil, err
	}
	defer in.close()
	b := img.Bounds()
	pix := img.Pix
	if img.Stride != b.Dx()*4 || len(pix) != b.Dx()*b.Dy()*4 {
		pix = make([]byte, 0, b.Dx()*b.Dy()*4)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			pix = append(pix, img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()*4]...)
		}
	}
	src, err := in.write(pix)
	if err != nil {
		return nil, err
	}
	sizeField, err := in.malloc(8)
	if err != nil {
		return nil, err
	}
	ll := uint64(0)
	if lossless {
		ll = 1
	}
	// colorspace 0: webp.c imports the pixels as (non-premultiplied) RGBA.
	out, err := in.call("encode", uint64(src), uint64(b.Dx()), uint64(b.Dy()), uint64(sizeField), 0, uint64(quality), uint64(method), ll, 0)
	if err != nil {
		return nil, err
	}
	n := in.u32(sizeField) // size_t is 32 bits in wasm32
	if out == 0 || n == 0 {
		return nil, fmt.Errorf("libwebp cannot encode the image")
	}
	v, err := in.view(uint32(out), int(n))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), v...), nil
}
