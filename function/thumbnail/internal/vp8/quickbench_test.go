package vp8

import (
	"os"
	"testing"
)

func BenchmarkQuick(b *testing.B) {
	file, err := os.ReadFile("/tmp/vp8w/noise2k.webp")
	if err != nil {
		b.Skip()
	}
	p := payload(b, file)
	b.Run("x", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			decodeX(p)
		}
	})
	b.Run("fork", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			decodeFork(p)
		}
	})
}
