package handler

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// deleted removes the thumbnail of a deleted original, unless the original
// exists again (a re-upload raced the delete), in which case its thumbnail stays.
//
// When the event's key may be read two ways (URL-decoded or raw), each reading
// is handled on its own: a thumbnail whose original does not exist under its
// own key is an orphan either way, so deleting it is never wrong. The outcome
// counts the thumbnails deleted, or is a skip when every reading still exists.
func (h *Handler) deleted(ctx context.Context, log *slog.Logger, r Record) (outcome, error) {
	keys := candidateKeys(r.Key)
	if reason := h.skipByKey(keys); reason != "" {
		return logSkip(ctx, log, reason), nil
	}
	result := outcome{kind: outcomeDeleted}
	for i, key := range keys {
		klog := log
		if i > 0 {
			klog = log.With(FieldFoundAs, key)
		}
		_, err := h.read.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.Bucket), Key: aws.String(key)})
		switch {
		case err == nil:
			logSkip(ctx, klog, SkipStillExists)
			continue
		case !IsNotFound(err):
			return outcome{}, fmt.Errorf("head s3://%s/%s: %w", r.Bucket, key, err)
		}
		outKey := h.out.key(key)
		if err := h.out.delete(ctx, r.Bucket, outKey); err != nil {
			return outcome{}, err
		}
		klog.InfoContext(ctx, "thumbnail deleted", FieldOutputKey, outKey)
		result.deleted++
	}
	if result.deleted == 0 {
		return outcome{kind: outcomeSkipped, reason: SkipStillExists}, nil
	}
	return result, nil
}
