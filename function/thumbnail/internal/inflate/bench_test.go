package inflate

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"testing"

	kzlib "github.com/klauspost/compress/zlib"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// BenchmarkPNGImageData inflates the image data of the PNG benchmark
// source, IDAT payloads read in place, side by side with compress/zlib and
// klauspost/compress/zlib reading the same payloads concatenated.
func BenchmarkPNGImageData(b *testing.B) {
	for _, src := range testimage.Sources {
		if !src.PNG {
			continue
		}
		file, err := src.Bytes()
		if err != nil {
			b.Fatal(err)
		}
		var idat [][]byte
		for i := 8; i+12 <= len(file); {
			n := int(binary.BigEndian.Uint32(file[i:]))
			if string(file[i+4:i+8]) == "IDAT" {
				idat = append(idat, file[i+8:i+8+n])
			}
			i += 12 + n
		}
		joined := bytes.Join(idat, nil)
		buf := make([]byte, 3*src.Width+1)
		drain := func(b *testing.B, r io.Reader) {
			for {
				_, err := io.ReadFull(r, buf)
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					return
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		r := NewReader(&pieces{}, true)
		b.Run(src.Name+"/inflate", func(b *testing.B) {
			b.SetBytes(int64(len(joined)))
			for b.Loop() {
				r.Reset(&pieces{idat}, true)
				drain(b, r)
			}
		})
		b.Run(src.Name+"/compress-zlib", func(b *testing.B) {
			b.SetBytes(int64(len(joined)))
			for b.Loop() {
				zr, _ := zlib.NewReader(bytes.NewReader(joined))
				drain(b, zr)
			}
		})
		b.Run(src.Name+"/klauspost-zlib", func(b *testing.B) {
			b.SetBytes(int64(len(joined)))
			for b.Loop() {
				zr, _ := kzlib.NewReader(bytes.NewReader(joined))
				drain(b, zr)
			}
		})
	}
}
