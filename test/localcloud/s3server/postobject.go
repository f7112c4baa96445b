package s3server

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// Limits of a browser upload, as S3's.
const (
	// maxPostFieldBytes bounds the form fields before the file ("The form data and
	// boundaries (excluding the contents of the file) cannot exceed 20KB").
	maxPostFieldBytes = 20 << 10
	// maxPostFileBytes is the largest file a POST may carry: 5 GB.
	maxPostFileBytes = 5 << 30
)

// postObject serves browser uploads (PostObject: a multipart/form-data POST to the
// bucket) as S3 does: ${filename} in any field becomes the uploaded file's name, the POST
// policy is enforced (expiration, every condition, content-length-range, no field
// outside the conditions) with S3's error codes, and success_action_redirect or
// success_action_status choose the answer.
//
// What is not verified: the signature itself. The local cloud accepts any credentials,
// so it knows no secret key to check x-amz-signature against; it checks only that a
// signed form carries well-formed credential fields (Signature Version 4: x-amz-algorithm
// AWS4-HMAC-SHA256, x-amz-credential, x-amz-date; Version 2: AWSAccessKeyId and
// signature). A form with neither credentials nor policy is anonymous, which the stack's
// private bucket refuses.
type postObject struct {
	backend gofakes3.Backend
	// now is the clock expirations are checked against.
	now func() time.Time
}

// postedKeyContext carries, in a request's context, where postObject writes the key it
// stored, so that the observer can report the write.
type postedKeyContext struct{}

// withPostedKey returns r with a place for the stored key, and that place.
func withPostedKey(r *http.Request) (*http.Request, *string) {
	key := new(string)
	return r.WithContext(context.WithValue(r.Context(), postedKeyContext{}, key)), key
}

// postError is an S3 error answer.
type postError struct {
	status        int
	code, message string
}

func (e *postError) Error() string { return e.code + ": " + e.message }

// newRequestID is a request ID in S3's form: 16 upper-case hex digits.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

func refuse(status int, code, format string, args ...any) *postError {
	return &postError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// postForm is a browser upload's form as read from the request.
type postForm struct {
	// fields by lower-case name, and the names in the order sent (the file's excluded).
	fields map[string]string
	order  []string
	// filename is the file's name as the browser gave it; file its bytes.
	filename string
	file     []byte
}

// ServeHTTP stores the posted file or answers with S3's error.
func (p *postObject) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amz-request-id", newRequestID())
	bucket, _ := splitPath(r.URL.Path)
	form, etag, version, err := p.store(r, bucket)
	var pe *postError
	if errors.As(err, &pe) {
		writeError(w, r, pe.status, pe.code, pe.message)
		return
	}
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	key := form.fields["key"]
	if holder, ok := r.Context().Value(postedKeyContext{}).(*string); ok {
		*holder = key
	}
	if version != "" {
		w.Header().Set("x-amz-version-id", version)
	}
	p.answer(w, r, bucket, form, `"`+etag+`"`)
}

// store reads, checks and stores the upload, returning its form, hex ETag and version ID.
func (p *postObject) store(r *http.Request, bucket string) (form *postForm, etag, version string, err error) {
	if exists, err := p.backend.BucketExists(bucket); err != nil {
		return nil, "", "", err
	} else if !exists {
		return nil, "", "", refuse(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	}
	if form, err = p.readForm(r, bucket); err != nil {
		return nil, "", "", err
	}
	key := form.fields["key"]
	if key == "" {
		return nil, "", "", refuse(http.StatusBadRequest, "InvalidArgument", "User key must have a length greater than 0.")
	}
	if len(key) > gofakes3.KeySizeLimit {
		return nil, "", "", refuse(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	sum := md5.Sum(form.file)
	if md5Field, ok := form.fields["content-md5"]; ok {
		if want, err := base64.StdEncoding.DecodeString(md5Field); err != nil || len(want) != md5.Size {
			return nil, "", "", refuse(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified was invalid.")
		} else if !bytes.Equal(want, sum[:]) {
			return nil, "", "", refuse(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
		}
	}
	result, err := p.backend.PutObject(bucket, key, objectMetadata(form.fields, p.now()), bytes.NewReader(form.file), int64(len(form.file)), nil)
	if err != nil {
		return nil, "", "", err
	}
	return form, hex.EncodeToString(sum[:]), string(result.VersionID), nil
}

// readForm reads the form up to its file (fields after the file are ignored, as S3 does),
// replaces ${filename}, and checks the credentials and the policy.
func (p *postObject) readForm(r *http.Request, bucket string) (*postForm, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, refuse(http.StatusPreconditionFailed, "PreconditionFailed",
			"At least one of the pre-conditions you specified did not hold: bucket POST must be of the enclosure-type multipart/form-data")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	form := &postForm{fields: map[string]string{}}
	fieldBytes := 0
	var file *multipart.Part
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, malformedPost()
		}
		name := strings.ToLower(part.FormName())
		if name == "file" {
			file = part
			break
		}
		value, err := io.ReadAll(io.LimitReader(part, int64(maxPostFieldBytes-fieldBytes+1)))
		if err != nil {
			return nil, malformedPost()
		}
		if fieldBytes += len(name) + len(value); fieldBytes > maxPostFieldBytes {
			return nil, refuse(http.StatusBadRequest, "MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.")
		}
		if _, seen := form.fields[name]; seen {
			return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST can only contain one field named '%s'.", part.FormName())
		}
		form.fields[name] = string(value)
		form.order = append(form.order, name)
	}
	if file == nil {
		return nil, refuse(http.StatusBadRequest, "IncorrectNumberOfFilesInPostRequest", "POST requires exactly one file upload per request.")
	}
	if _, ok := form.fields["key"]; !ok {
		return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
	}
	form.filename = baseName(file.FileName())
	for name, v := range form.fields {
		form.fields[name] = strings.ReplaceAll(v, "${filename}", form.filename)
	}
	policy, err := p.authorize(form, bucket)
	if err != nil {
		return nil, err
	}
	limit := int64(maxPostFileBytes)
	if policy != nil && policy.hasLength {
		limit = min(limit, policy.lengthMax)
	}
	if form.file, err = io.ReadAll(io.LimitReader(file, limit+1)); err != nil {
		return nil, malformedPost()
	}
	size := int64(len(form.file))
	if size > limit {
		return nil, refuse(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	if policy != nil && policy.hasLength && size < policy.lengthMin {
		return nil, refuse(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
	}
	return form, nil
}

func malformedPost() *postError {
	return refuse(http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
}

// baseName is what S3 puts for ${filename}: the text after the last slash or backslash
// of the name the browser sent.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// Well-formed Signature Version 4 fields: the credential's scope and the date.
var (
	credentialV4 = regexp.MustCompile(`^[^/]+/(\d{8})/[a-z0-9-]+/s3/aws4_request$`)
	dateV4       = regexp.MustCompile(`^(\d{8})T\d{6}Z$`)
	signatureV4  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// authorize checks the credential fields' form and the policy; it returns the policy, or
// nil for an anonymous form, which the private bucket refuses.
func (p *postObject) authorize(form *postForm, bucket string) (*postPolicy, error) {
	f := form.fields
	_, v4 := f["x-amz-credential"]
	_, v2 := f["awsaccesskeyid"]
	encoded, hasPolicy := f["policy"]
	if !v4 && !v2 {
		if hasPolicy {
			return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'x-amz-credential'.  If it is specified, please check the order of the fields.")
		}
		return nil, refuse(http.StatusForbidden, "AccessDenied", "Access Denied")
	}
	if !hasPolicy {
		return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'policy'.  If it is specified, please check the order of the fields.")
	}
	if v4 {
		for _, name := range []string{"x-amz-algorithm", "x-amz-date", "x-amz-signature"} {
			if _, ok := f[name]; !ok {
				return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields.", name)
			}
		}
		if f["x-amz-algorithm"] != "AWS4-HMAC-SHA256" {
			return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Unsupported x-amz-algorithm %q: only AWS4-HMAC-SHA256 is supported", f["x-amz-algorithm"])
		}
		cred, date := credentialV4.FindStringSubmatch(f["x-amz-credential"]), dateV4.FindStringSubmatch(f["x-amz-date"])
		if cred == nil {
			return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Invalid argument: x-amz-credential %q is not <key>/<yyyymmdd>/<region>/s3/aws4_request", f["x-amz-credential"])
		}
		if date == nil || date[1] != cred[1] {
			return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Invalid argument: x-amz-date %q must be the credential's date %s in ISO 8601 basic format", f["x-amz-date"], cred[1])
		}
		if !signatureV4.MatchString(f["x-amz-signature"]) {
			return nil, refuse(http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		}
	} else if f["signature"] == "" {
		return nil, refuse(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'signature'.  If it is specified, please check the order of the fields.")
	}
	policy, err := parsePostPolicy(encoded)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "InvalidPolicyDocument", "%s", err.Error())
	}
	if !p.now().Before(policy.expiration) {
		return nil, refuse(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy expired.")
	}
	if msg := policy.check(f, bucket); msg != "" {
		return nil, refuse(http.StatusForbidden, "AccessDenied", "%s", msg)
	}
	if extra := policy.unlisted(form.order); len(extra) > 0 {
		return nil, refuse(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Extra input fields: %s", strings.Join(extra, ", "))
	}
	return policy, nil
}

// objectMetadata is what S3 keeps from a form: the object headers and x-amz-meta-*
// fields, under the names gofakes3 stores them (kept headers it would drop stashed as
// standardHeaders does).
func objectMetadata(fields map[string]string, now time.Time) map[string]string {
	meta := map[string]string{"Last-Modified": now.UTC().Format("Mon, 02 Jan 2006 15:04:05") + " GMT"}
	for name, v := range fields {
		canonical := textproto.CanonicalMIMEHeaderKey(name)
		switch {
		case strings.HasPrefix(name, "x-amz-meta-"):
			meta[canonical] = v
		case name == "content-type", name == "content-disposition", name == "content-encoding":
			meta[canonical] = v
		default:
			for _, h := range keptHeaders {
				if canonical == h {
					meta[stashPrefix+h] = v
				}
			}
		}
	}
	if meta["Content-Type"] == "" {
		meta["Content-Type"] = "binary/octet-stream"
	}
	return meta
}

// postResponse is the answer to a POST with success_action_status 201.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// answer sends S3's answer to a stored upload: a 303 redirect to a valid
// success_action_redirect (with bucket, key and etag added to its query), else the
// success_action_status 200 or 201 (with an XML PostResponse), else 204.
func (p *postObject) answer(w http.ResponseWriter, r *http.Request, bucket string, form *postForm, etag string) {
	key := form.fields["key"]
	location := "http://" + r.Host + "/" + bucket + "/" + (&url.URL{Path: key}).EscapedPath()
	target := form.fields["success_action_redirect"]
	if target == "" {
		target = form.fields["redirect"] // the older name
	}
	if target != "" {
		if u, err := url.Parse(target); err == nil && u.IsAbs() {
			q := u.Query()
			q.Set("bucket", bucket)
			q.Set("key", key)
			q.Set("etag", etag)
			u.RawQuery = q.Encode()
			w.Header().Set("Location", u.String())
			w.WriteHeader(http.StatusSeeOther)
			return
		}
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Location", location)
	switch form.fields["success_action_status"] {
	case "200":
		w.WriteHeader(http.StatusOK)
	case "201":
		body, err := xml.Marshal(postResponse{Location: location, Bucket: bucket, Key: key, ETag: etag})
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusCreated)
		// The upload is stored; a client gone before its answer has no one to tell.
		_, _ = w.Write(append([]byte(xml.Header), body...))
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
