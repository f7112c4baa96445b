package thumbnail

import (
	"image"
	"testing"
)

func TestPlanFor(t *testing.T) {
	tests := []struct {
		name             string
		srcW, srcH       int
		boxW, boxH       int
		mode             Mode
		wantCrop         image.Rectangle
		wantW, wantH     int
		targetW, targetH int
	}{
		{"fill wide crops the sides", 300, 100, 128, 128, ModeFill, image.Rect(100, 0, 200, 100), 128, 128, 384, 128},
		{"fill tall crops top and bottom", 100, 300, 128, 128, ModeFill, image.Rect(0, 100, 100, 200), 128, 128, 128, 384},
		{"fill same aspect keeps all", 256, 256, 128, 128, ModeFill, image.Rect(0, 0, 256, 256), 128, 128, 128, 128},
		{"fill odd margin rounds down", 301, 100, 100, 100, ModeFill, image.Rect(100, 0, 200, 100), 100, 100, 301, 100},
		{"fill rectangle box", 400, 400, 64, 32, ModeFill, image.Rect(0, 100, 400, 300), 64, 32, 64, 64},
		{"fill thin line keeps a pixel", 1, 5000, 128, 128, ModeFill, image.Rect(0, 2499, 1, 2500), 128, 128, 128, 640000},
		{"fill small enlarges", 10, 20, 128, 128, ModeFill, image.Rect(0, 5, 10, 15), 128, 128, 128, 256},
		{"fit wide", 300, 100, 128, 128, ModeFit, image.Rect(0, 0, 300, 100), 128, 43, 128, 43},
		{"fit tall", 100, 300, 128, 128, ModeFit, image.Rect(0, 0, 100, 300), 43, 128, 43, 128},
		{"fit small unchanged", 10, 20, 128, 128, ModeFit, image.Rect(0, 0, 10, 20), 10, 20, 10, 20},
		{"fit thin line keeps a pixel", 5000, 1, 128, 128, ModeFit, image.Rect(0, 0, 5000, 1), 128, 1, 128, 1},
		{"fit exact box", 128, 128, 128, 128, ModeFit, image.Rect(0, 0, 128, 128), 128, 128, 128, 128},
		{"stretch", 300, 100, 128, 128, ModeStretch, image.Rect(0, 0, 300, 100), 128, 128, 128, 128},
		{"largest sides do not overflow", 65535, 65535, 4096, 1, ModeFill, image.Rect(0, 32759, 65535, 32775), 4096, 1, 4096, 4096},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planFor(tt.srcW, tt.srcH, tt.boxW, tt.boxH, tt.mode)
			if p.crop != tt.wantCrop || p.w != tt.wantW || p.h != tt.wantH {
				t.Errorf("plan crop %v to %dx%d, want crop %v to %dx%d", p.crop, p.w, p.h, tt.wantCrop, tt.wantW, tt.wantH)
			}
			if w, h := p.decodeTarget(tt.srcW, tt.srcH); w != tt.targetW || h != tt.targetH {
				t.Errorf("decode target %dx%d, want %dx%d", w, h, tt.targetW, tt.targetH)
			}
		})
	}
}

func TestStoredBox(t *testing.T) {
	for o := 0; o <= 9; o++ {
		w, h := storedBox(200, 100, o)
		swapped := o >= 5 && o <= 8
		if swapped && (w != 100 || h != 200) || !swapped && (w != 200 || h != 100) {
			t.Errorf("orientation %d: box %dx%d", o, w, h)
		}
	}
}
