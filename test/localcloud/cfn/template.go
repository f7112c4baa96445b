// Package cfn reads the synthesized CloudFormation template of the stack and extracts
// what the local cloud runs: the bucket, the EventBridge rule, the function it targets
// and the function's asynchronous invocation settings.
package cfn

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Template is a CloudFormation template in JSON, as `cdk synth` writes it.
type Template struct {
	// Resources by logical ID.
	Resources map[string]Resource `json:"Resources"`
	// Path is the file the template was read from, for error messages.
	Path string `json:"-"`
}

// Resource is one entry of the template's Resources section.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

// Load reads and parses a template file.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", path, err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", path, err)
	}
	t.Path = path
	return t, nil
}

// Parse reads a template from JSON.
func Parse(data []byte) (*Template, error) {
	var t Template
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("not a JSON CloudFormation template: %w", err)
	}
	if len(t.Resources) == 0 {
		return nil, fmt.Errorf("template has no Resources")
	}
	return &t, nil
}

// OfType returns the logical IDs of the resources of one type, sorted.
func (t *Template) OfType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Resource types the local cloud reads.
const (
	TypeBucket            = "AWS::S3::Bucket"
	TypeRule              = "AWS::Events::Rule"
	TypeFunction          = "AWS::Lambda::Function"
	TypeEventInvokeConfig = "AWS::Lambda::EventInvokeConfig"
)
