package handler

import (
	"context"
	"errors"

	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// outcomeKind names what became of a record.
type outcomeKind int

const (
	outcomeMade     outcomeKind = iota + 1 // a thumbnail was written
	outcomeDeleted                         // the thumbnail of a deleted original was deleted
	outcomeSkipped                         // nothing needed doing (a Skip* reason)
	outcomeRejected                        // failed for good, dropped (a Reject* reason)
	outcomeFailed                          // failed, returned for a retry (a transient reason)
)

// outcome is what became of one record, as its metrics report it.
type outcome struct {
	kind outcomeKind
	// reason says why a record was skipped, rejected or failed; "" otherwise.
	reason string
	// deleted counts the thumbnails an outcomeDeleted removed: one per reading of the key.
	deleted int
	// sourceBytes and sourcePixels describe the original of an outcomeMade.
	sourceBytes, sourcePixels int64
}

// Reject reasons: why a record, or a whole event, failed permanently. They are
// the Reason dimension of MetricRejected. Note that an original over the byte
// limit is not downloaded and counts as Skipped with reason SkipTooLarge;
// RejectTooLarge is an image whose header is over the pixel or side limits.
const (
	// RejectUnsupported: the bytes are not an image format the image core reads.
	RejectUnsupported = "unsupported"
	// RejectTooLarge: the image's header is over the pixel or side limits.
	RejectTooLarge = "too-large"
	// RejectCorrupt: the bytes claim a known format but do not decode.
	RejectCorrupt = "corrupt"
	// RejectImage: the image core refused the bytes for a reason it added after these.
	RejectImage = "image"
	// RejectNotS3Event: the whole input is not an S3 event; it has no records to count.
	RejectNotS3Event = "not-s3-event"
	// RejectIncompleteRecord: a record names no bucket or no key.
	RejectIncompleteRecord = "incomplete-record"
	// RejectUnknownAction: a record asks for an action the handler does not know.
	RejectUnknownAction = "unknown-action"
	// RejectOutsidePrefix: a thumbnail key would lie outside the output prefix.
	RejectOutsidePrefix = "outside-prefix"
	// RejectKeyTooLong: the thumbnail key would be longer than S3 allows.
	RejectKeyTooLong = "key-too-long"
)

// Transient reasons: the Reason dimension of MetricTransientFailures when the
// failure carries no S3 error code. With one, the reason is the code itself
// ("SlowDown", "AccessDenied", "InternalError", ...), a set S3 bounds.
const (
	// TransientPanic: handling the record panicked.
	TransientPanic = "panic"
	// TransientTimeout: the invocation's deadline passed or it was cancelled.
	TransientTimeout = "timeout"
	// TransientOther: any other failure, such as a network error.
	TransientOther = "other"
)

// rejectReason names why err, which isPermanent, is permanent: the reason the
// handler gave when it refused the record, or the image core's kind of failure.
func rejectReason(err error) string {
	var refused *permanentError
	switch {
	case errors.As(err, &refused):
		return refused.reason
	case errors.Is(err, thumbnail.ErrUnsupported):
		return RejectUnsupported
	case errors.Is(err, thumbnail.ErrTooLarge):
		return RejectTooLarge
	case errors.Is(err, thumbnail.ErrCorrupt):
		return RejectCorrupt
	}
	return RejectImage
}

// maxErrorCodeLen bounds an S3 error code used as a metric dimension.
const maxErrorCodeLen = 64

// transientReason names a failure worth a retry: the S3 error code when the
// failure has one, else TransientPanic, TransientTimeout or TransientOther.
// A code that is not a short alphanumeric word (an S3 look-alike may send
// anything) is TransientOther, so the dimension keeps few values.
func transientReason(err error) string {
	var p *panicError
	var api smithy.APIError
	switch {
	case errors.As(err, &p):
		return TransientPanic
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return TransientTimeout
	case errors.As(err, &api) && isErrorCode(api.ErrorCode()):
		return api.ErrorCode()
	}
	return TransientOther
}

// isErrorCode reports whether code looks like an S3 error code: one short
// word of ASCII letters and digits, such as "SlowDown".
func isErrorCode(code string) bool {
	if code == "" || len(code) > maxErrorCodeLen {
		return false
	}
	for _, c := range []byte(code) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
