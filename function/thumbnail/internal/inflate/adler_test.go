package inflate

import (
	"hash/adler32"
	"math/rand/v2"
	"testing"
)

// TestAdlerMatchesStandardLibrary compares adlerUpdate with hash/adler32 on
// lengths around the 16-byte steps and the reduction block, for all-0xFF
// bytes (the largest sums and lane products) and noise, fed whole and in
// uneven pieces.
func TestAdlerMatchesStandardLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	noise := make([]byte, 3*adlerBlock+13)
	for i := range noise {
		noise[i] = byte(rng.IntN(256))
	}
	ones := make([]byte, len(noise))
	for i := range ones {
		ones[i] = 0xFF
	}
	lengths := []int{0, 1, 15, 16, 17, 31, 5552, 5553, 65536, adlerBlock - 1, adlerBlock, adlerBlock + 1, len(noise)}
	for name, data := range map[string][]byte{"noise": noise, "0xFF": ones} {
		for _, n := range lengths {
			want := adler32.Checksum(data[:n])
			if got := adlerUpdate(1, data[:n]); got != want {
				t.Errorf("%s, %d bytes: %#08x, want %#08x", name, n, got, want)
			}
			sum := uint32(1)
			for p := data[:n]; len(p) > 0; {
				k := min(len(p), 1+rng.IntN(70000))
				sum, p = adlerUpdate(sum, p[:k]), p[k:]
			}
			if sum != want {
				t.Errorf("%s, %d bytes in pieces: %#08x, want %#08x", name, n, sum, want)
			}
		}
	}
}

// BenchmarkAdler32 compares adlerUpdate with hash/adler32 over 16 MiB.
func BenchmarkAdler32(b *testing.B) {
	data := make([]byte, 16<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.Run("ours", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			adlerUpdate(1, data)
		}
	})
	b.Run("hash-adler32", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			adler32.Checksum(data)
		}
	})
}
