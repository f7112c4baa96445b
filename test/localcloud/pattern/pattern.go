// Package pattern matches JSON events against Amazon EventBridge event patterns.
//
// It implements the pattern language of EventBridge rules on event buses: exact values
// (strings, numbers, booleans, null), arrays as OR, nested objects, "$or", and the
// operators prefix, suffix, equals-ignore-case, wildcard, anything-but (value, list,
// prefix, suffix, equals-ignore-case, wildcard), exists, numeric and cidr.
//
// No Go library implements this language (the reference implementation, event-ruler,
// is Java), so it is written here. Compile rejects any construct it does not know with
// an error naming the field path: a rule is never silently treated as a match or a miss.
//
// Matching follows EventBridge's model of an event as a set of leaf values: an array in
// the event matches when any of its elements matches, a missing field matches nothing
// but {"exists": false}, and exists looks at leaves only (an object is not a leaf).
package pattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Pattern is a compiled event pattern. It is safe for concurrent use.
type Pattern struct {
	root   *object
	source string
}

// object is one JSON object level of a pattern: every field must match, and for each
// "$or" group at least one alternative must match.
type object struct {
	fields []field
	ors    [][]*object
}

// field matches one name of an object level, either by a nested object or by a list
// of alternatives applied to the field's leaf values.
type field struct {
	name   string
	nested *object
	alts   []matcher
}

// Compile parses an event pattern (a JSON object). The error names the path of the first
// construct that is not valid EventBridge pattern syntax or that this matcher does not know.
func Compile(src []byte) (*Pattern, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("event pattern is not JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("event pattern has data after the JSON object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("event pattern must be a JSON object, got %s", kindOf(v))
	}
	root, err := compileObject(obj, "")
	if err != nil {
		return nil, err
	}
	if len(root.fields) == 0 && len(root.ors) == 0 {
		return nil, fmt.Errorf("event pattern is empty: it would match every event")
	}
	return &Pattern{root: root, source: string(bytes.TrimSpace(src))}, nil
}

// String returns the pattern's source JSON.
func (p *Pattern) String() string { return p.source }

// Match reports whether the JSON event matches the pattern.
func (p *Pattern) Match(event []byte) (bool, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false, fmt.Errorf("event is not JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return false, fmt.Errorf("event must be a JSON object, got %s", kindOf(v))
	}
	return p.root.match(obj), nil
}

// MatchValue reports whether an event already decoded into Go values (maps, slices,
// strings, float64 or json.Number, bools and nil) matches the pattern.
func (p *Pattern) MatchValue(event map[string]any) bool { return p.root.match(event) }

func compileObject(obj map[string]any, path string) (*object, error) {
	out := &object{}
	// Sorted names make compile errors deterministic.
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		at := join(path, name)
		if name == "$or" {
			alts, err := compileOr(obj[name], at)
			if err != nil {
				return nil, err
			}
			out.ors = append(out.ors, alts)
			continue
		}
		switch v := obj[name].(type) {
		case map[string]any:
			nested, err := compileObject(v, at)
			if err != nil {
				return nil, err
			}
			if len(nested.fields) == 0 && len(nested.ors) == 0 {
				return nil, fmt.Errorf("event pattern %s: empty object", at)
			}
			out.fields = append(out.fields, field{name: name, nested: nested})
		case []any:
			if len(v) == 0 {
				return nil, fmt.Errorf("event pattern %s: empty array matches nothing", at)
			}
			f := field{name: name}
			for i, elem := range v {
				m, err := compileMatcher(elem, fmt.Sprintf("%s[%d]", at, i))
				if err != nil {
					return nil, err
				}
				f.alts = append(f.alts, m)
			}
			out.fields = append(out.fields, f)
		default:
			return nil, fmt.Errorf("event pattern %s: want an array of values or an object, got %s", at, kindOf(v))
		}
	}
	return out, nil
}

func compileOr(v any, path string) ([]*object, error) {
	list, ok := v.([]any)
	if !ok || len(list) < 2 {
		return nil, fmt.Errorf("event pattern %s: want an array of at least two objects", path)
	}
	alts := make([]*object, 0, len(list))
	for i, elem := range list {
		obj, ok := elem.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("event pattern %s[%d]: want an object, got %s", path, i, kindOf(elem))
		}
		alt, err := compileObject(obj, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		alts = append(alts, alt)
	}
	return alts, nil
}

// match evaluates the object level against an event object. A nil map stands for a
// missing or non-object value: only exists:false can match inside it.
func (o *object) match(ev map[string]any) bool {
	for _, f := range o.fields {
		if !f.match(ev) {
			return false
		}
	}
	for _, alts := range o.ors {
		matched := false
		for _, alt := range alts {
			if alt.match(ev) {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

func (f field) match(ev map[string]any) bool {
	v, present := ev[f.name]
	if f.nested != nil {
		return matchNested(f.nested, v, present)
	}
	leaves := leavesOf(v, present)
	for _, m := range f.alts {
		if m.match(leaves) {
			return true
		}
	}
	return false
}

// matchNested applies a nested pattern to an event value: an object directly, an array
// when any of its objects matches, anything else as an object without fields.
func matchNested(o *object, v any, present bool) bool {
	switch t := v.(type) {
	case map[string]any:
		return o.match(t)
	case []any:
		for _, elem := range t {
			if obj, ok := elem.(map[string]any); ok && o.match(obj) {
				return true
			}
		}
	}
	return o.match(nil)
}

// leavesOf returns the scalar values found at a field: the value itself, or the scalar
// elements of an array (flattened). Objects are not leaves.
func leavesOf(v any, present bool) []any {
	if !present {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		return nil
	case []any:
		var out []any
		for _, elem := range t {
			out = append(out, leavesOf(elem, true)...)
		}
		return out
	}
	return []any{v}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64, int:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return strings.TrimSpace(fmt.Sprintf("%T", v))
}
