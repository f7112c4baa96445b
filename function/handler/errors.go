package handler

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// permanentError marks a failure that retrying the same event cannot fix.
type permanentError struct {
	reason string // a Reject* constant, the failure's metrics reason
	err    error
}

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent marks err as not worth a retry, for the reason a Reject* constant names.
func permanent(reason string, err error) error { return &permanentError{reason: reason, err: err} }

// panicError is a panic recovered while a record was handled. It is worth a
// retry: the panic may come from a transient state of a dependency.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// isPermanent reports whether retrying cannot help: the image core rejected the
// bytes (corrupt, too large, unsupported), or the handler refused the record.
// Everything else (throttling, 5xx, network, timeouts, access denied) is worth
// a retry, and Lambda's retries end in the on-failure destination.
func isPermanent(err error) bool {
	var p *permanentError
	return thumbnail.IsPermanent(err) || errors.As(err, &p)
}

// IsNotFound reports whether S3 said the object (or its bucket) does not exist:
// NoSuchKey from GetObject, NotFound from HeadObject (which has no error body),
// or any 404. Without s3:ListBucket, S3 answers 403 instead, which is not this.
func IsNotFound(err error) bool {
	if err == nil {
		return false
	}
	var noSuchKey *types.NoSuchKey
	var notFound *types.NotFound
	if errors.As(err, &noSuchKey) || errors.As(err, &notFound) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	var status interface{ HTTPStatusCode() int }
	return errors.As(err, &status) && status.HTTPStatusCode() == http.StatusNotFound
}
