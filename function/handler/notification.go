package handler

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// NotificationSource is the "eventSource" of every S3 notification record.
const NotificationSource = "aws:s3"

// decodeNotification reads a classic S3 notification ({"Records": [...]}) into
// one record per entry. Every entry must come from S3: an SQS or SNS batch also
// has "Records", and handling one of those as S3 would act on garbage.
func decodeNotification(payload []byte) ([]Record, error) {
	var e events.S3Event
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, fmt.Errorf("%w: S3 notification: %v", ErrUnknownEvent, err)
	}
	if len(e.Records) == 0 {
		return nil, fmt.Errorf("%w: S3 notification with no records", ErrUnknownEvent)
	}
	records := make([]Record, 0, len(e.Records))
	for i, n := range e.Records {
		if n.EventSource != NotificationSource {
			return nil, fmt.Errorf("%w: record %d has eventSource %q, want %q", ErrUnknownEvent, i, n.EventSource, NotificationSource)
		}
		r := Record{
			Action:    notificationAction(n.EventName),
			Event:     n.EventName,
			Bucket:    n.S3.Bucket.Name,
			Key:       n.S3.Object.Key,
			ETag:      n.S3.Object.ETag,
			VersionID: n.S3.Object.VersionID,
			Sequencer: n.S3.Object.Sequencer,
		}
		// Every ObjectCreated record carries the size, 0 included; removals carry none.
		if r.Action == ActionCreated {
			r.Size, r.HasSize = n.S3.Object.Size, true
		}
		records = append(records, r)
	}
	return records, nil
}

// notificationAction maps an S3 notification event name to what the function does about it.
// Lifecycle expirations remove the original just like a DeleteObject does.
func notificationAction(eventName string) Action {
	switch {
	case strings.HasPrefix(eventName, "ObjectCreated:"):
		return ActionCreated
	case strings.HasPrefix(eventName, "ObjectRemoved:"),
		eventName == "LifecycleExpiration:Delete",
		eventName == "LifecycleExpiration:DeleteMarkerCreated":
		return ActionDeleted
	}
	return ActionIgnored
}
