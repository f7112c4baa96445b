package wasmcodec

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
)

// DecodeAVIF decodes the primary image of an AVIF file with libavif (aom)
// into at most limit bytes of decoder memory. libavif does not apply the
// file's rotation or mirroring: the caller does (heif.Info.Orientation).
// use sees premultiplied 8-bit RGBA (deeper images are reduced to 8 bits in
// place) while it lives in that memory and must not keep it.
func DecodeAVIF(ctx context.Context, data []byte, limit int64, use func(*image.RGBA) error) (PeakMemory, error) {
	in, err := avifDecoder.instantiate(ctx, limit)
	if err != nil {
		return 0, err
	}
	defer in.close()
	err = decodeAVIF(in, data, use)
	return PeakMemory(in.mem.peak), err
}

func decodeAVIF(in *instance, data []byte, use func(*image.RGBA) error) error {
	src, err := in.write(data)
	if err != nil {
		return err
	}
	fields, err := in.malloc(4*4 + 8)
	if err != nil {
		return err
	}
	w, h, depth, count, delay := fields, fields+4, fields+8, fields+12, fields+16
	// decode.c copies a frame's duration to delay only when a frame was
	// decoded, and reports success even when none was: a sentinel there
	// tells the two apart.
	const noFrame = 0xFFFF_FFFF_FFFF_FFFF
	in.mod.Memory().WriteUint64Le(delay, noFrame)
	ok, err := in.call("decode", uint64(src), uint64(len(data)), 1, 0, uint64(w), uint64(h), uint64(depth), uint64(count), uint64(delay), 0)
	if err != nil {
		return err
	}
	if ok == 0 {
		return fmt.Errorf("libavif cannot read the file")
	}
	width, height, bits := int(in.u32(w)), int(in.u32(h)), in.u32(depth)
	if width < 1 || height < 1 {
		return fmt.Errorf("libavif reports size %dx%d", width, height)
	}
	bytesPerSample := 1
	if bits > 8 {
		bytesPerSample = 2
	}
	size := width * height * 4 * bytesPerSample
	out, err := in.malloc(size)
	if err != nil {
		return err
	}
	ok, err = in.call("decode", uint64(src), uint64(len(data)), 0, 0, uint64(w), uint64(h), uint64(depth), uint64(count), uint64(delay), uint64(out))
	if err != nil {
		return err
	}
	if ok == 0 {
		return fmt.Errorf("libavif cannot decode the image")
	}
	if d, _ := in.mod.Memory().ReadUint64Le(delay); d == noFrame {
		return fmt.Errorf("libavif decoded no frame")
	}
	pix, err := in.view(out, size)
	if err != nil {
		return err
	}
	if bytesPerSample == 2 {
		pix = narrow16(pix)
	}
	return use(&image.RGBA{Pix: pix, Stride: width * 4, Rect: image.Rect(0, 0, width, height)})
}

// narrow16 turns little-endian 16-bit samples into 8-bit ones in place
// (sample i is written over bytes already read) and returns the 8-bit part.
func narrow16(pix []byte) []byte {
	n := len(pix) / 2
	for i := 0; i < n; i++ {
		v := uint32(binary.LittleEndian.Uint16(pix[2*i:]))
		pix[i] = uint8((v*255 + 32767) / 65535)
	}
	return pix[:n:n]
}

// libavif's pixel formats (avif.h).
const (
	avifYUV444 = 1
	avifYUV420 = 3
)

// EncodeAVIF encodes img as AVIF with libavif (aom) at quality 0-100 and
// speed 0-10, chroma 4:2:0 unless full is set (4:4:4).
func EncodeAVIF(ctx context.Context, img *image.NRGBA, quality, speed int, full bool) ([]byte, error) {
	in, err := avifEncoder.instantiate(ctx, encodeLimit(img))
	if err != nil {
		return nil, err
	}
	defer in.close()
	chroma := avifYUV420
	if full {
		chroma = avifYUV444
	}
	// libavif here reads premultiplied RGBA.
	src, err := in.write(premultiplied(img))
	if err != nil {
		return nil, err
	}
	sizeField, err := in.malloc(8)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	out, err := in.call("encode", uint64(src), uint64(b.Dx()), uint64(b.Dy()), uint64(sizeField), uint64(quality), uint64(quality), uint64(speed), uint64(chroma))
	if err != nil {
		return nil, err
	}
	n := in.u32(sizeField) // size_t is 32 bits in wasm32
	if out == 0 || n == 0 {
		return nil, fmt.Errorf("libavif cannot encode the image")
	}
	v, err := in.view(uint32(out), int(n))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), v...), nil
}

// premultiplied returns img's pixels as tightly packed premultiplied RGBA.
func premultiplied(img *image.NRGBA) []byte {
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy()*4)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()*4]
		for x := 0; x < len(row); x += 4 {
			a := uint32(row[x+3])
			out = append(out, mul(row[x], a), mul(row[x+1], a), mul(row[x+2], a), uint8(a))
		}
	}
	return out
}

func mul(c uint8, a uint32) uint8 { return uint8((uint32(c)*a + 127) / 255) }

// encodeLimit is the memory an encoder instance may take for img: the
// encoders need some tens of bytes a pixel plus their fixed tables.
func encodeLimit(img image.Image) int64 {
	b := img.Bounds()
	return 256<<20 + int64(b.Dx())*int64(b.Dy())*64
}
