package handler

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// decodeEventBridge reads an EventBridge event from S3 into one record.
// An S3 event of another detail type (restore, tagging, ...) is ignored, not an error.
func decodeEventBridge(payload []byte) ([]Record, error) {
	var e events.EventBridgeEvent
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, fmt.Errorf("%w: EventBridge event: %v", ErrUnknownEvent, err)
	}
	if e.Source != contract.EventBridgeSource {
		return nil, fmt.Errorf("%w: EventBridge event from source %q, want %q", ErrUnknownEvent, e.Source, contract.EventBridgeSource)
	}
	var d contract.EventBridgeDetail
	if len(e.Detail) == 0 {
		return nil, fmt.Errorf("%w: EventBridge %q event has no detail", ErrUnknownEvent, e.DetailType)
	}
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		return nil, fmt.Errorf("%w: EventBridge %q detail: %v", ErrUnknownEvent, e.DetailType, err)
	}
	r := Record{
		Event:        e.DetailType,
		Bucket:       d.Bucket.Name,
		Key:          d.Object.Key,
		ETag:         d.Object.ETag,
		VersionID:    d.Object.VersionID,
		Sequencer:    d.Object.Sequencer,
		Reason:       d.Reason,
		DeletionType: d.DeletionType,
	}
	if d.Object.Size != nil {
		r.Size, r.HasSize = *d.Object.Size, true
	}
	switch e.DetailType {
	case contract.DetailTypeObjectCreated:
		r.Action = ActionCreated
	case contract.DetailTypeObjectDeleted:
		r.Action = ActionDeleted
	default:
		r.Action = ActionIgnored
	}
	return []Record{r}, nil
}
