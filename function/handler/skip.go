package handler

import (
	"context"
	"log/slog"
	"strings"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Skip reasons, logged in the FieldSkip field when a record needs no work, and
// the Reason dimension of MetricSkipped. contract.SkipJobsPrefix, a key under
// contract.JobsPrefix, is one too: the batch backfill and the CDK app share it.
const (
	// SkipOutputPrefix: the key is a thumbnail (defence in depth against loops).
	SkipOutputPrefix = "output-prefix"
	// SkipFolder: the key is a folder marker, ending in "/".
	SkipFolder = "folder"
	// SkipEmpty: the object has no bytes.
	SkipEmpty = "empty"
	// SkipTooLarge: the object is over the byte limit; it is not downloaded.
	SkipTooLarge = "too-large"
	// SkipGone: the object was deleted before it could be read.
	SkipGone = "gone"
	// SkipUpToDate: the thumbnail was already made from the object's current ETag.
	SkipUpToDate = "up-to-date"
	// SkipStillExists: the original of a deletion exists again (a re-upload raced the delete).
	SkipStillExists = "still-exists"
	// SkipEventType: an S3 event the function has no work for.
	SkipEventType = "event-type"
)

// skipByKey returns why no key in keys may be acted on, or "" when they may.
// Thumbnails themselves are never sources, under any reading of the key.
func (h *Handler) skipByKey(keys []string) string {
	for _, k := range keys {
		if strings.HasPrefix(k, h.cfg.OutputPrefix) {
			return SkipOutputPrefix
		}
		if strings.HasPrefix(k, contract.JobsPrefix) {
			return contract.SkipJobsPrefix
		}
	}
	if strings.HasSuffix(keys[0], "/") {
		return SkipFolder
	}
	return ""
}

// skipBySize returns why an object of size bytes is not worth downloading, or "".
func (h *Handler) skipBySize(size int64) string {
	switch {
	case size == 0:
		return SkipEmpty
	case size > h.cfg.Thumbnail.Limits.MaxBytes:
		return SkipTooLarge
	}
	return ""
}

// logSkip logs why a record needed no work and returns that outcome. An object
// too large to read is a warning: its owner gets no thumbnail and may want to know.
func logSkip(ctx context.Context, log *slog.Logger, reason string, args ...any) outcome {
	level := slog.LevelInfo
	if reason == SkipTooLarge {
		level = slog.LevelWarn
	}
	log.Log(ctx, level, "skipped", append([]any{FieldSkip, reason}, args...)...)
	return outcome{kind: outcomeSkipped, reason: reason}
}
