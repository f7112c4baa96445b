package pattern

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// matcher is one alternative in a field's array. It sees every leaf value at the field
// (none when the field is missing) and matches when its condition holds.
type matcher interface {
	match(leaves []any) bool
}

// leafMatcher matches when any single leaf satisfies it.
type leafMatcher func(v any) bool

func (f leafMatcher) match(leaves []any) bool {
	for _, v := range leaves {
		if f(v) {
			return true
		}
	}
	return false
}

// existsMatcher matches on the presence of leaves, not on their values.
type existsMatcher bool

func (want existsMatcher) match(leaves []any) bool { return (len(leaves) > 0) == bool(want) }

// compileMatcher turns one element of a pattern array into a matcher.
func compileMatcher(elem any, path string) (matcher, error) {
	switch v := elem.(type) {
	case string:
		return leafMatcher(func(x any) bool { s, ok := x.(string); return ok && s == v }), nil
	case json.Number:
		n, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("event pattern %s: number %s out of range", path, v)
		}
		return leafMatcher(func(x any) bool { f, ok := toFloat(x); return ok && f == n }), nil
	case bool:
		return leafMatcher(func(x any) bool { b, ok := x.(bool); return ok && b == v }), nil
	case nil:
		return leafMatcher(func(x any) bool { return x == nil }), nil
	case map[string]any:
		return compileOperator(v, path)
	}
	return nil, fmt.Errorf("event pattern %s: want a value or an operator object, got %s", path, kindOf(elem))
}

// compileOperator compiles an operator object such as {"prefix": "a"}.
func compileOperator(op map[string]any, path string) (matcher, error) {
	if len(op) != 1 {
		keys := make([]string, 0, len(op))
		for k := range op {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("event pattern %s: an operator object has exactly one key, got %q", path, keys)
	}
	var name string
	var arg any
	for name, arg = range op {
	}
	at := path + "." + name
	switch name {
	case "prefix":
		test, err := stringTest(arg, at, strings.HasPrefix, hasPrefixFold)
		if err != nil {
			return nil, err
		}
		return onStrings(test), nil
	case "suffix":
		test, err := stringTest(arg, at, strings.HasSuffix, hasSuffixFold)
		if err != nil {
			return nil, err
		}
		return onStrings(test), nil
	case "equals-ignore-case":
		s, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("event pattern %s: want a string, got %s", at, kindOf(arg))
		}
		return onStrings(func(x string) bool { return strings.EqualFold(x, s) }), nil
	case "wildcard":
		w, err := compileWildcard(arg, at)
		if err != nil {
			return nil, err
		}
		return onStrings(w.match), nil
	case "anything-but":
		return compileAnythingBut(arg, at)
	case "numeric":
		return compileNumeric(arg, at)
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return nil, fmt.Errorf("event pattern %s: want true or false, got %s", at, kindOf(arg))
		}
		return existsMatcher(b), nil
	case "cidr":
		return compileCIDR(arg, at)
	}
	return nil, fmt.Errorf("event pattern %s: unknown operator %q", path, name)
}

// onStrings matches string leaves that satisfy test.
func onStrings(test func(string) bool) leafMatcher {
	return func(x any) bool { s, ok := x.(string); return ok && test(s) }
}

// stringTest compiles the argument of prefix or suffix: a string, or
// {"equals-ignore-case": string} for the case-insensitive form.
func stringTest(arg any, path string, exact, fold func(s, affix string) bool) (func(string) bool, error) {
	switch v := arg.(type) {
	case string:
		return func(s string) bool { return exact(s, v) }, nil
	case map[string]any:
		s, ok := v["equals-ignore-case"].(string)
		if len(v) != 1 || !ok {
			return nil, fmt.Errorf("event pattern %s: want a string or {\"equals-ignore-case\": string}", path)
		}
		return func(x string) bool { return fold(x, s) }, nil
	}
	return nil, fmt.Errorf("event pattern %s: want a string, got %s", path, kindOf(arg))
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// compileAnythingBut compiles the argument of anything-but: a string, a number, a list of
// strings or of numbers, or one of {prefix}, {suffix}, {equals-ignore-case}, {wildcard}.
// The result matches every leaf that is not excluded, whatever its type.
func compileAnythingBut(arg any, path string) (matcher, error) {
	excluded, err := exclusion(arg, path)
	if err != nil {
		return nil, err
	}
	return leafMatcher(func(x any) bool { return !excluded(x) }), nil
}

func exclusion(arg any, path string) (func(any) bool, error) {
	switch v := arg.(type) {
	case string, json.Number:
		return exclusion([]any{v}, path)
	case []any:
		return excludedValues(v, path)
	case map[string]any:
		if len(v) != 1 {
			return nil, fmt.Errorf("event pattern %s: want exactly one of prefix, suffix, equals-ignore-case, wildcard", path)
		}
		for name, inner := range v {
			at := path + "." + name
			switch name {
			case "prefix", "suffix":
				s, ok := inner.(string)
				if !ok || s == "" {
					return nil, fmt.Errorf("event pattern %s: want a non-empty string", at)
				}
				test := strings.HasPrefix
				if name == "suffix" {
					test = strings.HasSuffix
				}
				return func(x any) bool { str, ok := x.(string); return ok && test(str, s) }, nil
			case "equals-ignore-case":
				list, err := stringList(inner, at)
				if err != nil {
					return nil, err
				}
				return func(x any) bool {
					str, ok := x.(string)
					if !ok {
						return false
					}
					for _, s := range list {
						if strings.EqualFold(str, s) {
							return true
						}
					}
					return false
				}, nil
			case "wildcard":
				args := []any{inner}
				if l, ok := inner.([]any); ok {
					args = l
				}
				var ws []*wildcard
				for i, a := range args {
					w, err := compileWildcard(a, fmt.Sprintf("%s[%d]", at, i))
					if err != nil {
						return nil, err
					}
					ws = append(ws, w)
				}
				return func(x any) bool {
					str, ok := x.(string)
					if !ok {
						return false
					}
					for _, w := range ws {
						if w.match(str) {
							return true
						}
					}
					return false
				}, nil
			default:
				return nil, fmt.Errorf("event pattern %s: unknown anything-but operator %q", path, name)
			}
		}
	}
	return nil, fmt.Errorf("event pattern %s: want a string, a number, a list of them or an operator object, got %s", path, kindOf(arg))
}

// excludedValues compiles a list of strings or a list of numbers (not mixed).
func excludedValues(list []any, path string) (func(any) bool, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("event pattern %s: empty list", path)
	}
	strs := map[string]bool{}
	var nums []float64
	for i, elem := range list {
		switch v := elem.(type) {
		case string:
			strs[v] = true
		case json.Number:
			f, err := v.Float64()
			if err != nil {
				return nil, fmt.Errorf("event pattern %s[%d]: number %s out of range", path, i, v)
			}
			nums = append(nums, f)
		default:
			return nil, fmt.Errorf("event pattern %s[%d]: want a string or a number, got %s", path, i, kindOf(elem))
		}
	}
	if len(strs) > 0 && len(nums) > 0 {
		return nil, fmt.Errorf("event pattern %s: a list mixes strings and numbers", path)
	}
	return func(x any) bool {
		if s, ok := x.(string); ok {
			return strs[s]
		}
		if f, ok := toFloat(x); ok {
			for _, n := range nums {
				if f == n {
					return true
				}
			}
		}
		return false
	}, nil
}

func stringList(arg any, path string) ([]string, error) {
	switch v := arg.(type) {
	case string:
		return []string{v}, nil
	case []any:
		if len(v) == 0 {
			return nil, fmt.Errorf("event pattern %s: empty list", path)
		}
		out := make([]string, 0, len(v))
		for i, elem := range v {
			s, ok := elem.(string)
			if !ok {
				return nil, fmt.Errorf("event pattern %s[%d]: want a string, got %s", path, i, kindOf(elem))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("event pattern %s: want a string or a list of strings, got %s", path, kindOf(arg))
}

// compileNumeric compiles ["=", n], ["<", n], [">=", n], ... or a range such as
// [">", 0, "<=", 5] (lower bound first).
func compileNumeric(arg any, path string) (matcher, error) {
	list, ok := arg.([]any)
	if !ok || (len(list) != 2 && len(list) != 4) {
		return nil, fmt.Errorf("event pattern %s: want [op, number] or [lower op, number, upper op, number]", path)
	}
	type bound struct {
		op string
		n  float64
	}
	var bounds []bound
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok {
			return nil, fmt.Errorf("event pattern %s[%d]: want an operator string, got %s", path, i, kindOf(list[i]))
		}
		switch op {
		case "=", "<", "<=", ">", ">=":
		default:
			return nil, fmt.Errorf("event pattern %s[%d]: unknown numeric operator %q", path, i, op)
		}
		num, ok := list[i+1].(json.Number)
		if !ok {
			return nil, fmt.Errorf("event pattern %s[%d]: want a number, got %s", path, i+1, kindOf(list[i+1]))
		}
		n, err := num.Float64()
		if err != nil {
			return nil, fmt.Errorf("event pattern %s[%d]: number %s out of range", path, i+1, num)
		}
		bounds = append(bounds, bound{op, n})
	}
	if len(bounds) == 2 {
		lo, hi := bounds[0], bounds[1]
		if (lo.op != ">" && lo.op != ">=") || (hi.op != "<" && hi.op != "<=") {
			return nil, fmt.Errorf("event pattern %s: a range is a lower bound (> or >=) then an upper bound (< or <=)", path)
		}
		if lo.n >= hi.n {
			return nil, fmt.Errorf("event pattern %s: empty range %v to %v", path, lo.n, hi.n)
		}
	}
	return leafMatcher(func(x any) bool {
		f, ok := toFloat(x)
		if !ok {
			return false
		}
		for _, b := range bounds {
			var in bool
			switch b.op {
			case "=":
				in = f == b.n
			case "<":
				in = f < b.n
			case "<=":
				in = f <= b.n
			case ">":
				in = f > b.n
			case ">=":
				in = f >= b.n
			}
			if !in {
				return false
			}
		}
		return true
	}), nil
}

func compileCIDR(arg any, path string) (matcher, error) {
	s, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("event pattern %s: want a CIDR string, got %s", path, kindOf(arg))
	}
	prefix, err := netip.ParsePrefix(s)
	if err != nil {
		return nil, fmt.Errorf("event pattern %s: %q is not a CIDR block", path, s)
	}
	prefix = prefix.Masked()
	return onStrings(func(x string) bool {
		addr, err := netip.ParseAddr(x)
		return err == nil && prefix.Contains(addr.Unmap())
	}), nil
}

// toFloat reads a JSON number as decoded by this package (json.Number) or by a caller
// of MatchValue (float64 or int).
func toFloat(x any) (float64, bool) {
	switch n := x.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}
