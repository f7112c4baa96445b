package colortest

import (
	"math"
	"testing"
)

// Pairs from Sharma, Wu and Dalal, "The CIEDE2000 color-difference formula:
// implementation notes, supplementary test data and mathematical observations".
func TestDeltaE2000Sharma(t *testing.T) {
	cases := []struct {
		a, b Lab
		want float64
	}{
		{Lab{50, 2.6772, -79.7751}, Lab{50, 0, -82.7485}, 2.0425},
		{Lab{50, 0, 0}, Lab{50, -1, 2}, 2.3669},
		{Lab{50, 2.49, -0.001}, Lab{50, -2.49, 0.0009}, 7.1792},
		{Lab{50, -0.001, 2.49}, Lab{50, 0.0011, -2.49}, 4.7461},
		{Lab{50, 2.5, 0}, Lab{73, 25, -18}, 27.1492},
		{Lab{60.2574, -34.0099, 36.2677}, Lab{60.4626, -34.1751, 39.4387}, 1.2644},
		{Lab{22.7233, 20.0904, -46.6940}, Lab{23.0331, 14.9730, -42.5619}, 2.0373},
	}
	for _, c := range cases {
		if got := DeltaE2000(c.a, c.b); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("DeltaE2000(%v, %v) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
		if got := DeltaE2000(c.b, c.a); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("DeltaE2000(%v, %v) = %.4f, want %.4f (swapped)", c.b, c.a, got, c.want)
		}
	}
}

func TestSRGBToLabWhite(t *testing.T) {
	l := SRGBToLab(255, 255, 255)
	if math.Abs(l.L-100) > 1e-3 || math.Abs(l.A) > 1e-2 || math.Abs(l.B) > 1e-2 {
		t.Errorf("white = %v, want L 100, a b 0", l)
	}
}
