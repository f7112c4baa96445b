package backfill

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// TestListPaginates lists a real in-process S3 across several pages.
func TestListPaginates(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	const bucket = "listing"
	cloud.Bucket(t, bucket)
	var want []string
	for i := range 2*listPageSize + 37 {
		key := fmt.Sprintf("p/%05d.jpg", i)
		if i%10 == 0 {
			key = fmt.Sprintf("resized/p/%05d.jpg", i)
		}
		cloud.Put(t, bucket, key, []byte(key), nil)
		want = append(want, key)
	}
	for _, key := range []string{"a b+c%d ü.jpg", "z/"} {
		cloud.Put(t, bucket, key, nil, nil)
		want = append(want, key)
	}
	slices.Sort(want)
	under := func(prefix, after string) []string {
		var out []string
		for _, k := range want {
			if strings.HasPrefix(k, prefix) && k > after {
				out = append(out, k)
			}
		}
		return out
	}
	tests := []struct {
		name, prefix, startAfter string
	}{
		{"whole bucket", "", ""},
		{"under a prefix", "resized/", ""},
		{"after a key", "", "p/01500.jpg"},
		{"under a prefix after a key", "resized/", "resized/p/00990.jpg"},
		{"after the last key", "", "zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for o, err := range List(context.Background(), cloud.S3(), bucket, tt.prefix, tt.startAfter) {
				if err != nil {
					t.Fatal(err)
				}
				if o.ETag == "" || o.LastModified.IsZero() {
					t.Errorf("%q listed without ETag or time: %+v", o.Key, o)
				}
				got = append(got, o.Key)
			}
			if w := under(tt.prefix, tt.startAfter); !slices.Equal(got, w) {
				t.Errorf("listed %d keys, want %d", len(got), len(w))
			}
		})
	}
}

func TestListReportsErrors(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	var n int
	var gotErr error
	for _, err := range List(context.Background(), cloud.S3(), "no-such-bucket", "", "") {
		n++
		gotErr = err
	}
	if n != 1 || gotErr == nil || !strings.Contains(gotErr.Error(), "list s3://no-such-bucket/") || !strings.Contains(gotErr.Error(), "NoSuchBucket") {
		t.Errorf("%d results, last error %v; want one error naming the bucket and NoSuchBucket", n, gotErr)
	}
}
