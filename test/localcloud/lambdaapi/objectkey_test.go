package lambdaapi

import "testing"

func TestObjectKey(t *testing.T) {
	tests := []struct {
		name, payload, want string
	}{
		{"EventBridge, encoded", `{"detail-type":"Object Created","detail":{"object":{"key":"my+photos/red+flower%2Bbee.jpg"}}}`, "my photos/red flower+bee.jpg"},
		{"EventBridge, raw", `{"detail":{"object":{"key":"nested/ünï.jpg"}}}`, "nested/ünï.jpg"},
		{"EventBridge, not decodable", `{"detail":{"object":{"key":"100%.jpg"}}}`, "100%.jpg"},
		{"S3 notification", `{"Records":[{"s3":{"object":{"key":"a%2Bb.png"}}},{"s3":{"object":{"key":"second.png"}}}]}`, "a+b.png"},
		{"not an S3 event", `{"hello":"world"}`, ""},
		{"not JSON", `{`, ""},
		{"JSON of another type", `[1,2]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ObjectKey([]byte(tt.payload)); got != tt.want {
				t.Errorf("ObjectKey = %q, want %q", got, tt.want)
			}
		})
	}
}
