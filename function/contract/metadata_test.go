package contract

import "testing"

func TestUpToDate(t *testing.T) {
	const spec = "128x128 fill q85"
	tests := []struct {
		name     string
		metadata map[string]string
		etag     string
		want     bool
	}{
		{"same ETag and spec", map[string]string{"source-etag": "abc", "thumbnail-spec": spec}, `"abc"`, true},
		{"ETag quoted in metadata", map[string]string{"source-etag": `"abc"`, "thumbnail-spec": spec}, "abc", true},
		{"names in another case", map[string]string{"Source-Etag": "abc", "THUMBNAIL-SPEC": spec}, `"abc"`, true},
		{"other ETag", map[string]string{"source-etag": "abd", "thumbnail-spec": spec}, `"abc"`, false},
		{"other spec", map[string]string{"source-etag": "abc", "thumbnail-spec": "64x64 fill q85"}, `"abc"`, false},
		{"no spec (made before specs were recorded)", map[string]string{"source-etag": "abc"}, `"abc"`, false},
		{"no metadata", nil, `"abc"`, false},
		{"both ETags empty", map[string]string{"source-etag": "", "thumbnail-spec": spec}, "", false},
		{"multipart ETag", map[string]string{"source-etag": "d41d8cd98f00b204e9800998ecf8427e-12", "thumbnail-spec": spec}, `"d41d8cd98f00b204e9800998ecf8427e-12"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UpToDate(tt.metadata, tt.etag, spec); got != tt.want {
				t.Errorf("UpToDate(%v, %q) = %v, want %v", tt.metadata, tt.etag, got, tt.want)
			}
		})
	}
}
