package backfill

import (
	"strings"
	"testing"
)

func keys(objs ...string) []Object {
	out := make([]Object, len(objs))
	for i, k := range objs {
		out[i] = Object{Key: k, Size: 1}
	}
	return out
}

func TestJoin(t *testing.T) {
	tests := []struct {
		name       string
		all        []string
		thumbnails []string
		// want: key:o for original only, key:t for thumbnail only, key:ot for
		// both; the pairs before an error are good and come first.
		want    []string
		wantErr string
	}{
		{name: "empty bucket"},
		{name: "originals only", all: []string{"a", "b"}, want: []string{"a:o", "b:o"}},
		{name: "thumbnails only", all: []string{"resized/a"}, thumbnails: []string{"resized/a"}, want: []string{"a:t"}},
		{
			name:       "interleaved",
			all:        []string{"a", "c", "resized/b", "resized/c", "z"},
			thumbnails: []string{"resized/b", "resized/c"},
			want:       []string{"a:o", "b:t", "c:ot", "z:o"},
		},
		{
			// '-' (0x2d) and '.' (0x2e) sort before '/' (0x2f): "resized-x" lists before "resized/".
			name:       "keys that look like the prefix",
			all:        []string{"resized", "resized-x", "resized/", "resized/resized", "resized0"},
			thumbnails: []string{"resized/", "resized/resized"},
			want:       []string{":t", "resized:ot", "resized-x:o", "resized0:o"},
		},
		{
			name:    "bucket listing out of order",
			all:     []string{"b", "a"},
			want:    []string{"b:o"},
			wantErr: `listing of the bucket out of order: "a" came after "b"`,
		},
		{
			name:       "thumbnail listing out of order",
			thumbnails: []string{"resized/b", "resized/a"},
			want:       []string{"b:t"},
			wantErr:    `listing under resized/ out of order: "resized/a" came after "resized/b"`,
		},
		{
			name:    "duplicate key",
			all:     []string{"a", "a"},
			want:    []string{"a:o"},
			wantErr: `out of order: "a" came after "a"`,
		},
		{
			name:       "thumbnail listing outside the prefix",
			thumbnails: []string{"photos/a"},
			want:       []string{},
			wantErr:    `listing under resized/ returned "photos/a", outside the prefix`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var gotErr error
			for p, err := range Join(listing(keys(tt.all...)...), listing(keys(tt.thumbnails...)...), testPrefix) {
				if err != nil {
					gotErr = err
					break
				}
				tag := p.Key + ":"
				if p.Original != nil {
					tag += "o"
				}
				if p.Thumbnail != nil {
					tag += "t"
				}
				got = append(got, tag)
			}
			switch {
			case tt.wantErr == "" && gotErr != nil:
				t.Fatalf("error %v", gotErr)
			case tt.wantErr != "" && (gotErr == nil || !strings.Contains(gotErr.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", gotErr, tt.wantErr)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("pairs %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJoinStopsBothListingsWhenTheReaderStops(t *testing.T) {
	var pulled [2]int
	counting := func(i int, objs []Object) func(func(Object, error) bool) {
		return func(yield func(Object, error) bool) {
			for _, o := range objs {
				pulled[i]++
				if !yield(o, nil) {
					return
				}
			}
		}
	}
	all := keys("a", "b", "c", "d", "e")
	thumbs := keys("resized/a", "resized/b", "resized/c")
	for p, err := range Join(counting(0, all), counting(1, thumbs), testPrefix) {
		if err != nil {
			t.Fatal(err)
		}
		if p.Key == "b" {
			break
		}
	}
	// The merge reads one object ahead in each listing, and no further.
	if pulled[0] > 3 || pulled[1] > 3 {
		t.Errorf("read %d and %d objects to yield 2 pairs, want at most 3 of each", pulled[0], pulled[1])
	}
}
