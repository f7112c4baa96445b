package handler

import (
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Log field names. Every record's lines carry FieldBucket and FieldKey.
const (
	FieldRequestID   = "request_id"   // Lambda request id of the invocation
	FieldEvent       = "event"        // event name as S3 gave it
	FieldBucket      = "bucket"       // bucket of the object
	FieldKey         = "key"          // object key, decoded
	FieldFoundAs     = "found_as"     // the raw key, when the object was found under it and not the decoded one
	FieldSkip        = "skip"         // why a record needed no work (Skip* constants)
	FieldReason      = "reason"       // why a record failed
	FieldSourceBytes = "source_bytes" // size of the original
	FieldMaxBytes    = "max_bytes"    // the byte limit an original was over
	FieldSourceDims  = "source_dims"  // "WxH" of the original
	FieldSourceETag  = "source_etag"  // current ETag of the original
	FieldOutputKey   = "output_key"   // key of the thumbnail
	FieldOutputBytes = "output_bytes" // size of the thumbnail
	FieldOutputDims  = "output_dims"  // "WxH" of the thumbnail
	FieldDownloadMS  = "download_ms"  // GetObject until the last byte is read
	FieldResizeMS    = "resize_ms"    // decode, resize and encode
	FieldUploadMS    = "upload_ms"    // PutObject

	FieldSourceProfile  = "source_profile"  // colour space the original was converted to sRGB from
	FieldColourFallback = "colour_fallback" // why the original's colour profile was not used (taken as sRGB)
)

// FieldTimestamp names the time of every log line. Lambda's log-level filter
// reads a JSON line's "level" and its RFC 3339 "timestamp" and treats a line
// without a valid timestamp as INFO, so slog's own "time" key is renamed.
const FieldTimestamp = "timestamp"

// NewLogger returns a JSON logger writing to w at the named level
// ("debug", "info", "warn" or "error"). Each line carries its time under
// FieldTimestamp, in RFC 3339 with nanoseconds, UTC.
//
// aws-lambda-go's lambdacontext.NewLogger takes its level and format from the
// Lambda console's settings; this function's level comes from its own
// configuration and its lines are always JSON, so it uses slog directly.
func NewLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l, ReplaceAttr: stampTime})), nil
}

// stampTime writes the record's time under FieldTimestamp as RFC 3339 text.
// Attributes inside groups are the caller's own and left alone.
func stampTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
		return slog.String(FieldTimestamp, a.Value.Time().UTC().Format(time.RFC3339Nano))
	}
	return a
}

// millis renders a duration as fractional milliseconds, which small thumbnails need.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
