package pngstream

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDecodeShrunkNeverFallsBack checks DecodeShrunk streams the kinds it
// handles and refuses the others, which Decode hands to image/png instead.
func TestDecodeShrunkNeverFallsBack(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	tests := []struct {
		file string
		k    int
		want string // "" when it decodes
	}{
		{"pngsuite/basn6a08.png", 2, ""},
		{"pngsuite/basn3p08.png", 4, ""},
		{"pngsuite/basn6a16.png", 2, ""},
		{"pngsuite/basn0g01.png", 2, ""},
		{"pngsuite/ftbrn2c08.png", 2, ""},
		{"pngsuite/ftbwn0g16.png", 2, ""},
		{"pngsuite/basn3p04-31i.png", 2, "not handled by the streaming decoder"},
		{"gray-gradient.interlaced.png", 2, "not handled by the streaming decoder"},
		{"invalid-trunc.png", 2, "does not fit the data"},
		{"pngsuite/basn6a08.png", 1, "shrink factor 1: want 2-4096"},
		{"pngsuite/basn6a08.png", maxFactor + 1, "shrink factor 4097: want 2-4096"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/k=%d", tt.file, tt.k), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			img, err := DecodeShrunk(data, tt.k)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("DecodeShrunk: error %v, want one containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeShrunk: %v", err)
			}
			want := reference(t, data, tt.k)
			if b := img.Bounds(); b.Size() != want.Bounds().Size() {
				t.Fatalf("size %v, want %v", b.Size(), want.Bounds().Size())
			}
			if d := maxDiff(img, want); d != 0 {
				t.Errorf("differs from the box average of image/png's decode by up to %d", d)
			}
		})
	}
}

// TestStreamsAgreesWithDecodeShrunk checks Header.Streams, read from the header
// alone, names exactly the files DecodeShrunk refuses as not streamable.
func TestStreamsAgreesWithDecodeShrunk(t *testing.T) {
	kinds := map[bool]int{}
	for _, name := range stdlibPNGs(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = DecodeShrunk(data, 2)
		refused := errors.Is(err, errNotStreamable)
		if streams := ReadHeader(data).Streams(); streams == refused {
			t.Errorf("%s: Streams says %v, DecodeShrunk says %v", filepath.Base(name), streams, err)
		}
		kinds[refused]++
	}
	if kinds[true] == 0 || kinds[false] == 0 {
		t.Errorf("test data has %d streamable and %d other files, want both kinds", kinds[false], kinds[true])
	}
}
