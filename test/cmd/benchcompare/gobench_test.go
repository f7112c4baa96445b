package main

import (
	"strings"
	"testing"
	"time"
)

const sampleGoBench = `goos: linux
BenchmarkStage/jpeg-12mp/decode-2         	       5	  37171819 ns/op	 1431241 B/op	      11 allocs/op
BenchmarkMake/jpeg-12mp-2                 	       5	  41729229 ns/op	  95.67 MB/s	 6275467 B/op	      56 allocs/op
BenchmarkMake/png-12mp                    	       3	 280002075 ns/op
BenchmarkPhoneFormats/heic-12mp-2         	       5	2412345678 ns/op	       285.0 decoder-MB	   4098694 source-bytes	60123456 B/op	     210 allocs/op
PASS
`

func TestParseGoBench(t *testing.T) {
	got, err := parseGoBench(strings.NewReader(sampleGoBench))
	if err != nil {
		t.Fatal(err)
	}
	want := []goBenchResult{
		{"Stage/jpeg-12mp/decode", 37171819, 1431241},
		{"Make/jpeg-12mp", 41729229, 6275467},
		{"Make/png-12mp", 280002075, -1},
		{"PhoneFormats/heic-12mp", 2412345678, 60123456},
	}
	if len(got) != len(want) {
		t.Fatalf("parsed %d results, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("result %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if d, ok := makeDuration(got, "png-12mp"); !ok || d != 280002075*time.Nanosecond {
		t.Errorf("makeDuration(png-12mp) = %v, %v", d, ok)
	}
	if d, ok := makeDuration(got, "heic-12mp"); !ok || d != 2412345678*time.Nanosecond {
		t.Errorf("makeDuration(heic-12mp) = %v, %v; want BenchmarkPhoneFormats' time", d, ok)
	}
	if _, ok := makeDuration(got, "jpeg-24mp"); ok {
		t.Error("makeDuration found a source that was not benchmarked")
	}
}
