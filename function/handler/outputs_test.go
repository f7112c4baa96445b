package handler

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestOutputsKey(t *testing.T) {
	o := outputs{prefix: "resized/"}
	tests := []struct{ source, want string }{
		{"cat.jpg", "resized/cat.jpg"},
		{"photos/2024/cat.jpg", "resized/photos/2024/cat.jpg"},
		{"photos/café/日本 1.webp", "resized/photos/café/日本 1.webp"},
	}
	for _, tt := range tests {
		if got := o.key(tt.source); got != tt.want {
			t.Errorf("key(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

// TestOutputsRefuseKeysOutsidePrefix checks the one guard every write and
// delete passes: nothing outside the prefix reaches S3, and the refusal is
// permanent (a retry would be refused the same way).
func TestOutputsRefuseKeysOutsidePrefix(t *testing.T) {
	tests := []struct {
		name, prefix, key string
		allowed           bool
	}{
		{"thumbnail", "resized/", "resized/cat.jpg", true},
		{"nested thumbnail", "resized/", "resized/a/b/cat.jpg", true},
		{"original", "resized/", "cat.jpg", false},
		{"original in a folder", "resized/", "photos/cat.jpg", false},
		{"bare prefix", "resized/", "resized/", false},
		{"prefix without slash", "resized/", "resized", false},
		{"look-alike prefix", "resized/", "resized-old/cat.jpg", false},
		{"prefix later in the key", "resized/", "photos/resized/cat.jpg", false},
		{"case differs", "resized/", "Resized/cat.jpg", false},
		{"empty key", "resized/", "", false},
		{"empty prefix allows nothing", "", "cat.jpg", false},
		{"longest key S3 takes", "resized/", "resized/" + strings.Repeat("k", MaxKeyBytes-len("resized/")), true},
		{"one byte longer", "resized/", "resized/" + strings.Repeat("k", MaxKeyBytes-len("resized/")+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			o := outputs{prefix: tt.prefix, s3: fake}
			putErr := o.put(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(testBucket), Key: aws.String(tt.key), Body: strings.NewReader("x"),
			})
			delErr := o.delete(context.Background(), testBucket, tt.key)
			for op, err := range map[string]error{"put": putErr, "delete": delErr} {
				switch {
				case tt.allowed && err != nil:
					t.Errorf("%s %q: %v, want it allowed", op, tt.key, err)
				case !tt.allowed && err == nil:
					t.Errorf("%s %q allowed, want it refused", op, tt.key)
				case !tt.allowed && !isPermanent(err):
					t.Errorf("%s %q: %v is not permanent", op, tt.key, err)
				case !tt.allowed && !strings.Contains(err.Error(), "refusing to write s3://"+testBucket+"/"):
					t.Errorf("%s %q: error %q does not say why", op, tt.key, err)
				}
			}
			wantCalls := 0
			if tt.allowed {
				wantCalls = 2
			}
			if got := len(fake.calls); got != wantCalls {
				t.Errorf("S3 calls = %q, want %d", fake.calls, wantCalls)
			}
		})
	}
}
