package handler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Limits and units of the CloudWatch embedded metric format specification.
const (
	emfMaxDimensionKeys   = 30
	emfMaxMetrics         = 100
	emfMaxValues          = 100
	emfMaxDimensionValue  = 1024
	emfMaxDimensionKeyLen = 250
	emfMaxNameLen         = 1024
)

var emfUnits = []string{
	"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
	"Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
	"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
	"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
}

// validateEMF checks one log line against the CloudWatch embedded metric
// format specification: a JSON object whose "_aws" metadata holds an integer
// Timestamp and metric directives, every dimension and metric they name being
// a root member of the right type. The published JSON schema cannot check
// those references, which is why this is code and not a schema.
func validateEMF(line []byte) error {
	var root map[string]json.RawMessage
	if err := strictUnmarshal(line, &root); err != nil {
		return fmt.Errorf("not one JSON object: %w", err)
	}
	if root == nil {
		return errors.New("not one JSON object: null")
	}
	var meta struct {
		Timestamp         json.RawMessage
		CloudWatchMetrics []json.RawMessage
	}
	raw, ok := root["_aws"]
	if !ok {
		return errors.New(`no "_aws" member`)
	}
	if err := onlyMembers(raw, "Timestamp", "CloudWatchMetrics"); err != nil {
		return fmt.Errorf("_aws: %w", err)
	}
	if err := strictUnmarshal(raw, &meta); err != nil {
		return fmt.Errorf("_aws: %w", err)
	}
	if meta.Timestamp == nil {
		return errors.New("_aws: no Timestamp")
	}
	ms, ok := jsonNumber(meta.Timestamp)
	if n, err := ms.Int64(); !ok || err != nil || n <= 0 {
		return fmt.Errorf("_aws.Timestamp %s: want milliseconds since the epoch", meta.Timestamp)
	}
	if len(meta.CloudWatchMetrics) == 0 {
		return errors.New("_aws.CloudWatchMetrics: no metric directive")
	}
	for i, d := range meta.CloudWatchMetrics {
		if err := validateDirective(root, d); err != nil {
			return fmt.Errorf("_aws.CloudWatchMetrics[%d]: %w", i, err)
		}
	}
	return nil
}

// validateDirective checks one MetricDirective against the root node it refers to.
func validateDirective(root map[string]json.RawMessage, raw json.RawMessage) error {
	if err := onlyMembers(raw, "Namespace", "Dimensions", "Metrics"); err != nil {
		return err
	}
	var d struct {
		Namespace  *string
		Dimensions [][]string
		Metrics    []json.RawMessage
	}
	if err := strictUnmarshal(raw, &d); err != nil {
		return err
	}
	switch {
	case d.Namespace == nil || *d.Namespace == "" || len(*d.Namespace) > emfMaxNameLen:
		return errors.New("Namespace missing, empty or too long")
	case len(d.Dimensions) == 0:
		return errors.New("no dimension set")
	case len(d.Metrics) == 0 || len(d.Metrics) > emfMaxMetrics:
		return fmt.Errorf("%d metrics, want 1-%d", len(d.Metrics), emfMaxMetrics)
	}
	dimensions := map[string]bool{}
	for _, set := range d.Dimensions {
		if len(set) > emfMaxDimensionKeys {
			return fmt.Errorf("dimension set of %d keys, at most %d", len(set), emfMaxDimensionKeys)
		}
		for _, key := range set {
			if key == "" || len(key) > emfMaxDimensionKeyLen {
				return fmt.Errorf("dimension key %q: want 1-%d characters", key, emfMaxDimensionKeyLen)
			}
			var value string
			if err := strictUnmarshal(root[key], &value); err != nil {
				return fmt.Errorf("dimension %q: root member is not a string: %w", key, err)
			}
			if strings.TrimSpace(value) == "" || utf8.RuneCountInString(value) > emfMaxDimensionValue {
				return fmt.Errorf("dimension %q = %q: want 1-%d characters, not all blank", key, value, emfMaxDimensionValue)
			}
			dimensions[key] = true
		}
	}
	names := map[string]bool{}
	for _, m := range d.Metrics {
		if err := validateMetric(root, m, dimensions, names); err != nil {
			return err
		}
	}
	return nil
}

// validateMetric checks one MetricDefinition: its name refers to a numeric
// root member that is no dimension and no other metric, its unit is CloudWatch's.
func validateMetric(root map[string]json.RawMessage, raw json.RawMessage, dimensions, names map[string]bool) error {
	if err := onlyMembers(raw, "Name", "Unit", "StorageResolution"); err != nil {
		return err
	}
	var m struct {
		Name              string
		Unit              *string
		StorageResolution *int
	}
	if err := strictUnmarshal(raw, &m); err != nil {
		return err
	}
	switch {
	case m.Name == "" || len(m.Name) > emfMaxNameLen:
		return fmt.Errorf("metric name %q: want 1-%d characters", m.Name, emfMaxNameLen)
	case dimensions[m.Name]:
		return fmt.Errorf("metric %q is also a dimension", m.Name)
	case names[m.Name]:
		return fmt.Errorf("metric %q defined twice", m.Name)
	case m.Unit != nil && !slices.Contains(emfUnits, *m.Unit):
		return fmt.Errorf("metric %q: unit %q is not a CloudWatch unit", m.Name, *m.Unit)
	case m.StorageResolution != nil && *m.StorageResolution != 1 && *m.StorageResolution != 60:
		return fmt.Errorf("metric %q: storage resolution %d, want 1 or 60", m.Name, *m.StorageResolution)
	}
	names[m.Name] = true
	value, ok := root[m.Name]
	if !ok {
		return fmt.Errorf("metric %q has no root member", m.Name)
	}
	if _, ok := jsonNumber(value); ok {
		return nil
	}
	var values []json.RawMessage
	if err := strictUnmarshal(value, &values); err != nil || values == nil {
		return fmt.Errorf("metric %q = %s: want a number or an array of numbers", m.Name, value)
	}
	for _, v := range values {
		if _, ok := jsonNumber(v); !ok {
			return fmt.Errorf("metric %q = %s: want a number or an array of numbers", m.Name, value)
		}
	}
	if len(values) > emfMaxValues {
		return fmt.Errorf("metric %q has %d values, at most %d", m.Name, len(values), emfMaxValues)
	}
	return nil
}

// jsonNumber returns raw as a number when it is a JSON number, not a string
// holding one (which json.Number would accept) nor null.
func jsonNumber(raw json.RawMessage) (json.Number, bool) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || (trimmed[0] != '-' && (trimmed[0] < '0' || trimmed[0] > '9')) {
		return "", false
	}
	var n json.Number
	if err := strictUnmarshal(trimmed, &n); err != nil {
		return "", false
	}
	return n, true
}

// onlyMembers fails when the JSON object raw has a member not named in allowed:
// the specification's objects "MUST NOT contain any additional members".
func onlyMembers(raw json.RawMessage, allowed ...string) error {
	var members map[string]json.RawMessage
	if err := strictUnmarshal(raw, &members); err != nil {
		return err
	}
	for name := range members {
		if !slices.Contains(allowed, name) {
			return fmt.Errorf("unexpected member %q", name)
		}
	}
	return nil
}

// strictUnmarshal decodes exactly one JSON value, keeping numbers exact; a
// missing (nil) value is an error.
func strictUnmarshal(data []byte, v any) error {
	if data == nil {
		return errors.New("missing")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// specExample is the valid document the EMF specification gives.
const specExample = `{"_aws": {"Timestamp": 1574109732004, "CloudWatchMetrics": [{"Namespace": "lambda-function-metrics",
	"Dimensions": [["functionVersion"]], "Metrics": [{"Name": "time", "Unit": "Milliseconds", "StorageResolution": 60}]}]},
	"functionVersion": "$LATEST", "time": 100, "requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee"}`

// TestValidateEMF checks the checker the metrics tests rely on: it accepts the
// specification's example and refuses each way a document can break the format.
func TestValidateEMF(t *testing.T) {
	tests := []struct {
		name, doc string
		wantErr   string // "" for a valid document
	}{
		{"specification example", specExample, ""},
		{"metric values as an array", strings.Replace(specExample, `"time": 100`, `"time": [1, 2.5, 3]`, 1), ""},
		{"empty dimension set", strings.Replace(specExample, `[["functionVersion"]]`, `[[]]`, 1), ""},
		{"no unit", strings.Replace(specExample, `"Unit": "Milliseconds", `, ``, 1), ""},
		{"not JSON", `{"_aws": `, "not one JSON object"},
		{"two documents", specExample + specExample, "data after the JSON value"},
		{"null", `null`, "not one JSON object"},
		{"array", `[]`, "not one JSON object"},
		{"no _aws", `{"time": 1}`, `no "_aws" member`},
		{"no timestamp", strings.Replace(specExample, `"Timestamp": 1574109732004, `, ``, 1), "no Timestamp"},
		{"timestamp in seconds as float", strings.Replace(specExample, `1574109732004`, `1574109732.004`, 1), "milliseconds since the epoch"},
		{"timestamp as string", strings.Replace(specExample, `1574109732004`, `"1574109732004"`, 1), "_aws"},
		{"extra metadata member", strings.Replace(specExample, `"Timestamp"`, `"Extra": 1, "Timestamp"`, 1), `unexpected member "Extra"`},
		{"no directive", `{"_aws": {"Timestamp": 1, "CloudWatchMetrics": []}}`, "no metric directive"},
		{"no namespace", strings.Replace(specExample, `"Namespace": "lambda-function-metrics",`, ``, 1), "Namespace"},
		{"empty namespace", strings.Replace(specExample, `"lambda-function-metrics"`, `""`, 1), "Namespace"},
		{"extra directive member", strings.Replace(specExample, `"Namespace"`, `"Extra": 1, "Namespace"`, 1), `unexpected member "Extra"`},
		{"no dimension sets", strings.Replace(specExample, `[["functionVersion"]]`, `[]`, 1), "no dimension set"},
		{"dimension not on the root", strings.Replace(specExample, `"functionVersion": "$LATEST", `, ``, 1), `dimension "functionVersion"`},
		{"dimension not a string", strings.Replace(specExample, `"$LATEST"`, `7`, 1), "not a string"},
		{"dimension blank", strings.Replace(specExample, `"$LATEST"`, `" "`, 1), "not all blank"},
		{"dimension too long", strings.Replace(specExample, `"$LATEST"`, `"`+strings.Repeat("é", emfMaxDimensionValue+1)+`"`, 1), "1-1024 characters"},
		{"too many dimension keys", strings.Replace(specExample, `["functionVersion"]`, `[`+strings.Repeat(`"functionVersion", `, emfMaxDimensionKeys)+`"functionVersion"]`, 1), "dimension set of 31 keys"},
		{"no metrics", strings.Replace(specExample, `[{"Name": "time", "Unit": "Milliseconds", "StorageResolution": 60}]`, `[]`, 1), "0 metrics"},
		{"metric not on the root", strings.Replace(specExample, `"time": 100, `, ``, 1), `metric "time" has no root member`},
		{"metric a string", strings.Replace(specExample, `"time": 100`, `"time": "100"`, 1), "want a number"},
		{"metric null", strings.Replace(specExample, `"time": 100`, `"time": null`, 1), "want a number"},
		{"metric an object", strings.Replace(specExample, `"time": 100`, `"time": {"v": 1}`, 1), "want a number"},
		{"too many metric values", strings.Replace(specExample, `"time": 100`, `"time": [`+strings.Repeat("1, ", emfMaxValues)+`1]`, 1), "101 values"},
		{"metric also a dimension", strings.Replace(specExample, `"Name": "time"`, `"Name": "functionVersion"`, 1), "also a dimension"},
		{"metric defined twice", strings.Replace(specExample, `"Metrics": [{"Name": "time", "Unit": "Milliseconds", "StorageResolution": 60}]`, `"Metrics": [{"Name": "time"}, {"Name": "time"}]`, 1), "defined twice"},
		{"unknown unit", strings.Replace(specExample, `"Milliseconds"`, `"ms"`, 1), `unit "ms"`},
		{"bad storage resolution", strings.Replace(specExample, `"StorageResolution": 60`, `"StorageResolution": 5`, 1), "storage resolution 5"},
		{"extra metric member", strings.Replace(specExample, `"Name": "time"`, `"Name": "time", "Extra": 1`, 1), `unexpected member "Extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateEMF([]byte(tt.doc))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("validateEMF refused a valid document: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("validateEMF = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
