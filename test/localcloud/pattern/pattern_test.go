package pattern

import (
	"strings"
	"testing"
)

// ec2Event is the state-change event used throughout the EventBridge documentation on
// event patterns, with the detail fields its content-filtering examples refer to.
const ec2Event = `{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "111122223333",
  "time": "2017-10-02T18:43:48Z",
  "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {
    "instance-id": "i-1234567890abcdef0",
    "state": "running",
    "c-count": 5,
    "d-count": 7,
    "x-limit": 301.8,
    "source-ip": "10.0.0.123",
    "FileName": "photo.PNG",
    "FilePath": "/usr/lib/libc.so",
    "service": "EventBridge",
    "eventVersion": "",
    "responseElements": null,
    "tags": ["blue", "green"],
    "items": [{"name": "a", "size": 1}, {"name": "b", "size": 2}],
    "location": {"city": "Seattle"}
  }
}`

// s3Event is an S3 "Object Created" event as S3 sends it to EventBridge.
const s3Event = `{
  "version": "0",
  "id": "17793124-05d4-b198-2fde-7ededc63b103",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "111122223333",
  "time": "2021-11-12T00:00:00Z",
  "region": "ca-central-1",
  "resources": ["arn:aws:s3:::images"],
  "detail": {
    "version": "0",
    "bucket": {"name": "images"},
    "object": {"key": "KEY", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184", "sequencer": "617f08299329d189"},
    "request-id": "N4N7GDK58NMKJ12R",
    "requester": "123456789012",
    "source-ip-address": "1.2.3.4",
    "reason": "PutObject"
  }
}`

// thumbnailRule is the product's rule: objects created in the images bucket, except thumbnails.
const thumbnailRule = `{
  "source": ["aws.s3"],
  "detail-type": ["Object Created"],
  "detail": {
    "bucket": {"name": ["images"]},
    "object": {"key": [{"anything-but": {"prefix": "resized/"}}]}
  }
}`

func s3EventWithKey(key string) string { return strings.Replace(s3Event, "KEY", key, 1) }

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		// Exact values, arrays as OR, nesting.
		{"exact source", `{"source": ["aws.ec2"]}`, ec2Event, true},
		{"exact source other", `{"source": ["aws.s3"]}`, ec2Event, false},
		{"array is OR", `{"source": ["aws.s3", "aws.ec2"]}`, ec2Event, true},
		{"fields are AND", `{"source": ["aws.ec2"], "region": ["us-east-1"]}`, ec2Event, false},
		{"nested", `{"detail": {"state": ["running"]}}`, ec2Event, true},
		{"nested deeper", `{"detail": {"location": {"city": ["Seattle"]}}}`, ec2Event, true},
		{"case sensitive", `{"detail": {"state": ["Running"]}}`, ec2Event, false},
		{"event array any element", `{"detail": {"tags": ["green"]}}`, ec2Event, true},
		{"event array no element", `{"detail": {"tags": ["red"]}}`, ec2Event, false},
		{"resources intersect", `{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]}`, ec2Event, true},
		{"array of objects", `{"detail": {"items": {"name": ["b"], "size": [2]}}}`, ec2Event, true},
		{"array of objects same element", `{"detail": {"items": {"name": ["a"], "size": [2]}}}`, ec2Event, false},
		{"missing field", `{"detail": {"colour": ["red"]}}`, ec2Event, false},
		{"string is not number", `{"detail": {"c-count": ["5"]}}`, ec2Event, false},
		{"number exact", `{"detail": {"c-count": [5]}}`, ec2Event, true},
		{"number exact other notation", `{"detail": {"x-limit": [3.018e2]}}`, ec2Event, true},
		{"empty string", `{"detail": {"eventVersion": [""]}}`, ec2Event, true},
		{"null", `{"detail": {"responseElements": [null]}}`, ec2Event, true},
		{"null is not empty string", `{"detail": {"responseElements": [""]}}`, ec2Event, false},
		{"pattern object against scalar", `{"detail": {"state": {"name": ["running"]}}}`, ec2Event, false},

		// Prefix and suffix.
		{"prefix", `{"time": [{"prefix": "2017-10-02"}]}`, ec2Event, true},
		{"prefix miss", `{"time": [{"prefix": "2017-10-03"}]}`, ec2Event, false},
		{"prefix ignore case", `{"detail": {"service": [{"prefix": {"equals-ignore-case": "eventb"}}]}}`, ec2Event, true},
		{"prefix on number", `{"detail": {"c-count": [{"prefix": "5"}]}}`, ec2Event, false},
		{"suffix", `{"detail": {"FileName": [{"suffix": ".PNG"}]}}`, ec2Event, true},
		{"suffix case sensitive", `{"detail": {"FileName": [{"suffix": ".png"}]}}`, ec2Event, false},
		{"suffix ignore case", `{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}`, ec2Event, true},

		// equals-ignore-case and wildcard.
		{"equals ignore case", `{"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}`, ec2Event, true},
		{"equals ignore case miss", `{"detail-type": [{"equals-ignore-case": "ec2 instance"}]}`, ec2Event, false},
		{"wildcard", `{"resources": [{"wildcard": "arn:aws:ec2:*:123456789012:instance/*"}]}`, ec2Event, true},
		{"wildcard miss", `{"resources": [{"wildcard": "arn:aws:ec2:*:111122223333:instance/*"}]}`, ec2Event, false},
		{"wildcard whole", `{"detail": {"FilePath": [{"wildcard": "*/lib/*"}]}}`, ec2Event, true},
		{"wildcard no star is exact", `{"detail": {"state": [{"wildcard": "running"}]}}`, ec2Event, true},
		{"wildcard escaped star", `{"detail": {"state": [{"wildcard": "run\\*"}]}}`, ec2Event, false},

		// anything-but.
		{"anything-but string", `{"detail": {"state": [{"anything-but": "initializing"}]}}`, ec2Event, true},
		{"anything-but same string", `{"detail": {"state": [{"anything-but": "running"}]}}`, ec2Event, false},
		{"anything-but number", `{"detail": {"c-count": [{"anything-but": 5}]}}`, ec2Event, false},
		{"anything-but other number", `{"detail": {"c-count": [{"anything-but": 123}]}}`, ec2Event, true},
		{"anything-but list", `{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}`, ec2Event, true},
		{"anything-but list hit", `{"detail": {"state": [{"anything-but": ["stopped", "running"]}]}}`, ec2Event, false},
		{"anything-but number list", `{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}`, ec2Event, true},
		{"anything-but prefix", `{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}`, ec2Event, true},
		{"anything-but prefix hit", `{"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}`, ec2Event, false},
		{"anything-but suffix", `{"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}}`, ec2Event, true},
		{"anything-but suffix hit", `{"detail": {"FileName": [{"anything-but": {"suffix": ".PNG"}}]}}`, ec2Event, false},
		{"anything-but ignore case", `{"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}}`, ec2Event, true},
		{"anything-but ignore case hit", `{"detail": {"state": [{"anything-but": {"equals-ignore-case": "RUNNING"}}]}}`, ec2Event, false},
		{"anything-but wildcard", `{"detail": {"FilePath": [{"anything-but": {"wildcard": "*/bin/*"}}]}}`, ec2Event, true},
		{"anything-but wildcard hit", `{"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}}`, ec2Event, false},
		{"anything-but missing field", `{"detail": {"colour": [{"anything-but": "red"}]}}`, ec2Event, false},

		// numeric.
		{"numeric doc example", `{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}], "x-limit": [{"numeric": ["=", 3.018e2]}]}}`, ec2Event, true},
		{"numeric upper bound excluded", `{"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}}`, ec2Event, false},
		{"numeric ge", `{"detail": {"c-count": [{"numeric": [">=", 5]}]}}`, ec2Event, true},
		{"numeric on string", `{"detail": {"state": [{"numeric": [">", 0]}]}}`, ec2Event, false},

		// exists.
		{"exists true", `{"detail": {"state": [{"exists": true}]}}`, ec2Event, true},
		{"exists true missing", `{"detail": {"colour": [{"exists": true}]}}`, ec2Event, false},
		{"exists false missing", `{"detail": {"colour": [{"exists": false}]}}`, ec2Event, true},
		{"exists false present", `{"detail": {"state": [{"exists": false}]}}`, ec2Event, false},
		{"exists true on object is not a leaf", `{"detail": {"location": [{"exists": true}]}}`, ec2Event, false},
		{"exists false under missing parent", `{"extra": {"state": [{"exists": false}]}}`, ec2Event, true},

		// cidr.
		{"cidr", `{"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}`, ec2Event, true},
		{"cidr miss", `{"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}`, ec2Event, false},

		// $or.
		{"or doc example", `{"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}, {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}`, ec2Event, true},
		{"or none", `{"detail": {"$or": [{"state": ["stopped"]}, {"c-count": [1]}]}}`, ec2Event, false},
		{"or with other fields", `{"source": ["aws.ec2"], "$or": [{"region": ["us-east-1"]}, {"account": ["111122223333"]}]}`, ec2Event, true},

		// The documentation's combined example.
		{"combined", `{"time": [{"prefix": "2017-10-02"}], "detail": {"state": [{"anything-but": "initializing"}], "c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}], "x-limit": [{"anything-but": [100, 200, 300]}]}}`, ec2Event, true},

		// The product's rule on S3 events.
		{"rule original", thumbnailRule, s3EventWithKey("photo.jpg"), true},
		{"rule nested original", thumbnailRule, s3EventWithKey("my+photos/red+flower%2Bbee.jpg"), true},
		{"rule thumbnail", thumbnailRule, s3EventWithKey("resized/photo.jpg"), false},
		{"rule prefix is case sensitive", thumbnailRule, s3EventWithKey("Resized/photo.jpg"), true},
		{"rule other bucket", thumbnailRule, strings.Replace(s3EventWithKey("a.jpg"), `"name": "images"`, `"name": "other"`, 1), false},
		{"rule deleted", thumbnailRule, strings.Replace(s3EventWithKey("a.jpg"), "Object Created", "Object Deleted", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile([]byte(tt.pattern))
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := p.Match([]byte(tt.event))
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != tt.want {
				t.Errorf("Match = %v, want %v\npattern %s", got, tt.want, tt.pattern)
			}
		})
	}
}

func TestMatchValueAcceptsFloat64(t *testing.T) {
	p, err := Compile([]byte(`{"size": [{"numeric": [">", 10]}], "n": [3]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !p.MatchValue(map[string]any{"size": 11.0, "n": 3}) {
		t.Error("float64 and int values should match numeric patterns")
	}
	if p.MatchValue(map[string]any{"size": 9.0, "n": 3}) {
		t.Error("9 matched > 10")
	}
}

func TestCompileRejects(t *testing.T) {
	tests := []struct {
		name, pattern, wantErr string
	}{
		{"not json", `{"source": [`, "not JSON"},
		{"not object", `["aws.s3"]`, "must be a JSON object"},
		{"empty", `{}`, "empty"},
		{"scalar field", `{"source": "aws.s3"}`, "source: want an array of values or an object"},
		{"empty array", `{"source": []}`, "source: empty array"},
		{"empty nested", `{"detail": {}}`, "detail: empty object"},
		{"unknown operator", `{"detail": {"type": [{"contains": "Normal"}]}}`, `detail.type[0]: unknown operator "contains"`},
		{"two keys", `{"a": [{"prefix": "x", "suffix": "y"}]}`, "exactly one key"},
		{"prefix number", `{"a": [{"prefix": 1}]}`, "a[0].prefix: want a string"},
		{"prefix bad object", `{"a": [{"prefix": {"ignore": "x"}}]}`, "equals-ignore-case"},
		{"anything-but unknown", `{"a": [{"anything-but": {"contains": "x"}}]}`, `unknown anything-but operator "contains"`},
		{"anything-but empty prefix", `{"a": [{"anything-but": {"prefix": ""}}]}`, "non-empty string"},
		{"anything-but mixed", `{"a": [{"anything-but": ["x", 1]}]}`, "mixes strings and numbers"},
		{"anything-but bool", `{"a": [{"anything-but": true}]}`, "want a string, a number"},
		{"anything-but empty list", `{"a": [{"anything-but": []}]}`, "empty list"},
		{"numeric odd", `{"a": [{"numeric": [">", 1, "<"]}]}`, "want [op, number]"},
		{"numeric op", `{"a": [{"numeric": ["!=", 1]}]}`, `unknown numeric operator "!="`},
		{"numeric order", `{"a": [{"numeric": ["<", 5, ">", 1]}]}`, "lower bound"},
		{"numeric empty range", `{"a": [{"numeric": [">", 5, "<", 1]}]}`, "empty range"},
		{"numeric string", `{"a": [{"numeric": [">", "1"]}]}`, "want a number"},
		{"exists string", `{"a": [{"exists": "yes"}]}`, "want true or false"},
		{"cidr bad", `{"a": [{"cidr": "10.0.0.0"}]}`, "not a CIDR block"},
		{"wildcard double", `{"a": [{"wildcard": "a**b"}]}`, "consecutive wildcard"},
		{"wildcard escape", `{"a": [{"wildcard": "a\\b"}]}`, "escape"},
		{"or one", `{"$or": [{"a": ["x"]}]}`, "at least two"},
		{"or not objects", `{"$or": ["a", "b"]}`, "want an object"},
		{"array element array", `{"a": [["x"]]}`, "want a value or an operator object"},
		{"trailing data", `{"a": ["x"]} {}`, "after the JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.pattern))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Compile(%s) err = %v, want it to mention %q", tt.pattern, err, tt.wantErr)
			}
		})
	}
}

func TestMatchRejectsBadEvent(t *testing.T) {
	p, err := Compile([]byte(`{"source": ["aws.s3"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{`[1]`, `{"source":`} {
		if _, err := p.Match([]byte(ev)); err == nil {
			t.Errorf("Match(%s) accepted a bad event", ev)
		}
	}
}

func TestString(t *testing.T) {
	p, err := Compile([]byte(" {\"source\": [\"aws.s3\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.String(); got != `{"source": ["aws.s3"]}` {
		t.Errorf("String() = %q", got)
	}
}

// BenchmarkMatchRule measures the product's rule on an S3 event, as the local cloud
// evaluates it for every object written.
func BenchmarkMatchRule(b *testing.B) {
	p, err := Compile([]byte(thumbnailRule))
	if err != nil {
		b.Fatal(err)
	}
	ev := []byte(s3EventWithKey("my+photos/red+flower%2Bbee.jpg"))
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := p.Match(ev); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
