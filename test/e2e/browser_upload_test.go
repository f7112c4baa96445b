package e2e

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// TestBrowserUploadsAsS3 posts images the way an upload page does (a multipart form, the
// file last, signed with a POST policy) and checks the local cloud answers as S3 would:
// ${filename} names the object, uploads the policy allows get a thumbnail, and uploads it
// does not are refused with S3's error codes and trigger nothing.
func TestBrowserUploadsAsS3(t *testing.T) {
	e := start(t, cloudOptions{})
	photo := tinyJPEG(t)
	tests := []struct {
		name     string
		fileName string
		change   func(f *s3client.BrowserForm)
		// status and code of the answer; key is the object stored ("" for none).
		status int
		code   string
		key    string
	}{
		{"the file's name replaces ${filename}", "holiday photo.jpg", func(*s3client.BrowserForm) {},
			http.StatusCreated, "", "uploads/holiday photo.jpg"},
		{"redirected back to the page", "redirect.jpg", func(f *s3client.BrowserForm) {
			f.Fields = append(f.Fields, [2]string{"success_action_redirect", "https://app.example/uploaded"})
			f.Conditions = append(f.Conditions, map[string]string{"success_action_redirect": "https://app.example/uploaded"})
		}, http.StatusSeeOther, "", "uploads/redirect.jpg"},
		{"a key outside the policy's prefix", "outside.jpg", func(f *s3client.BrowserForm) { f.Fields[0][1] = "web/${filename}" },
			http.StatusForbidden, "AccessDenied", ""},
		{"larger than content-length-range", "large.jpg", func(f *s3client.BrowserForm) {
			f.Conditions[1] = []any{"content-length-range", 1, 100}
		}, http.StatusBadRequest, "EntityTooLarge", ""},
		{"an expired policy", "late.jpg", func(f *s3client.BrowserForm) { f.Expiration = time.Now().Add(-time.Second) },
			http.StatusForbidden, "AccessDenied", ""},
		{"a Content-Type the policy does not allow", "page.jpg", func(f *s3client.BrowserForm) { f.Fields[1][1] = "text/html" },
			http.StatusForbidden, "AccessDenied", ""},
	}
	for _, tt := range tests {
		form := s3client.BrowserForm{
			Fields: [][2]string{{"key", "uploads/${filename}"}, {"Content-Type", "image/jpeg"}, {"success_action_status", "201"}},
			Conditions: []any{
				[]any{"starts-with", "$key", "uploads/"},
				[]any{"content-length-range", 1, 10 << 20},
				[]any{"starts-with", "$Content-Type", "image/"},
				map[string]string{"success_action_status": "201"},
				map[string]string{"bucket": e.cloud.Bucket()},
			},
			Expiration: time.Now().Add(10 * time.Minute), FileName: tt.fileName, File: photo,
		}
		tt.change(&form)
		resp, body := postForm(t, e.cloud.URL()+"/"+e.cloud.Bucket(), form)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %s, want %d: %s", tt.name, resp.Status, tt.status, body)
			continue
		}
		switch {
		case tt.code != "":
			var doc struct{ Code string }
			if err := xml.Unmarshal(body, &doc); err != nil || doc.Code != tt.code {
				t.Errorf("%s: answer %s, want code %s", tt.name, body, tt.code)
			}
		case tt.status == http.StatusCreated:
			var doc struct{ Key, Bucket string }
			if err := xml.Unmarshal(body, &doc); err != nil || doc.Key != tt.key || doc.Bucket != e.cloud.Bucket() {
				t.Errorf("%s: answer %s, want key %q", tt.name, body, tt.key)
			}
		case tt.status == http.StatusSeeOther:
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || loc.Host != "app.example" || loc.Query().Get("key") != tt.key {
				t.Errorf("%s: redirected to %q, want app.example with key %q", tt.name, resp.Header.Get("Location"), tt.key)
			}
		}
	}
	e.wait()
	for _, tt := range tests {
		stored := tt.key
		if stored == "" {
			stored = "web/" + tt.fileName
			for _, key := range []string{"uploads/" + tt.fileName, stored} {
				if _, ok := e.get(key); ok || e.cloud.Writes(key) != 0 || len(e.cloud.Invocations(key)) != 0 {
					t.Errorf("%s: the refused upload stored or triggered %s", tt.name, key)
				}
			}
			continue
		}
		obj, ok := e.get(stored)
		if !ok || !bytes.Equal(obj.data, photo) || obj.contentType != "image/jpeg" {
			t.Errorf("%s: %s stored %v, %d bytes, Content-Type %q; want the photo as image/jpeg", tt.name, stored, ok, len(obj.data), obj.contentType)
			continue
		}
		e.thumbnail(stored)
		if evs := e.cloud.Events(stored); len(evs) != 1 || evs[0].Detail.Reason != "PostObject" {
			t.Errorf("%s: events %+v, want one Object Created by PostObject", tt.name, evs)
		}
	}
}

// postForm sends a browser form without following a redirect, and returns the answer.
func postForm(t *testing.T, endpoint string, form s3client.BrowserForm) (*http.Response, []byte) {
	t.Helper()
	contentType, data, err := form.Encode()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(endpoint, contentType, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}
