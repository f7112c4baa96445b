package vp8

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

var update = flag.Bool("update", false, "rewrite the crafted files under testdata")

// zeroTokenFile is the committed WebP of zeroTokenFrame(16000, 4000), gzipped
// (208 KB in 1.2 KB), which the image core's hostile-file tests decode.
const zeroTokenFile = "testdata/zero-tokens-16000x4000.webp.gz"

// riffVP8 wraps a VP8 frame in a simple lossy WebP file.
func riffVP8(frame []byte) []byte {
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8 "), uint32(len(frame)))
	chunk = append(chunk, frame...)
	if len(frame)&1 == 1 {
		chunk = append(chunk, 0)
	}
	file := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(file, "WEBP"...), chunk...)
}

// TestZeroTokenFileIsCurrent checks that the committed file is what
// zeroTokenFrame writes today; go test -run ZeroTokenFile -update rewrites it.
func TestZeroTokenFileIsCurrent(t *testing.T) {
	want := riffVP8(zeroTokenFrame(16000, 4000))
	if *update {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(want)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(zeroTokenFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := testimage.ReadGzip(zeroTokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not zeroTokenFrame's output: run go test -run ZeroTokenFile -update", zeroTokenFile)
	}
}
