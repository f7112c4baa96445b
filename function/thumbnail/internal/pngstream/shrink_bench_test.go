package pngstream

import (
	"fmt"
	"testing"
)

// BenchmarkAddRow adds rows of a 12 MP image's width to the box filter at
// the factor the pipeline uses for it, 11.
func BenchmarkAddRow(b *testing.B) {
	for _, ch := range []int{1, 3, 4} {
		row := make([]byte, benchRowWidth*ch)
		for i := range row {
			row[i] = uint8(i)
		}
		b.Run(fmt.Sprintf("ch=%d", ch), func(b *testing.B) {
			s := newShrinker(benchRowWidth, 1<<20, 11, ch)
			b.SetBytes(int64(len(row)))
			for b.Loop() {
				s.addRow(row)
			}
		})
	}
}
