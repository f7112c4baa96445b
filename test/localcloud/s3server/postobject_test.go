package s3server

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// noRedirects lets a test see a 303 answer itself.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// post sends form to the bucket and returns the answer and its body.
func post(t *testing.T, endpoint string, form s3client.BrowserForm) (*http.Response, []byte) {
	t.Helper()
	contentType, body, err := form.Encode()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirects.Post(endpoint+"/"+bucket, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// webForm is a typical upload form: the key under web/ with the file's name, images only,
// up to 1 KB.
func webForm(file string) s3client.BrowserForm {
	return s3client.BrowserForm{
		Fields: [][2]string{{"key", "web/${filename}"}, {"Content-Type", "image/png"}},
		Conditions: []any{
			map[string]string{"bucket": bucket},
			[]any{"starts-with", "$key", "web/"},
			[]any{"starts-with", "$Content-Type", "image/"},
			[]any{"content-length-range", 1, 1024},
		},
		Expiration: time.Now().Add(time.Hour),
		FileName:   "cat.png",
		File:       []byte(file),
	}
}

// s3ErrorBody is S3's error document.
type s3ErrorBody struct {
	Code, Message string
}

func TestBrowserUploadsFollowThePolicy(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *s3client.BrowserForm)
		// status and code of the answer; key is what was stored ("" when nothing).
		status  int
		code    string
		message string
		key     string
	}{
		{"file name replaces ${filename}", func(f *s3client.BrowserForm) {}, http.StatusNoContent, "", "", "web/cat.png"},
		{"only the base of a path is the file name", func(f *s3client.BrowserForm) { f.FileName = `C:\Users\me\Pictures\dog.png` },
			http.StatusNoContent, "", "", "web/dog.png"},
		{"a key outside starts-with", func(f *s3client.BrowserForm) { f.Fields[0][1] = "other/${filename}" },
			http.StatusForbidden, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ["starts-with","$key","web/"]`, ""},
		{"an exact condition not met", func(f *s3client.BrowserForm) {
			f.Conditions = append(f.Conditions, []any{"eq", "$Content-Type", "image/jpeg"})
		}, http.StatusForbidden, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ["eq","$Content-Type","image/jpeg"]`, ""},
		{"an exact condition met, field names in any case", func(f *s3client.BrowserForm) {
			f.Fields[1][0] = "content-type"
			f.Conditions = append(f.Conditions, map[string]string{"Content-Type": "image/png"})
		}, http.StatusNoContent, "", "", "web/cat.png"},
		{"the bucket condition names another bucket", func(f *s3client.BrowserForm) { f.Conditions[0] = map[string]string{"bucket": "other"} },
			http.StatusForbidden, "AccessDenied", `Invalid according to Policy: Policy Condition failed: {"bucket":"other"}`, ""},
		{"expired policy", func(f *s3client.BrowserForm) { f.Expiration = time.Now().Add(-time.Minute) },
			http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy expired.", ""},
		{"larger than content-length-range", func(f *s3client.BrowserForm) { f.File = bytes.Repeat([]byte("x"), 1025) },
			http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", ""},
		{"smaller than content-length-range", func(f *s3client.BrowserForm) { f.File = nil },
			http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", ""},
		{"a field no condition names", func(f *s3client.BrowserForm) { f.Fields = append(f.Fields, [2]string{"x-amz-meta-owner", "eve"}) },
			http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-owner", ""},
		{"x-ignore- fields need no condition", func(f *s3client.BrowserForm) { f.Fields = append(f.Fields, [2]string{"x-ignore-note", "n"}) },
			http.StatusNoContent, "", "", "web/cat.png"},
		{"fields after the file are ignored", func(f *s3client.BrowserForm) {
			f.Fields = f.Fields[1:]
			f.After = [][2]string{{"key", "web/late.png"}}
		}, http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", ""},
		{"${filename} with no file name leaves an empty key", func(f *s3client.BrowserForm) {
			f.Fields[0][1] = "${filename}"
			f.Conditions[1] = []any{"starts-with", "$key", ""}
			f.FileName = ""
		}, http.StatusBadRequest, "InvalidArgument", "User key must have a length greater than 0.", ""},
		{"anonymous form", func(f *s3client.BrowserForm) { f.Unsigned = true },
			http.StatusForbidden, "AccessDenied", "Access Denied", ""},
		{"no file", func(f *s3client.BrowserForm) { f.NoFile = true },
			http.StatusBadRequest, "IncorrectNumberOfFilesInPostRequest", "POST requires exactly one file upload per request.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, rec := start(t, t.TempDir())
			form := webForm("png bytes")
			tt.change(&form)
			resp, body := post(t, s.URL(), form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %s, want %d: %s", resp.Status, tt.status, body)
			}
			if tt.code != "" {
				var e s3ErrorBody
				if err := xml.Unmarshal(body, &e); err != nil || e.Code != tt.code || e.Message != tt.message {
					t.Errorf("answer %s (%v), want %s: %s", body, err, tt.code, tt.message)
				}
			}
			changes := summarize(rec.take())
			if tt.key == "" {
				if len(changes) != 0 {
					t.Errorf("a refused upload reported changes %+v", changes)
				}
				if keys := listAll(t, s); len(keys) != 0 {
					t.Errorf("a refused upload stored %v", keys)
				}
				return
			}
			want := summary{Created: true, Reason: ReasonPost, Key: tt.key, Size: int64(len(form.File)), ETag: md5Hex(form.File)}
			if len(changes) != 1 || changes[0] != want {
				t.Errorf("changes %+v, want %+v", changes, want)
			}
			if got := readObject(t, s, tt.key); !bytes.Equal(got, form.File) {
				t.Errorf("stored %q, want %q", got, form.File)
			}
		})
	}
}

func TestBrowserUploadAnswers(t *testing.T) {
	s, _ := start(t, t.TempDir())
	upload := func(status, redirect string) (*http.Response, []byte) {
		form := webForm("png bytes")
		conditions := []any{[]any{"starts-with", "$success_action_status", ""}, []any{"starts-with", "$success_action_redirect", ""}}
		form.Conditions = append(form.Conditions, conditions...)
		if status != "" {
			form.Fields = append(form.Fields, [2]string{"success_action_status", status})
		}
		if redirect != "" {
			form.Fields = append(form.Fields, [2]string{"success_action_redirect", redirect})
		}
		return post(t, s.URL(), form)
	}
	etag := `"` + md5Hex([]byte("png bytes")) + `"`

	for _, tt := range []struct{ status, redirect string }{{"", ""}, {"204", ""}, {"200", ""}, {"404", ""}, {"201", ""}, {"", "not a url"}} {
		want := http.StatusNoContent
		switch tt.status {
		case "200":
			want = http.StatusOK
		case "201":
			want = http.StatusCreated
		}
		resp, body := upload(tt.status, tt.redirect)
		if resp.StatusCode != want || resp.Header.Get("ETag") != etag {
			t.Errorf("success_action_status %q: %s, ETag %s; want %d, %s", tt.status, resp.Status, resp.Header.Get("ETag"), want, etag)
		}
		if want != http.StatusCreated {
			if len(body) != 0 {
				t.Errorf("success_action_status %q: body %q, want none", tt.status, body)
			}
			continue
		}
		var doc struct {
			XMLName                     xml.Name `xml:"PostResponse"`
			Location, Bucket, Key, ETag string
		}
		if err := xml.Unmarshal(body, &doc); err != nil || doc.Bucket != bucket || doc.Key != "web/cat.png" || doc.ETag != etag || !strings.HasSuffix(doc.Location, "/"+bucket+"/web/cat.png") {
			t.Errorf("201 answer %s (%v)", body, err)
		}
	}

	resp, _ := upload("201", "https://app.example/done?from=form")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("with success_action_redirect: %s, want 303", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if loc.Host != "app.example" || loc.Path != "/done" || q.Get("from") != "form" || q.Get("bucket") != bucket || q.Get("key") != "web/cat.png" || q.Get("etag") != etag {
		t.Errorf("redirected to %s, want https://app.example/done with from, bucket, key and etag", loc)
	}
}

func TestBrowserUploadKeepsHeadersAndMetadata(t *testing.T) {
	s, _ := start(t, t.TempDir())
	form := webForm("png bytes")
	form.Fields = append(form.Fields, [2]string{"Cache-Control", "max-age=60"}, [2]string{"x-amz-meta-Owner", "${filename} by ann"},
		[2]string{"Content-MD5", base64.StdEncoding.EncodeToString(md5Sum([]byte("png bytes")))})
	form.Conditions = append(form.Conditions, map[string]string{"cache-control": "max-age=60"}, []any{"starts-with", "$x-amz-meta-owner", ""},
		[]any{"starts-with", "$Content-MD5", ""})
	if resp, body := post(t, s.URL(), form); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%s: %s", resp.Status, body)
	}
	out, err := s3client.New(s.URL()).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("web/cat.png")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ContentType) != "image/png" || aws.ToString(out.CacheControl) != "max-age=60" || out.Metadata["owner"] != "cat.png by ann" {
		t.Errorf("Content-Type %q, Cache-Control %q, metadata %v", aws.ToString(out.ContentType), aws.ToString(out.CacheControl), out.Metadata)
	}

	form.Fields[len(form.Fields)-1][1] = base64.StdEncoding.EncodeToString(md5Sum([]byte("other bytes")))
	resp, body := post(t, s.URL(), form)
	var e s3ErrorBody
	if resp.StatusCode != http.StatusBadRequest || xml.Unmarshal(body, &e) != nil || e.Code != "BadDigest" {
		t.Errorf("a wrong Content-MD5: %s %s, want 400 BadDigest", resp.Status, body)
	}
}

func listAll(t *testing.T, s *Server) []string {
	t.Helper()
	out, err := s3client.New(s.URL()).ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

func readObject(t *testing.T, s *Server, key string) []byte {
	t.Helper()
	out, err := s3client.New(s.URL()).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func md5Sum(data []byte) []byte {
	sum := md5.Sum(data)
	return sum[:]
}

func md5Hex(data []byte) string { return hex.EncodeToString(md5Sum(data)) }
