package cfn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const fixture = "../../testdata/template/Thumbnails.template.json"

// Logical IDs of the fixture.
const (
	bucketID = "Bucket83908E77"
	fnID     = "ThumbnailerFunction4F1B5A59"
	ruleID   = "ThumbnailerObjectCreatedRule8E3F2A1C"
	configID = "ThumbnailerFunctionEventInvokeConfig7C2B0D6E"
)

func TestReadFixture(t *testing.T) {
	tmpl, err := Load(fixture)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Read(tmpl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Bucket{LogicalID: bucketID, Name: "images"}); st.Bucket != want {
		t.Errorf("Bucket = %+v, want %+v", st.Bucket, want)
	}
	wantFn := Function{
		LogicalID: fnID,
		Name:      fnID,
		Environment: map[string]string{
			"THUMBNAIL_OUTPUT_PREFIX": "resized/",
			"THUMBNAIL_SIZE":          "128x128",
			"THUMBNAIL_MODE":          "fill",
			"THUMBNAIL_JPEG_QUALITY":  "85",
			"THUMBNAIL_BUCKET":        "images",
		},
		MemoryMB:            1024,
		Timeout:             30 * time.Second,
		ReservedConcurrency: 3,
		LogFormat:           "JSON",
		ApplicationLogLevel: "INFO",
		Async: AsyncConfig{
			MaximumRetryAttempts: 2,
			MaximumEventAge:      time.Hour,
			OnFailure:            Destination{LogicalID: "ThumbnailerFailureQueue2C1D9A3B", Type: "AWS::SQS::Queue"},
		},
	}
	if !reflect.DeepEqual(st.Function, wantFn) {
		t.Errorf("Function =\n%+v\nwant\n%+v", st.Function, wantFn)
	}
	if got := st.Function.Concurrency(); got != 3 {
		t.Errorf("Concurrency() = %d, want 3", got)
	}
	if len(st.Rules) != 1 {
		t.Fatalf("got %d rules, want 1", len(st.Rules))
	}
	rule := st.Rules[0]
	if rule.LogicalID != ruleID || rule.TargetID != "Target0" {
		t.Errorf("rule %s target %s", rule.LogicalID, rule.TargetID)
	}
	if want := (RetryPolicy{MaximumRetryAttempts: 20, MaximumEventAge: 2 * time.Hour}); rule.Retry != want {
		t.Errorf("Retry = %+v, want %+v", rule.Retry, want)
	}
	if want := (Destination{LogicalID: "ThumbnailerDeadLetterQueue5E0C1B7A", Type: "AWS::SQS::Queue"}); rule.DeadLetter != want {
		t.Errorf("DeadLetter = %+v, want %+v", rule.DeadLetter, want)
	}
	// The Ref to the bucket became the local bucket name, and the exclusion stands.
	for key, want := range map[string]bool{"photo.jpg": true, "resized/photo.jpg": false} {
		ev := `{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"images"},"object":{"key":"` + key + `"}}}`
		got, err := rule.Pattern.Match([]byte(ev))
		if err != nil || got != want {
			t.Errorf("pattern on %q = %v, %v; want %v", key, got, err, want)
		}
	}
}

func TestReadDefaults(t *testing.T) {
	st := readMutated(t, Options{BucketName: "pictures"}, func(r map[string]any) {
		fn := props(r, fnID)
		for _, k := range []string{"MemorySize", "Timeout", "ReservedConcurrentExecutions", "LoggingConfig"} {
			delete(fn, k)
		}
		delete(r, configID)
		target := props(r, ruleID)["Targets"].([]any)[0].(map[string]any)
		delete(target, "RetryPolicy")
		delete(target, "DeadLetterConfig")
	})
	if st.Bucket.Name != "pictures" {
		t.Errorf("bucket name %q, want the option's", st.Bucket.Name)
	}
	f := st.Function
	if f.MemoryMB != 128 || f.Timeout != 3*time.Second || f.ReservedConcurrency != 0 || f.Concurrency() != DefaultReservedConcurrency {
		t.Errorf("function defaults: %+v", f)
	}
	if want := (AsyncConfig{MaximumRetryAttempts: 2, MaximumEventAge: 6 * time.Hour}); f.Async != want {
		t.Errorf("Async = %+v, want %+v", f.Async, want)
	}
	if want := (RetryPolicy{MaximumRetryAttempts: 185, MaximumEventAge: 24 * time.Hour}); st.Rules[0].Retry != want {
		t.Errorf("Retry = %+v, want %+v", st.Rules[0].Retry, want)
	}
}

func TestReadBucketNames(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(map[string]any)
		want   Bucket
	}{
		{"template names the bucket", func(r map[string]any) {
			props(r, bucketID)["BucketName"] = "holiday-pictures"
		}, Bucket{LogicalID: bucketID, Name: "holiday-pictures"}},
		{"bucket imported by name", func(r map[string]any) {
			delete(r, bucketID)
			delete(props(r, fnID)["Environment"].(map[string]any)["Variables"].(map[string]any), "THUMBNAIL_BUCKET")
			detail := props(r, ruleID)["EventPattern"].(map[string]any)["detail"].(map[string]any)
			detail["bucket"] = map[string]any{"name": []any{"existing-bucket"}}
		}, Bucket{Name: "existing-bucket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := readMutated(t, Options{}, tt.mutate)
			if st.Bucket != tt.want {
				t.Errorf("Bucket = %+v, want %+v", st.Bucket, tt.want)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(map[string]any)
		wantErr string
	}{
		{"no rule", func(r map[string]any) { delete(r, ruleID) }, "no enabled AWS::Events::Rule"},
		{"disabled rule", func(r map[string]any) { props(r, ruleID)["State"] = "DISABLED" }, "no enabled"},
		{"unknown operator", func(r map[string]any) {
			key := props(r, ruleID)["EventPattern"].(map[string]any)["detail"].(map[string]any)["object"].(map[string]any)
			key["key"] = []any{map[string]any{"contains": "x"}}
		}, `AWS::Events::Rule ThumbnailerObjectCreatedRule8E3F2A1C.EventPattern: event pattern detail.object.key[0]: unknown operator "contains"`},
		{"unsupported intrinsic", func(r map[string]any) {
			vars := props(r, fnID)["Environment"].(map[string]any)["Variables"].(map[string]any)
			vars["X"] = map[string]any{"Fn::Sub": "${AWS::Region}"}
		}, "Environment.Variables.X: intrinsic function Fn::Sub is not supported"},
		{"ref without local value", func(r map[string]any) {
			vars := props(r, fnID)["Environment"].(map[string]any)["Variables"].(map[string]any)
			vars["QUEUE"] = map[string]any{"Ref": "ThumbnailerFailureQueue2C1D9A3B"}
		}, "Ref to ThumbnailerFailureQueue2C1D9A3B (AWS::SQS::Queue) has no local value"},
		{"input transformer", func(r map[string]any) {
			target := props(r, ruleID)["Targets"].([]any)[0].(map[string]any)
			target["InputTransformer"] = map[string]any{"InputTemplate": "{}"}
		}, "Targets[0].InputTransformer: not supported"},
		{"memory", func(r map[string]any) { props(r, fnID)["MemorySize"] = 64.0 }, "MemorySize: 64 is outside 128-10240"},
		{"timeout", func(r map[string]any) { props(r, fnID)["Timeout"] = "soon" }, `Timeout: "soon" is not a whole number`},
		{"zero concurrency", func(r map[string]any) { props(r, fnID)["ReservedConcurrentExecutions"] = 0.0 }, "never runs"},
		{"retries", func(r map[string]any) { props(r, configID)["MaximumRetryAttempts"] = 3.0 }, "MaximumRetryAttempts: 3 is outside 0-2"},
		{"destination", func(r map[string]any) {
			props(r, configID)["DestinationConfig"] = map[string]any{"OnFailure": map[string]any{"Destination": "arn:aws:sqs:us-east-1:1:q"}}
		}, "OnFailure.Destination: want a Ref or Fn::GetAtt"},
		{"two buckets", func(r map[string]any) {
			r["Other"] = map[string]any{"Type": TypeBucket}
			bucket := props(r, ruleID)["EventPattern"].(map[string]any)["detail"].(map[string]any)["bucket"].(map[string]any)
			bucket["name"] = []any{map[string]any{"Ref": bucketID}, map[string]any{"Ref": "Other"}}
		}, "listen to 2 buckets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := mutatedTemplate(t, tt.mutate)
			_, err := Read(tmpl, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, src := range []string{`[]`, `{"Resources": {}}`, `{"Resources": `} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("Parse(%s) accepted a bad template", src)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

// mutatedTemplate loads the fixture, lets mutate edit its Resources, and parses the result.
func mutatedTemplate(t *testing.T, mutate func(resources map[string]any)) *Template {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	mutate(doc["Resources"].(map[string]any))
	data, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func readMutated(t *testing.T, opts Options, mutate func(map[string]any)) *Stack {
	t.Helper()
	st, err := Read(mutatedTemplate(t, mutate), opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func props(resources map[string]any, id string) map[string]any {
	return resources[id].(map[string]any)["Properties"].(map[string]any)
}
