package s3client

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
	"time"
)

// Credentials are the access key ID and secret the local cloud's clients sign with.
const (
	AccessKeyID     = "local"
	SecretAccessKey = "local"
)

// BrowserForm is a browser upload (POST Object) as a web page sends it: the form fields a
// back end signed with a POST policy (Signature Version 4), then the file, last.
type BrowserForm struct {
	// Fields are the page's own fields, in order (key, Content-Type, success_action_status,
	// x-amz-meta-..., ...). The policy and credential fields are added after them.
	Fields [][2]string
	// Conditions are the policy's conditions, as JSON values: {"key": "..."},
	// ["starts-with", "$key", "web/"], ["content-length-range", 1, 1000], ... The
	// credential fields' own conditions are added.
	Conditions []any
	// Expiration is when the policy expires.
	Expiration time.Time
	// Unsigned leaves out the policy and the credential fields: an anonymous form.
	Unsigned bool
	// FileName is the name the browser gives the file; File its bytes.
	FileName string
	File     []byte
	// After are fields sent after the file, which S3 ignores.
	After [][2]string
	// NoFile leaves the file out.
	NoFile bool
	// Now is the signing time. Default: time.Now().
	Now time.Time
}

// Encode returns the request's Content-Type and body.
func (f BrowserForm) Encode() (contentType string, body []byte, err error) {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	fields := append([][2]string(nil), f.Fields...)
	if !f.Unsigned {
		date := now.Format("20060102")
		credential := fmt.Sprintf("%s/%s/%s/s3/aws4_request", AccessKeyID, date, Region)
		amzDate := now.Format("20060102T150405Z")
		conditions := append(append([]any(nil), f.Conditions...),
			map[string]string{"x-amz-algorithm": "AWS4-HMAC-SHA256"},
			map[string]string{"x-amz-credential": credential},
			map[string]string{"x-amz-date": amzDate})
		doc, err := json.Marshal(map[string]any{"expiration": f.Expiration.UTC().Format("2006-01-02T15:04:05.000Z"), "conditions": conditions})
		if err != nil {
			return "", nil, err
		}
		policy := base64.StdEncoding.EncodeToString(doc)
		fields = append(fields, [2]string{"x-amz-algorithm", "AWS4-HMAC-SHA256"}, [2]string{"x-amz-credential", credential},
			[2]string{"x-amz-date", amzDate}, [2]string{"policy", policy}, [2]string{"x-amz-signature", signPolicy(policy, date)})
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range fields {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			return "", nil, err
		}
	}
	if !f.NoFile {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(f.FileName)+`"`)
		h.Set("Content-Type", "application/octet-stream")
		part, err := w.CreatePart(h)
		if err != nil {
			return "", nil, err
		}
		if _, err := part.Write(f.File); err != nil {
			return "", nil, err
		}
	}
	for _, kv := range f.After {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			return "", nil, err
		}
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}

// quoteEscaper escapes a file name inside the quotes of a Content-Disposition.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// signPolicy is the Signature Version 4 signature of a POST policy with SecretAccessKey.
func signPolicy(policy, date string) string {
	key := []byte("AWS4" + SecretAccessKey)
	for _, part := range []string{date, Region, "s3", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, policy))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data)) // a hash.Hash write never fails
	return m.Sum(nil)
}
