package e2e

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// stressVariant is one of the images the stress run uploads, in many copies made unique.
type stressVariant struct {
	name        string
	data        []byte
	contentType string
}

// stressVariants are images from a few kilobytes to a few megabytes: smooth and noisy
// JPEGs, and PNGs. Noise keeps the large ones large.
func stressVariants(tb testing.TB) []stressVariant {
	tb.Helper()
	r := rand.New(rand.NewPCG(16, 16))
	specs := []struct {
		w, h, quality int
		noise         bool
		png           bool
	}{
		{64, 48, 50, false, false},
		{320, 240, 80, false, false},
		{640, 480, 85, true, false},
		{1024, 768, 90, true, false},
		{1600, 1200, 85, true, false},
		{48, 48, 0, false, true},
		{256, 256, 0, true, true},
		{600, 400, 0, true, true},
	}
	out := make([]stressVariant, len(specs))
	for i, s := range specs {
		img := image.NewNRGBA(image.Rect(0, 0, s.w, s.h))
		for y := range s.h {
			for x := range s.w {
				c := color.NRGBA{R: uint8(x * 255 / s.w), G: uint8(y * 255 / s.h), B: uint8(i * 25), A: 255}
				if s.noise {
					c.R += uint8(r.UintN(64))
					c.G += uint8(r.UintN(64))
					c.B += uint8(r.UintN(64))
				}
				img.SetNRGBA(x, y, c)
			}
		}
		var b bytes.Buffer
		v := stressVariant{name: fmt.Sprintf("%dx%d", s.w, s.h)}
		if s.png {
			v.contentType, v.name = "image/png", v.name+".png"
			if err := png.Encode(&b, img); err != nil {
				tb.Fatal(err)
			}
		} else {
			v.contentType, v.name = "image/jpeg", v.name+".jpg"
			if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: s.quality}); err != nil {
				tb.Fatal(err)
			}
		}
		v.data = b.Bytes()
		out[i] = v
	}
	return out
}

// unique returns the variant's image carrying tag, so that no two uploads have the same
// bytes: a comment segment after a JPEG's SOI marker, a tEXt chunk after a PNG's IHDR.
// Decoders skip both.
func (v stressVariant) unique(tag string) []byte {
	if v.contentType == "image/png" {
		// Signature (8 bytes), then IHDR: length, type, 13 bytes of data, CRC.
		const afterIHDR = 8 + 4 + 4 + 13 + 4
		text := append([]byte("Comment\x00"), tag...)
		chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)))
		chunk = append(chunk, "tEXt"...)
		chunk = append(chunk, text...)
		chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
		return concat(v.data[:afterIHDR], chunk, v.data[afterIHDR:])
	}
	segment := []byte{0xFF, 0xFE, 0, 0}
	binary.BigEndian.PutUint16(segment[2:], uint16(2+len(tag)))
	segment = append(segment, tag...)
	return concat(v.data[:2], segment, v.data[2:])
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
