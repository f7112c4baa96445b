package handler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// created makes the thumbnail of a new object: skip what needs no work, find
// which reading of the event's key names the uploaded object (eventObjects),
// read the original (bounded), resize it, write "<prefix><key>". A thumbnail is
// always written under the name of the object it was made from. The original
// is only ever read.
func (h *Handler) created(ctx context.Context, log *slog.Logger, r Record) (outcome, error) {
	keys := candidateKeys(r.Key)
	if reason := h.skipByKey(keys); reason != "" {
		return logSkip(ctx, log, reason), nil
	}
	if r.HasSize {
		if reason := h.skipBySize(r.Size); reason != "" {
			return logSkip(ctx, log, reason, FieldSourceBytes, r.Size, FieldMaxBytes, h.cfg.Thumbnail.Limits.MaxBytes), nil
		}
	}

	matched, err := h.eventObjects(ctx, r, keys)
	if err != nil {
		return outcome{}, err
	}
	if len(matched) == 0 {
		return h.createdFrom(ctx, log, r, keys, keys[0])
	}
	// Each reading that matches is an object the event may be about, and each
	// gets its own thumbnail, made from its own bytes under its own name.
	var result outcome
	for _, key := range matched {
		o, err := h.createdFrom(ctx, log, r, []string{key}, keys[0])
		if err != nil {
			return outcome{}, err
		}
		if result.kind != outcomeMade {
			result = o
		}
	}
	return result, nil
}

// eventObjects returns the readings among keys of the object a created record
// is about: those whose current ETag, and size when the event gives one, are
// the event's. S3 notifications URL-encode keys and EventBridge events
// (probably) do not, so "a+b.jpg" may stand for itself or for "a b.jpg"; when
// both exist, only the ETag tells which was uploaded. It returns none when
// there is nothing to tell apart (one reading, or an event without an ETag)
// and when no reading matches: the object has changed since the event, whose
// successor will follow. The caller then reads the first reading that exists.
func (h *Handler) eventObjects(ctx context.Context, r Record, keys []string) ([]string, error) {
	if len(keys) < 2 || r.ETag == "" {
		return nil, nil
	}
	var matched []string
	for _, key := range keys {
		head, err := h.read.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.Bucket), Key: aws.String(key)})
		switch {
		case IsNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("head s3://%s/%s: %w", r.Bucket, key, err)
		}
		sizeMatches := !r.HasSize || head.ContentLength == nil || *head.ContentLength == r.Size
		if contract.SameETag(aws.ToString(head.ETag), r.ETag) && sizeMatches {
			matched = append(matched, key)
		}
	}
	return matched, nil
}

// createdFrom makes the thumbnail of the first of keys that exists; decoded,
// the event key's first reading, is what the record's log lines name it.
func (h *Handler) createdFrom(ctx context.Context, log *slog.Logger, r Record, keys []string, decoded string) (outcome, error) {
	started := time.Now()
	key, obj, err := h.getSource(ctx, r.Bucket, keys)
	if IsNotFound(err) {
		return logSkip(ctx, log, SkipGone), nil
	}
	if err != nil {
		return outcome{}, err
	}
	defer closeBody(ctx, log, obj.Body)
	if key != decoded {
		log = log.With(FieldFoundAs, key)
	}
	etag := contract.UnquoteETag(aws.ToString(obj.ETag))
	if obj.ContentLength != nil {
		if reason := h.skipBySize(*obj.ContentLength); reason != "" {
			return logSkip(ctx, log, reason, FieldSourceBytes, *obj.ContentLength, FieldMaxBytes, h.cfg.Thumbnail.Limits.MaxBytes), nil
		}
	}

	outKey := h.out.key(key)
	if err := h.out.check(r.Bucket, outKey); err != nil {
		return outcome{}, err
	}
	opts := h.optionsFor(key)
	if h.upToDate(ctx, log, r.Bucket, outKey, etag, h.cfg.Thumbnail.Spec()) {
		return logSkip(ctx, log, SkipUpToDate, FieldOutputKey, outKey, FieldSourceETag, etag), nil
	}

	data, err := readBounded(obj.Body, aws.ToInt64(obj.ContentLength), h.cfg.Thumbnail.Limits.MaxBytes)
	switch {
	case errors.Is(err, errOverLimit):
		return logSkip(ctx, log, SkipTooLarge, FieldMaxBytes, h.cfg.Thumbnail.Limits.MaxBytes), nil
	case err != nil:
		return outcome{}, fmt.Errorf("read s3://%s/%s: %w", r.Bucket, key, err)
	case len(data) == 0:
		return logSkip(ctx, log, SkipEmpty), nil
	}
	downloaded := time.Now()

	res, err := h.make(data, opts)
	if err != nil {
		return outcome{}, fmt.Errorf("thumbnail of s3://%s/%s: %w", r.Bucket, key, err)
	}
	resized := time.Now()

	err = h.out.put(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(r.Bucket),
		Key:           aws.String(outKey),
		Body:          bytes.NewReader(res.Data),
		ContentLength: aws.Int64(int64(len(res.Data))),
		ContentType:   aws.String(res.ContentType()),
		CacheControl:  aws.String(h.cfg.CacheControl),
		Metadata: provenance{
			key: key, etag: etag, size: len(data), versionID: aws.ToString(obj.VersionId), spec: h.cfg.Thumbnail.Spec(),
			profile: res.SourceProfile,
		}.metadata(),
	})
	if err != nil {
		return outcome{}, err
	}
	uploaded := time.Now()

	attrs := []any{
		FieldSourceBytes, len(data),
		FieldSourceDims, contract.FormatSize(res.SourceWidth, res.SourceHeight),
		FieldSourceETag, etag,
		FieldOutputKey, outKey,
		FieldOutputBytes, len(res.Data),
		FieldOutputDims, contract.FormatSize(res.Width, res.Height),
		FieldDownloadMS, millis(downloaded.Sub(started)),
		FieldResizeMS, millis(resized.Sub(downloaded)),
		FieldUploadMS, millis(uploaded.Sub(resized)),
	}
	if res.SourceProfile != "" {
		attrs = append(attrs, FieldSourceProfile, res.SourceProfile)
	}
	if res.ColourFallback != "" {
		attrs = append(attrs, FieldColourFallback, res.ColourFallback)
	}
	log.InfoContext(ctx, "thumbnail written", attrs...)
	return outcome{
		kind:         outcomeMade,
		sourceBytes:  int64(len(data)),
		sourcePixels: int64(res.SourceWidth) * int64(res.SourceHeight),
	}, nil
}

// getSource opens the original under the first of keys that exists, trying the
// next only when S3 says the previous one is not found. The error of the last
// attempt keeps its not-found-ness for IsNotFound.
func (h *Handler) getSource(ctx context.Context, bucket string, keys []string) (string, *s3.GetObjectOutput, error) {
	var err error
	for _, k := range keys {
		var obj *s3.GetObjectOutput
		obj, err = h.read.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err == nil {
			return k, obj, nil
		}
		if !IsNotFound(err) {
			return k, nil, fmt.Errorf("get s3://%s/%s: %w", bucket, k, err)
		}
	}
	return "", nil, fmt.Errorf("get s3://%s/%s: %w", bucket, keys[len(keys)-1], err)
}

// upToDate reports whether the thumbnail at outKey was made from the original
// whose current ETag is etag, with the settings spec. Failing to tell is not
// fatal: making the thumbnail again is always safe, so it answers false and logs why.
func (h *Handler) upToDate(ctx context.Context, log *slog.Logger, bucket, outKey, etag, spec string) bool {
	head, err := h.read.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(outKey)})
	switch {
	case IsNotFound(err):
		return false
	case err != nil:
		log.WarnContext(ctx, "cannot read the thumbnail's headers; making it again", FieldOutputKey, outKey, "error", err.Error())
		return false
	}
	return contract.UpToDate(head.Metadata, etag, spec)
}

// optionsFor returns the thumbnail options for a key: output in the format
// outputFormat decides; the Content-Type names it.
func (h *Handler) optionsFor(key string) thumbnail.Options {
	opts := ThumbnailOptions(h.cfg.Thumbnail)
	opts.Format = outputFormat(thumbnail.Format(h.cfg.Thumbnail.Format), key)
	return opts
}

// errOverLimit reports a body longer than the byte limit.
var errOverLimit = errors.New("over the byte limit")

// readBounded reads all of body but never more than limit+1 bytes; more than
// limit is errOverLimit. sizeHint (the Content-Length) sizes the buffer once.
func readBounded(body io.Reader, sizeHint, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if sizeHint > 0 && sizeHint <= limit {
		buf.Grow(int(sizeHint) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(body, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return buf.Bytes(), errOverLimit
	}
	return buf.Bytes(), nil
}

// closeBody closes a response body. Its error cannot change the outcome of a
// read that already succeeded or failed, so it is only logged.
func closeBody(ctx context.Context, log *slog.Logger, body io.Closer) {
	if err := body.Close(); err != nil {
		log.DebugContext(ctx, "closing the source body", "error", err.Error())
	}
}
