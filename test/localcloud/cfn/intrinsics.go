package cfn

import (
	"fmt"
	"sort"
	"strings"
)

// Local values of the pseudo parameters a template may refer to.
const (
	// Region is the one region the local cloud runs in.
	Region = "us-east-1"
	// AccountID is the account the local cloud pretends to be.
	AccountID = "000000000000"
	// Partition is the AWS partition of ARNs built locally.
	Partition = "aws"
)

// resolver replaces the intrinsic functions of a template value (Ref, Fn::Join) with local
// values. Any intrinsic it cannot evaluate is an error naming where it was found.
type resolver struct {
	t    *Template
	refs map[string]any
}

func newResolver(t *Template) *resolver {
	return &resolver{t: t, refs: map[string]any{
		"AWS::Region":    Region,
		"AWS::AccountId": AccountID,
		"AWS::Partition": Partition,
	}}
}

// resolve returns v with every intrinsic function evaluated.
func (r *resolver) resolve(v any, path string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if fn, arg, ok := intrinsic(t); ok {
			return r.call(fn, arg, path)
		}
		out := make(map[string]any, len(t))
		for k, elem := range t {
			rv, err := r.resolve(elem, path+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = rv
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, elem := range t {
			rv, err := r.resolve(elem, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = rv
		}
		return out, nil
	}
	return v, nil
}

func (r *resolver) call(fn string, arg any, path string) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("%s: Ref wants a name", path)
		}
		if v, ok := r.refs[name]; ok {
			return v, nil
		}
		if res, ok := r.t.Resources[name]; ok {
			return nil, fmt.Errorf("%s: Ref to %s (%s) has no local value", path, name, res.Type)
		}
		return nil, fmt.Errorf("%s: Ref to %s, which the template does not define", path, name)
	case "Fn::Join":
		args, ok := arg.([]any)
		if !ok || len(args) != 2 {
			return nil, fmt.Errorf("%s: Fn::Join wants [delimiter, [values]]", path)
		}
		delim, ok1 := args[0].(string)
		list, ok2 := args[1].([]any)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: Fn::Join wants [delimiter, [values]]", path)
		}
		parts := make([]string, len(list))
		for i, elem := range list {
			rv, err := r.resolve(elem, fmt.Sprintf("%s.Fn::Join[%d]", path, i))
			if err != nil {
				return nil, err
			}
			s, ok := rv.(string)
			if !ok {
				return nil, fmt.Errorf("%s: Fn::Join value %d is not a string", path, i)
			}
			parts[i] = s
		}
		return strings.Join(parts, delim), nil
	}
	return nil, fmt.Errorf("%s: intrinsic function %s is not supported by the local cloud", path, fn)
}

// intrinsic recognises a one-key object {"Ref": ...} or {"Fn::Name": ...}.
func intrinsic(m map[string]any) (fn string, arg any, ok bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, v, true
		}
	}
	return "", nil, false
}

// reference reads {"Ref": id} or {"Fn::GetAtt": [id, attr]} (or "id.attr") and returns
// the logical ID it points at.
func reference(v any) (id, attr string, ok bool) {
	m, isMap := v.(map[string]any)
	if !isMap {
		return "", "", false
	}
	fn, arg, isFn := intrinsic(m)
	if !isFn {
		return "", "", false
	}
	switch fn {
	case "Ref":
		s, ok := arg.(string)
		return s, "", ok
	case "Fn::GetAtt":
		switch a := arg.(type) {
		case []any:
			if len(a) == 2 {
				id, ok1 := a[0].(string)
				attr, ok2 := a[1].(string)
				return id, attr, ok1 && ok2
			}
		case string:
			id, attr, found := strings.Cut(a, ".")
			return id, attr, found
		}
	}
	return "", "", false
}

// refsIn lists the logical IDs a value refers to with Ref, sorted and without duplicates.
func refsIn(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if fn, arg, ok := intrinsic(t); ok && fn == "Ref" {
				if s, ok := arg.(string); ok {
					seen[s] = true
				}
				return
			}
			for _, elem := range t {
				walk(elem)
			}
		case []any:
			for _, elem := range t {
				walk(elem)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
