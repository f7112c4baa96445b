package scaledjpeg

import (
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// TestTruncatedRefusedAtEveryScale cuts a 1200x900 photo short, as an
// interrupted upload would, with and without an EOI marker after the cut.
// Every scale refuses it: jpegn used to return the decoded part above a grey
// remainder at 1/2 and 1/4, while image/jpeg refused it at full size.
func TestTruncatedRefusedAtEveryScale(t *testing.T) {
	photo, err := testimage.JPEG(testimage.Photo(1200, 900))
	if err != nil {
		t.Fatal(err)
	}
	cut := photo[:len(photo)*6/10]
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"cut", cut, "scan data ends at MCU 2564 of 4275"},
		{"cut, then EOI", append(append([]byte{}, cut...), 0xFF, 0xD9), "scan data ends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ReadHeader(tt.data)
			for _, denom := range []int{8, 4, 2, 1} {
				if _, err := Decode(tt.data, h, denom); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Decode at 1/%d: error %v, want one containing %q", denom, err, tt.want)
				}
			}
		})
	}
}
