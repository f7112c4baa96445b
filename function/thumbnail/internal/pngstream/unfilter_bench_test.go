package pngstream

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchRowWidth is the width of the 12 MP benchmark source, 4000 pixels.
const benchRowWidth = 4000

// BenchmarkUnfilter reverses each filter on one row of a 12 MP image's width,
// for RGB and RGBA pixels.
func BenchmarkUnfilter(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, bpp := range []int{3, 4} {
		row := make([]byte, benchRowWidth*bpp)
		prev := make([]byte, len(row))
		for i := range prev {
			prev[i] = uint8(rng.Uint32())
		}
		for filter := byte(filterSub); filter <= filterPaeth; filter++ {
			b.Run(fmt.Sprintf("bpp=%d/filter=%d", bpp, filter), func(b *testing.B) {
				b.SetBytes(int64(len(row)))
				for b.Loop() {
					if err := unfilter(filter, row, prev, bpp); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
