package handler

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestDecodeFixtures decodes every documented event shape and compares the
// records with testdata/golden/<fixture>; go test -update rewrites them.
func TestDecodeFixtures(t *testing.T) {
	fixtures := []string{
		"eventbridge-object-created.json",
		"eventbridge-object-deleted.json",
		"eventbridge-object-deleted-lifecycle.json",
		"eventbridge-object-restore-completed.json",
		"s3-objectcreated-put.json",
		"s3-objectremoved-delete.json",
		"s3-objectremoved-deletemarkercreated.json",
		"s3-testevent.json",
	}
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			records, err := Decode(readFixture(t, name))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got, err := json.MarshalIndent(records, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.TrimSuffix(name, ".json")+".records.json", append(got, '\n'))
		})
	}
}

// TestDecodeActions checks the action of each event name, beyond the fixtures.
func TestDecodeActions(t *testing.T) {
	tests := []struct {
		eventName string
		want      Action
	}{
		{"ObjectCreated:Put", ActionCreated},
		{"ObjectCreated:Post", ActionCreated},
		{"ObjectCreated:Copy", ActionCreated},
		{"ObjectCreated:CompleteMultipartUpload", ActionCreated},
		{"ObjectRemoved:Delete", ActionDeleted},
		{"ObjectRemoved:DeleteMarkerCreated", ActionDeleted},
		{"LifecycleExpiration:Delete", ActionDeleted},
		{"LifecycleExpiration:DeleteMarkerCreated", ActionDeleted},
		{"ObjectRestore:Completed", ActionIgnored},
		{"ObjectTagging:Put", ActionIgnored},
		{"LifecycleTransition", ActionIgnored},
	}
	for _, tt := range tests {
		t.Run(tt.eventName, func(t *testing.T) {
			event := strings.Replace(string(readFixture(t, "s3-objectcreated-put.json")),
				`"eventName": "ObjectCreated:Put"`, `"eventName": "`+tt.eventName+`"`, 1)
			records, err := Decode([]byte(event))
			if err != nil {
				t.Fatal(err)
			}
			if len(records) != 1 || records[0].Action != tt.want || records[0].Event != tt.eventName {
				t.Fatalf("Decode = %+v, want one %s record named %s", records, tt.want, tt.eventName)
			}
			if got := records[0].HasSize; got != (tt.want == ActionCreated) {
				t.Errorf("HasSize = %v for %s", got, tt.eventName)
			}
		})
	}
}

// TestDecodeRejectsUnknownShapes checks that anything but an S3 event is an
// ErrUnknownEvent whose one-line message says what was wrong.
func TestDecodeRejectsUnknownShapes(t *testing.T) {
	tests := []struct {
		name, payload, wantInErr string
	}{
		{"not JSON", `hello`, "not a JSON object"},
		{"JSON array", `[{"Records": []}]`, "not a JSON object"},
		{"JSON string", `"Records"`, "not a JSON object"},
		{"empty object", `{}`, "top-level fields []"},
		{"other fields", `{"id": 1, "name": "x"}`, "top-level fields [id name]"},
		{"SQS batch", string(readFixture(t, "sqs-receive-message.json")), `eventSource "aws:sqs"`},
		{"no records", `{"Records": []}`, "no records"},
		{"null records", `{"Records": null}`, "no records"},
		{"records not a list", `{"Records": {"a": 1}}`, "S3 notification"},
		{"EventBridge from EC2", `{"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification", "detail": {}}`, `source "aws.ec2"`},
		{"EventBridge without detail", `{"source": "aws.s3", "detail-type": "Object Created"}`, "has no detail"},
		{"EventBridge detail not an object", `{"source": "aws.s3", "detail-type": "Object Created", "detail": "x"}`, "detail"},
		{"EventBridge size not a number", `{"source": "aws.s3", "detail-type": "Object Created", "detail": {"object": {"size": "big"}}}`, "detail"},
		{"EventBridge created without key", `{"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "b"}, "object": {"size": 1}}}`, `record 0 ("Object Created") names no bucket or no key`},
		{"EventBridge deleted without bucket", `{"source": "aws.s3", "detail-type": "Object Deleted", "detail": {"object": {"key": "k"}}}`, "names no bucket or no key"},
		{"S3 record without key", `{"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "k"}}}, {"eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "b"}}}]}`, `record 1 ("ObjectRemoved:Delete") names no bucket or no key`},
		{"S3 key badly escaped", strings.Replace(string(readFixture(t, "s3-objectcreated-put.json")), "red+flower", "red%zzflower", 1), "S3 notification"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			records, err := Decode([]byte(tt.payload))
			if !errors.Is(err, ErrUnknownEvent) {
				t.Fatalf("Decode = %+v, %v; want ErrUnknownEvent", records, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantInErr) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line mentioning %q", msg, tt.wantInErr)
			}
		})
	}
}

// TestDecodeNamesAtMostTenFields keeps the error of a huge unknown object to one short line.
func TestDecodeNamesAtMostTenFields(t *testing.T) {
	fields := make([]string, 30)
	for i := range fields {
		fields[i] = fmt.Sprintf(`"f%02d": 1`, i)
	}
	_, err := Decode([]byte("{" + strings.Join(fields, ",") + "}"))
	if err == nil {
		t.Fatal("Decode accepted an unknown shape")
	}
	msg := err.Error()
	if !strings.Contains(msg, "[f00 f01 f02 f03 f04 f05 f06 f07 f08 f09 ...]") || strings.Contains(msg, "f10") {
		t.Fatalf("err = %q, want the first %d field names and an ellipsis", msg, maxFieldsNamed)
	}
}
