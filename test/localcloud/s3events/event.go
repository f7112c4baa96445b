// Package s3events builds the events S3 sends to EventBridge for object writes and deletes.
package s3events

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// Detail types of S3 events on EventBridge.
const (
	ObjectCreated = "Object Created"
	ObjectDeleted = "Object Deleted"
)

// Event is an EventBridge event from S3, field for field as S3 sends it.
type Event struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     Detail   `json:"detail"`
}

// Detail is the S3 part of the event.
type Detail struct {
	Version         string `json:"version"`
	Bucket          Bucket `json:"bucket"`
	Object          Object `json:"object"`
	RequestID       string `json:"request-id"`
	Requester       string `json:"requester"`
	SourceIPAddress string `json:"source-ip-address"`
	Reason          string `json:"reason"`
	DeletionType    string `json:"deletion-type,omitempty"`
}

// Bucket names the bucket.
type Bucket struct {
	Name string `json:"name"`
}

// Object describes the object; size and etag only for writes, version-id only in
// versioned buckets.
type Object struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"etag,omitempty"`
	VersionID string `json:"version-id,omitempty"`
	Sequencer string `json:"sequencer"`
}

// Builder turns S3 changes into events.
type Builder struct {
	// Region and Account stamp every event.
	Region, Account string
	// Keys is how object keys are encoded. Default: DefaultKeyEncoding.
	Keys KeyEncoding
	// Sequencer orders events; the zero value works.
	Sequencer Sequencer
	// newID returns event IDs. Default: random UUIDs.
	newID func() string
}

// Build returns the event S3 would send for c.
func (b *Builder) Build(c s3server.Change) Event {
	newID := b.newID
	if newID == nil {
		newID = uuid.NewString
	}
	keys := b.Keys
	if keys == "" {
		keys = DefaultKeyEncoding
	}
	e := Event{
		Version:    "0",
		ID:         newID(),
		DetailType: ObjectDeleted,
		Source:     "aws.s3",
		Account:    b.Account,
		Time:       c.Time.UTC().Format(time.RFC3339),
		Region:     b.Region,
		Resources:  []string{"arn:aws:s3:::" + c.Bucket},
		Detail: Detail{
			Version:         "0",
			Bucket:          Bucket{Name: c.Bucket},
			Object:          Object{Key: keys.Encode(c.Key), VersionID: c.VersionID, Sequencer: b.Sequencer.Next()},
			RequestID:       c.RequestID,
			Requester:       b.Account,
			SourceIPAddress: c.SourceIP,
			Reason:          c.Reason,
			DeletionType:    c.DeletionType,
		},
	}
	if c.Created {
		e.DetailType = ObjectCreated
		size := c.Size
		e.Detail.Object.Size = &size
		e.Detail.Object.ETag = c.ETag
	}
	return e
}

// JSON is the event as EventBridge delivers it to a target.
func (e Event) JSON() ([]byte, error) { return json.Marshal(e) }
