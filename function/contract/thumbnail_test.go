package contract

import (
	"strings"
	"testing"
)

func TestSpec(t *testing.T) {
	tests := []struct {
		t    Thumbnail
		want string
	}{
		{DefaultThumbnail(), "128x128 fill q85"},
		{Thumbnail{Width: 256, Height: 64, Mode: ModeFit, Quality: 70}, "256x64 fit q70"},
		{Thumbnail{Width: 1, Height: 1, Mode: ModeStretch, Quality: 100}, "1x1 stretch q100"},
	}
	for _, tt := range tests {
		if got := tt.t.Spec(); got != tt.want {
			t.Errorf("%+v.Spec() = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestThumbnailValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Thumbnail)
		wantErr string
	}{
		{"defaults", func(*Thumbnail) {}, ""},
		{"zero width", func(t *Thumbnail) { t.Width = 0 }, "size 0x128"},
		{"too tall", func(t *Thumbnail) { t.Height = MaxOutputSide + 1 }, "size 128x4097"},
		{"mode", func(t *Thumbnail) { t.Mode = "crop" }, `mode "crop"`},
		{"quality", func(t *Thumbnail) { t.Quality = 0 }, "quality 0"},
		{"max bytes", func(t *Thumbnail) { t.Limits.MaxBytes = 0 }, "max bytes 0"},
		{"max pixels", func(t *Thumbnail) { t.Limits.MaxPixels = -1 }, "max pixels -1"},
		{"max side", func(t *Thumbnail) { t.Limits.MaxSide = 0 }, "max side 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := DefaultThumbnail()
			tt.change(&th)
			err := th.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}
