package s3server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// postPolicy is a browser upload's POST policy: when it expires and the conditions the
// form must meet (AWS: "Creating a POST policy", Signature Version 4).
type postPolicy struct {
	expiration time.Time
	conditions []postCondition
	// lengthMin and lengthMax are the content-length-range, when hasLength.
	lengthMin, lengthMax int64
	hasLength            bool
}

// postCondition is one condition: a form field (lower case, without "$") that must equal
// value, or start with it.
type postCondition struct {
	field, value string
	startsWith   bool
	// text is the condition as S3 quotes it in its error message.
	text string
}

// parsePostPolicy decodes the base64 policy field. Its errors are S3's
// InvalidPolicyDocument messages.
func parsePostPolicy(encoded string) (*postPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, fmt.Errorf("Invalid Policy: Invalid Base64 encoding.")
	}
	var doc struct {
		Expiration *string            `json:"expiration"`
		Conditions *[]json.RawMessage `json:"conditions"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("Invalid Policy: Invalid JSON.")
	}
	if doc.Expiration == nil {
		return nil, fmt.Errorf("Invalid Policy: Policy missing expiration.")
	}
	if doc.Conditions == nil {
		return nil, fmt.Errorf("Invalid Policy: Policy missing conditions.")
	}
	p := &postPolicy{}
	if p.expiration, err = time.Parse(time.RFC3339Nano, *doc.Expiration); err != nil {
		return nil, fmt.Errorf("Invalid Policy: Invalid 'expiration' value: '%s'", *doc.Expiration)
	}
	for _, c := range *doc.Conditions {
		if err := p.addCondition(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// addCondition reads one condition: {"field": "value"}, ["eq", "$field", "value"],
// ["starts-with", "$field", "prefix"] or ["content-length-range", min, max].
func (p *postPolicy) addCondition(raw json.RawMessage) error {
	text := string(compactJSON(raw))
	var exact map[string]json.RawMessage
	if json.Unmarshal(raw, &exact) == nil {
		if len(exact) != 1 {
			return fmt.Errorf("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
		}
		for field, v := range exact {
			var value string
			if json.Unmarshal(v, &value) != nil {
				return fmt.Errorf("Invalid Policy: Invalid Simple-Condition: value must be a string.")
			}
			p.conditions = append(p.conditions, postCondition{field: strings.ToLower(field), value: value, text: text})
		}
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil || len(list) != 3 {
		return fmt.Errorf("Invalid Policy: Invalid Condition: %s", text)
	}
	var op string
	if json.Unmarshal(list[0], &op) != nil {
		return fmt.Errorf("Invalid Policy: Invalid Condition: %s", text)
	}
	switch op = strings.ToLower(op); op {
	case "content-length-range":
		lo, errLo := policyInt(list[1])
		hi, errHi := policyInt(list[2])
		if errLo != nil || errHi != nil || lo < 0 || hi < lo {
			return fmt.Errorf("Invalid Policy: Invalid content-length-range: %s", text)
		}
		p.lengthMin, p.lengthMax, p.hasLength = lo, hi, true
		return nil
	case "eq", "starts-with":
		var field, value string
		if json.Unmarshal(list[1], &field) != nil || json.Unmarshal(list[2], &value) != nil || !strings.HasPrefix(field, "$") {
			return fmt.Errorf("Invalid Policy: Invalid Condition: %s", text)
		}
		p.conditions = append(p.conditions, postCondition{field: strings.ToLower(field[1:]), value: value, startsWith: op == "starts-with", text: text})
		return nil
	}
	return fmt.Errorf("Invalid Policy: Invalid Condition: unknown operation %q", op)
}

// policyInt reads a content-length-range bound: a JSON integer, or a string holding one.
func policyInt(raw json.RawMessage) (int64, error) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
}

// compactJSON is raw without insignificant spaces, as S3 quotes a condition.
func compactJSON(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// check returns S3's message for the first condition the form does not meet, or "" when
// it meets them all. fields are the form's fields by lower-case name, ${filename}
// already replaced; bucket is the bucket posted to.
func (p *postPolicy) check(fields map[string]string, bucket string) string {
	for _, c := range p.conditions {
		got, present := fields[c.field]
		if c.field == "bucket" {
			got, present = bucket, true
		}
		ok := present && got == c.value
		if c.startsWith {
			ok = startsWith(c.field, got, c.value)
		}
		if !ok {
			return "Invalid according to Policy: Policy Condition failed: " + c.text
		}
	}
	return ""
}

// startsWith applies a starts-with condition; a Content-Type field may list several
// types, separated by commas, each of which must match.
func startsWith(field, got, prefix string) bool {
	if field != "content-type" {
		return strings.HasPrefix(got, prefix)
	}
	for _, t := range strings.Split(got, ",") {
		if !strings.HasPrefix(strings.TrimSpace(t), prefix) {
			return false
		}
	}
	return true
}

// unlisted returns the form fields no condition names, which S3 refuses ("Extra input
// fields"), in form order. The policy, the signature, the file and x-ignore- fields need
// no condition.
func (p *postPolicy) unlisted(order []string) []string {
	listed := map[string]bool{}
	for _, c := range p.conditions {
		listed[c.field] = true
	}
	var extra []string
	for _, name := range order {
		switch {
		case listed[name], name == "policy", name == "file", name == "x-amz-signature", name == "signature",
			name == "awsaccesskeyid", strings.HasPrefix(name, "x-ignore-"):
			continue
		}
		extra = append(extra, name)
	}
	return extra
}
