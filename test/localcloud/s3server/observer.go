package s3server

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// operation is an S3 API call that writes or deletes objects.
type operation int

const (
	opNone operation = iota
	opPut
	opCopy
	opPost
	opComplete
	opDelete
	opDeleteMulti
)

// observer wraps the S3 handler and reports every successful object write and delete as
// a Change. gofakes3 has no hooks, so it looks at the request (method, path, query,
// headers) and the response status, then reads size and ETag from the backend.
//
// In a versioned bucket it reports version IDs as S3 does: a write's new version, the
// delete marker a delete without a version ID leaves ("Delete Marker Created"), and the
// version a delete with ?versionId= removes for good ("Permanently Deleted").
type observer struct {
	next http.Handler
	// post serves browser uploads (PostObject) instead of next.
	post http.Handler
	// head returns the size, hex ETag and version ID of an object's current version.
	head func(bucket, key string) (size int64, etag, versionID string, err error)
	// versioned says whether a bucket keeps versions.
	versioned func(bucket string) bool
	emit      func(Change)
	// fail reports a change that could not be described completely.
	fail func(error)
}

// ServeHTTP serves the request and reports the writes and deletes it made.
func (o *observer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := classify(r)
	if op == opNone {
		o.next.ServeHTTP(w, r)
		return
	}
	rec := &recorder{ResponseWriter: w}
	if op == opPost {
		r, posted := withPostedKey(r)
		o.post.ServeHTTP(rec, r)
		if *posted == "" {
			return // refused
		}
		o.created(r, rec, op, *posted)
		return
	}
	var reqBody bytes.Buffer
	if op == opDeleteMulti {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(r.Body, &limitedWriter{buf: &reqBody, left: maxDeleteBodyBytes}), r.Body}
		rec.capture = &limitedWriter{buf: &bytes.Buffer{}, left: maxDeleteBodyBytes}
	}
	o.next.ServeHTTP(rec, r)
	if rec.status()/100 != 2 {
		return
	}
	base := baseChange(r, rec)
	bucket, key := splitPath(r.URL.Path)
	switch op {
	case opPut, opCopy, opComplete:
		o.created(r, rec, op, key)
	case opDelete:
		if v := r.URL.Query().Get("versionId"); v != "" {
			// A delete of one version removes it for good, a delete marker included.
			o.emit(deleted(base, bucket, key, v, false))
			break
		}
		o.emit(deleted(base, bucket, key, base.VersionID, rec.Header().Get("x-amz-delete-marker") == "true"))
	case opDeleteMulti:
		objects, err := deletedObjects(reqBody.Bytes(), rec.capture.buf.Bytes())
		if err != nil {
			o.fail(fmt.Errorf("DeleteObjects on bucket %s succeeded but its keys are unknown: %w", bucket, err))
		}
		// gofakes3 does not say which deletes left markers, nor their version IDs: in a
		// versioned bucket every delete without a version ID leaves one, of unknown ID.
		versioned := o.versioned != nil && o.versioned(bucket)
		for _, obj := range objects {
			o.emit(deleted(base, bucket, obj.Key, obj.VersionID, versioned && obj.VersionID == ""))
		}
	}
}

// baseChange is what every change of the request has: its request ID, version ID,
// caller and time.
func baseChange(r *http.Request, rec *recorder) Change {
	return Change{
		RequestID: rec.Header().Get("x-amz-request-id"),
		VersionID: rec.Header().Get("x-amz-version-id"),
		SourceIP:  sourceIP(r.RemoteAddr),
		Time:      time.Now().UTC(),
	}
}

// created reports the write of key, with the size and ETag the store now has.
func (o *observer) created(r *http.Request, rec *recorder, op operation, key string) {
	bucket, _ := splitPath(r.URL.Path)
	c := baseChange(r, rec)
	c.Created, c.Reason, c.Bucket, c.Key = true, reasonOf(op), bucket, key
	size, etag, version, err := o.head(bucket, key)
	if err != nil {
		o.fail(fmt.Errorf("s3://%s/%s written by %s but not readable for its event: %w", bucket, key, c.Reason, err))
	}
	c.Size, c.ETag = size, etag
	if op == opCopy {
		// gofakes3 answers a copy with the source's version ID, not the new one.
		c.VersionID = version
	}
	o.emit(c)
}

// deleted is the change a delete of key made: a delete marker, or version (empty when the
// bucket is not versioned) gone for good.
func deleted(base Change, bucket, key, version string, marker bool) Change {
	c := base
	c.Reason, c.Bucket, c.Key, c.VersionID = ReasonDelete, bucket, key, version
	c.DeletionType = DeletionPermanent
	if marker {
		c.DeletionType = DeletionMarkerCreated
	}
	return c
}

// classify names the write or delete a request makes, using the routing rules of gofakes3.
func classify(r *http.Request) operation {
	bucket, key := splitPath(r.URL.Path)
	if bucket == "" {
		return opNone
	}
	q := r.URL.Query()
	_, uploads := q["uploads"]
	uploadID := q.Get("uploadId")
	switch r.Method {
	case http.MethodPut:
		if key == "" || uploadID != "" || uploads {
			return opNone
		}
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			return opCopy
		}
		return opPut
	case http.MethodPost:
		switch _, del := q["delete"]; {
		case key != "" && uploadID != "":
			return opComplete
		case key == "" && del:
			return opDeleteMulti
		case key == "" && !uploads:
			return opPost
		}
	case http.MethodDelete:
		if key != "" && uploadID == "" {
			return opDelete
		}
	}
	return opNone
}

func reasonOf(op operation) string {
	switch op {
	case opCopy:
		return ReasonCopy
	case opPost:
		return ReasonPost
	case opComplete:
		return ReasonCompleteUpload
	}
	return ReasonPut
}

// splitPath returns bucket and key of a path-style URL path.
func splitPath(p string) (bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return bucket, key
}

// deletedObjects returns the keys (with their version IDs, if any) of a DeleteObjects
// request that the response does not list as errors (a quiet response lists nothing
// else).
func deletedObjects(request, response []byte) ([]gofakes3.ObjectID, error) {
	var req gofakes3.DeleteRequest
	if err := xml.Unmarshal(request, &req); err != nil {
		return nil, fmt.Errorf("request body: %w", err)
	}
	var res gofakes3.MultiDeleteResult
	if err := xml.Unmarshal(response, &res); err != nil {
		return nil, fmt.Errorf("response body: %w", err)
	}
	failed := map[string]bool{}
	for _, e := range res.Error {
		failed[e.Key] = true
	}
	var objects []gofakes3.ObjectID
	for _, o := range req.Objects {
		if !failed[o.Key] {
			objects = append(objects, o)
		}
	}
	return objects, nil
}

func sourceIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

// maxDeleteBodyBytes bounds what is kept of a DeleteObjects exchange: 1000 keys of up to
// 1 KiB each, with XML around them.
const maxDeleteBodyBytes = 2 << 20

// recorder passes a response through and remembers its status (and, when capture is
// set, its body).
type recorder struct {
	http.ResponseWriter
	code    int
	capture *limitedWriter
}

// WriteHeader remembers the first status sent.
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write sends (and, when capturing, keeps) part of the body.
func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	if r.capture != nil {
		r.capture.keep(b)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// limitedWriter keeps the first left bytes written to it and drops the rest.
type limitedWriter struct {
	buf  *bytes.Buffer
	left int
}

// Write keeps what fits and reports all of p written, so a tee never fails.
func (l *limitedWriter) Write(b []byte) (int, error) {
	l.keep(b)
	return len(b), nil
}

func (l *limitedWriter) keep(b []byte) {
	if len(b) > l.left {
		b = b[:l.left]
	}
	l.buf.Write(b) // a bytes.Buffer write cannot fail
	l.left -= len(b)
}
