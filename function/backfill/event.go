package backfill

import (
	"encoding/json"
	"fmt"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/uuid"
)

// EventReason is the "reason" of every event the backfill sends, where S3
// would name its API call ("PutObject"), so the function's logs tell a
// backfill from an upload.
const EventReason = "Backfill"

// eventVersion is the "version" of EventBridge events and of S3's detail.
const eventVersion = "0"

// eventMaker builds the EventBridge events S3 sends for a bucket, as the
// trigger delivers them to the function.
type eventMaker struct {
	bucket string
	region string
	now    func() time.Time
	newID  func() string
}

// newEventMaker returns an eventMaker stamping events with the current time and a random id.
func newEventMaker(bucket, region string) eventMaker {
	return eventMaker{bucket: bucket, region: region, now: time.Now, newID: uuid.NewString}
}

// created is the "Object Created" event of an original.
func (m eventMaker) created(o Object) ([]byte, error) {
	size := o.Size
	return m.event(contract.DetailTypeObjectCreated, contract.EventBridgeObject{
		Key:  eventKey(o.Key),
		Size: &size,
		ETag: unquote(o.ETag),
	})
}

// deleted is the "Object Deleted" event of an original that is gone.
func (m eventMaker) deleted(key string) ([]byte, error) {
	return m.event(contract.DetailTypeObjectDeleted, contract.EventBridgeObject{Key: eventKey(key)})
}

func (m eventMaker) event(detailType string, obj contract.EventBridgeObject) ([]byte, error) {
	detail, err := json.Marshal(contract.EventBridgeDetail{
		Version: eventVersion,
		Bucket:  contract.EventBridgeBucket{Name: m.bucket},
		Object:  obj,
		Reason:  EventReason,
	})
	if err != nil {
		return nil, fmt.Errorf("%s event of s3://%s/%s: %w", detailType, m.bucket, obj.Key, err)
	}
	payload, err := json.Marshal(events.EventBridgeEvent{
		Version:    eventVersion,
		ID:         m.newID(),
		DetailType: detailType,
		Source:     contract.EventBridgeSource,
		Time:       m.now().UTC().Truncate(time.Second),
		Region:     m.region,
		Resources:  []string{"arn:aws:s3:::" + m.bucket},
		Detail:     detail,
	})
	if err != nil {
		return nil, fmt.Errorf("%s event of s3://%s/%s: %w", detailType, m.bucket, obj.Key, err)
	}
	return payload, nil
}

// eventKey writes a key so that the function reads back exactly that key.
//
// The function reads an event's key form-URL-decoded first, as S3
// notifications encode keys, and raw second. A key that decoding leaves
// unchanged is sent raw, as it is listed. A key that decoding would change
// (one holding '+' or a '%' escape) is sent encoded, or the function would
// first look for another object: "a+b.jpg" raw reads as "a b.jpg".
func eventKey(key string) string {
	if decoded, err := url.QueryUnescape(key); err != nil || decoded == key {
		return key
	}
	return url.QueryEscape(key)
}

// unquote strips the double quotes S3 puts around ETags.
func unquote(etag string) string { return strings.Trim(etag, `"`) }
