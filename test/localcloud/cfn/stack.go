package cfn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/pattern"
)

// Defaults of the services when the template leaves a setting out.
const (
	DefaultMemoryMB          = 128
	DefaultTimeout           = 3 * time.Second
	DefaultAsyncRetries      = 2
	DefaultAsyncMaxEventAge  = 6 * time.Hour
	DefaultTargetRetries     = 185
	DefaultTargetMaxEventAge = 24 * time.Hour
	// DefaultReservedConcurrency is the local pool size when the template reserves none.
	DefaultReservedConcurrency = 2
	// DefaultBucketName names the bucket when the template leaves its name to CloudFormation.
	DefaultBucketName = "images"
)

// Service limits the template's settings are checked against.
const (
	maxAsyncRetries     = 2
	minAsyncMaxEventAge = 60 * time.Second
	maxAsyncMaxEventAge = 6 * time.Hour
	minMemoryMB         = 128
	maxMemoryMB         = 10240
	minTimeout          = time.Second
	maxTimeout          = 900 * time.Second
	// maxLocalReservedConcurrency bounds the emulator processes one machine runs.
	maxLocalReservedConcurrency = 64
)

// Stack is what the local cloud runs from a template.
type Stack struct {
	// Bucket is the bucket the rules listen to.
	Bucket Bucket
	// Rules route the bucket's events to the function; at least one.
	Rules []Rule
	// Function is the Lambda function the rules target.
	Function Function
}

// Bucket is the stack's S3 bucket.
type Bucket struct {
	LogicalID string
	// Name is the template's BucketName, or the local default when CloudFormation would
	// generate one.
	Name string
}

// Rule is an EventBridge rule that targets the function.
type Rule struct {
	LogicalID string
	// Pattern is the rule's event pattern with Refs resolved to local values.
	Pattern *pattern.Pattern
	// TargetID is the target's Id within the rule.
	TargetID string
	// Retry is the target's retry policy (EventBridge retries delivery to the target).
	Retry RetryPolicy
	// DeadLetter is the target's dead-letter queue; empty when none.
	DeadLetter Destination
}

// RetryPolicy bounds how long EventBridge retries delivering an event to a target.
type RetryPolicy struct {
	MaximumRetryAttempts int
	MaximumEventAge      time.Duration
}

// Function is the Lambda function and its configuration.
type Function struct {
	LogicalID string
	// Name is the FunctionName property, or the logical ID when CloudFormation would generate it.
	Name string
	// Environment holds the function's variables with Refs resolved.
	Environment map[string]string
	MemoryMB    int
	Timeout     time.Duration
	// ReservedConcurrency is the template's ReservedConcurrentExecutions, or 0 when unset.
	ReservedConcurrency int
	// LogFormat is LoggingConfig.LogFormat ("Text" or "JSON"); empty when unset.
	LogFormat string
	// ApplicationLogLevel is LoggingConfig.ApplicationLogLevel; empty when unset.
	ApplicationLogLevel string
	// Async is the function's asynchronous invocation configuration.
	Async AsyncConfig
}

// Concurrency is how many invocations run at once locally: the reserved concurrency when
// the template sets one, DefaultReservedConcurrency otherwise.
func (f Function) Concurrency() int {
	if f.ReservedConcurrency > 0 {
		return f.ReservedConcurrency
	}
	return DefaultReservedConcurrency
}

// AsyncConfig is Lambda's handling of failed asynchronous invocations.
type AsyncConfig struct {
	// MaximumRetryAttempts after a function error, 0-2.
	MaximumRetryAttempts int
	// MaximumEventAge after which an event is not invoked again.
	MaximumEventAge time.Duration
	// OnFailure is the destination of events that failed every attempt; empty when none.
	OnFailure Destination
}

// Destination is a resource that receives failed events.
type Destination struct {
	LogicalID string
	Type      string
}

// Options adjust how a template is read.
type Options struct {
	// BucketName names the bucket when the template leaves the name to CloudFormation.
	// Default: DefaultBucketName.
	BucketName string
}

// Read extracts the stack from a template. Every error names the template resource and
// the property that the local cloud cannot run as written.
func Read(t *Template, opts Options) (*Stack, error) {
	if opts.BucketName == "" {
		opts.BucketName = DefaultBucketName
	}
	r := newResolver(t)
	rules, fnID, err := findRules(t)
	if err != nil {
		return nil, err
	}
	bucket, err := findBucket(t, rules, opts.BucketName)
	if err != nil {
		return nil, err
	}
	r.refs[bucket.LogicalID] = bucket.Name
	fn, err := readFunction(t, r, fnID)
	if err != nil {
		return nil, err
	}
	r.refs[fn.LogicalID] = fn.Name
	st := &Stack{Bucket: bucket, Function: fn}
	for _, id := range rules {
		rule, err := readRule(t, r, id, fnID)
		if err != nil {
			return nil, err
		}
		st.Rules = append(st.Rules, rule)
	}
	return st, nil
}

// findRules returns the enabled rules with a target that is a Lambda function of the
// template, and that function. Rules targeting two different functions are an error.
func findRules(t *Template) ([]string, string, error) {
	var rules []string
	fnID := ""
	for _, id := range t.OfType(TypeRule) {
		props := t.Resources[id].Properties
		if state, _ := props["State"].(string); strings.EqualFold(state, "DISABLED") {
			continue
		}
		targets, _ := props["Targets"].([]any)
		for _, target := range targets {
			tm, _ := target.(map[string]any)
			ref, _, ok := reference(tm["Arn"])
			if !ok || t.Resources[ref].Type != TypeFunction {
				continue
			}
			if fnID != "" && ref != fnID {
				return nil, "", fmt.Errorf("rules target two functions, %s and %s: the local cloud runs one", fnID, ref)
			}
			fnID = ref
			rules = append(rules, id)
			break
		}
	}
	if len(rules) == 0 {
		return nil, "", fmt.Errorf("no enabled %s targets an %s", TypeRule, TypeFunction)
	}
	return rules, fnID, nil
}

// findBucket picks the bucket the rules listen to and gives it a local name. It is, in
// order: the one bucket resource the patterns Ref; the one literal name the patterns give
// in detail.bucket.name (a bucket imported by name, outside the stack); the template's
// only bucket resource.
func findBucket(t *Template, rules []string, defaultName string) (Bucket, error) {
	refd := map[string]bool{}
	literal := map[string]bool{}
	for _, rule := range rules {
		raw := t.Resources[rule].Properties["EventPattern"]
		for _, id := range refsIn(raw) {
			if t.Resources[id].Type == TypeBucket {
				refd[id] = true
			}
		}
		for _, name := range literalBucketNames(raw) {
			literal[name] = true
		}
	}
	var id string
	switch {
	case len(refd) == 1:
		id = onlyKey(refd)
	case len(refd) == 0 && len(literal) == 1:
		return Bucket{Name: onlyKey(literal)}, nil
	case len(refd) == 0 && len(literal) == 0 && len(t.OfType(TypeBucket)) == 1:
		id = t.OfType(TypeBucket)[0]
	default:
		return Bucket{}, fmt.Errorf("the rules listen to %d buckets (%v, %v): the local cloud serves one", len(refd)+len(literal), sortedKeys(refd), sortedKeys(literal))
	}
	b := Bucket{LogicalID: id, Name: defaultName}
	if name, ok := t.Resources[id].Properties["BucketName"].(string); ok && name != "" {
		b.Name = name
	}
	return b, nil
}

// literalBucketNames returns the strings of a pattern's detail.bucket.name.
func literalBucketNames(raw any) []string {
	p, _ := raw.(map[string]any)
	detail, _ := p["detail"].(map[string]any)
	bucket, _ := detail["bucket"].(map[string]any)
	names, _ := bucket["name"].([]any)
	var out []string
	for _, n := range names {
		if s, ok := n.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func onlyKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func readFunction(t *Template, r *resolver, id string) (Function, error) {
	props := t.Resources[id].Properties
	at := func(prop string) string { return fmt.Sprintf("%s %s.%s", TypeFunction, id, prop) }
	fn := Function{LogicalID: id, Name: id, Environment: map[string]string{}}
	if name, ok := props["FunctionName"].(string); ok && name != "" {
		fn.Name = name
	}
	if envProp, ok := props["Environment"].(map[string]any); ok {
		vars, err := r.resolve(envProp["Variables"], at("Environment.Variables"))
		if err != nil {
			return Function{}, err
		}
		if vars != nil {
			m, ok := vars.(map[string]any)
			if !ok {
				return Function{}, fmt.Errorf("%s: want an object", at("Environment.Variables"))
			}
			for k, v := range m {
				s, err := scalarString(v)
				if err != nil {
					return Function{}, fmt.Errorf("%s: %w", at("Environment.Variables."+k), err)
				}
				fn.Environment[k] = s
			}
		}
	}
	var err error
	if fn.MemoryMB, err = intProp(props, "MemorySize", DefaultMemoryMB, minMemoryMB, maxMemoryMB); err != nil {
		return Function{}, fmt.Errorf("%s: %w", at("MemorySize"), err)
	}
	timeout, err := intProp(props, "Timeout", int(DefaultTimeout/time.Second), int(minTimeout/time.Second), int(maxTimeout/time.Second))
	if err != nil {
		return Function{}, fmt.Errorf("%s: %w", at("Timeout"), err)
	}
	fn.Timeout = time.Duration(timeout) * time.Second
	if fn.ReservedConcurrency, err = intProp(props, "ReservedConcurrentExecutions", 0, 0, maxLocalReservedConcurrency); err != nil {
		return Function{}, fmt.Errorf("%s: %w", at("ReservedConcurrentExecutions"), err)
	}
	if _, set := props["ReservedConcurrentExecutions"]; set && fn.ReservedConcurrency == 0 {
		return Function{}, fmt.Errorf("%s: 0 throttles every invocation, so the function never runs", at("ReservedConcurrentExecutions"))
	}
	if logging, ok := props["LoggingConfig"].(map[string]any); ok {
		fn.LogFormat, _ = logging["LogFormat"].(string)
		fn.ApplicationLogLevel, _ = logging["ApplicationLogLevel"].(string)
	}
	fn.Async, err = readAsyncConfig(t, id, fn.Name)
	if err != nil {
		return Function{}, err
	}
	return fn, nil
}

// readAsyncConfig finds the function's EventInvokeConfig, if any.
func readAsyncConfig(t *Template, fnID, fnName string) (AsyncConfig, error) {
	cfg := AsyncConfig{MaximumRetryAttempts: DefaultAsyncRetries, MaximumEventAge: DefaultAsyncMaxEventAge}
	found := ""
	for _, id := range t.OfType(TypeEventInvokeConfig) {
		props := t.Resources[id].Properties
		ref, _, isRef := reference(props["FunctionName"])
		name, isName := props["FunctionName"].(string)
		if !(isRef && ref == fnID) && !(isName && name == fnName) {
			continue
		}
		if found != "" {
			return cfg, fmt.Errorf("%s %s and %s both configure %s", TypeEventInvokeConfig, found, id, fnID)
		}
		found = id
		at := func(prop string) string { return fmt.Sprintf("%s %s.%s", TypeEventInvokeConfig, id, prop) }
		var err error
		if cfg.MaximumRetryAttempts, err = intProp(props, "MaximumRetryAttempts", DefaultAsyncRetries, 0, maxAsyncRetries); err != nil {
			return cfg, fmt.Errorf("%s: %w", at("MaximumRetryAttempts"), err)
		}
		age, err := intProp(props, "MaximumEventAgeInSeconds", int(DefaultAsyncMaxEventAge/time.Second), int(minAsyncMaxEventAge/time.Second), int(maxAsyncMaxEventAge/time.Second))
		if err != nil {
			return cfg, fmt.Errorf("%s: %w", at("MaximumEventAgeInSeconds"), err)
		}
		cfg.MaximumEventAge = time.Duration(age) * time.Second
		dest, _ := props["DestinationConfig"].(map[string]any)
		onFailure, _ := dest["OnFailure"].(map[string]any)
		if raw, ok := onFailure["Destination"]; ok {
			d, err := destination(t, raw)
			if err != nil {
				return cfg, fmt.Errorf("%s: %w", at("DestinationConfig.OnFailure.Destination"), err)
			}
			cfg.OnFailure = d
		}
	}
	return cfg, nil
}

func readRule(t *Template, r *resolver, id, fnID string) (Rule, error) {
	props := t.Resources[id].Properties
	at := func(prop string) string { return fmt.Sprintf("%s %s.%s", TypeRule, id, prop) }
	raw := props["EventPattern"]
	if s, ok := raw.(string); ok {
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return Rule{}, fmt.Errorf("%s: not JSON: %w", at("EventPattern"), err)
		}
	}
	if raw == nil {
		return Rule{}, fmt.Errorf("%s: missing (only pattern rules are run locally)", at("EventPattern"))
	}
	resolved, err := r.resolve(raw, at("EventPattern"))
	if err != nil {
		return Rule{}, err
	}
	src, err := json.Marshal(resolved)
	if err != nil {
		return Rule{}, fmt.Errorf("%s: %w", at("EventPattern"), err)
	}
	p, err := pattern.Compile(src)
	if err != nil {
		return Rule{}, fmt.Errorf("%s: %w", at("EventPattern"), err)
	}
	rule := Rule{LogicalID: id, Pattern: p, Retry: RetryPolicy{MaximumRetryAttempts: DefaultTargetRetries, MaximumEventAge: DefaultTargetMaxEventAge}}
	targets, _ := props["Targets"].([]any)
	for i, target := range targets {
		tm, _ := target.(map[string]any)
		if ref, _, ok := reference(tm["Arn"]); !ok || ref != fnID {
			continue
		}
		tat := func(prop string) string { return at(fmt.Sprintf("Targets[%d].%s", i, prop)) }
		for _, unsupported := range []string{"Input", "InputPath", "InputTransformer"} {
			if _, set := tm[unsupported]; set {
				return Rule{}, fmt.Errorf("%s: not supported by the local cloud, which passes the event unchanged", tat(unsupported))
			}
		}
		rule.TargetID, _ = tm["Id"].(string)
		if policy, ok := tm["RetryPolicy"].(map[string]any); ok {
			if rule.Retry.MaximumRetryAttempts, err = intProp(policy, "MaximumRetryAttempts", DefaultTargetRetries, 0, DefaultTargetRetries); err != nil {
				return Rule{}, fmt.Errorf("%s: %w", tat("RetryPolicy.MaximumRetryAttempts"), err)
			}
			age, err := intProp(policy, "MaximumEventAgeInSeconds", int(DefaultTargetMaxEventAge/time.Second), 60, int(DefaultTargetMaxEventAge/time.Second))
			if err != nil {
				return Rule{}, fmt.Errorf("%s: %w", tat("RetryPolicy.MaximumEventAgeInSeconds"), err)
			}
			rule.Retry.MaximumEventAge = time.Duration(age) * time.Second
		}
		if dlq, ok := tm["DeadLetterConfig"].(map[string]any); ok {
			if rule.DeadLetter, err = destination(t, dlq["Arn"]); err != nil {
				return Rule{}, fmt.Errorf("%s: %w", tat("DeadLetterConfig.Arn"), err)
			}
		}
		break
	}
	return rule, nil
}

// destination reads a Ref or Fn::GetAtt to a resource of the template.
func destination(t *Template, raw any) (Destination, error) {
	id, _, ok := reference(raw)
	if !ok {
		return Destination{}, fmt.Errorf("want a Ref or Fn::GetAtt to a resource of the template")
	}
	res, ok := t.Resources[id]
	if !ok {
		return Destination{}, fmt.Errorf("refers to %s, which the template does not define", id)
	}
	return Destination{LogicalID: id, Type: res.Type}, nil
}

// intProp reads an integer property (a JSON number or a numeric string), def when absent.
func intProp(props map[string]any, name string, def, lo, hi int) (int, error) {
	raw, ok := props[name]
	if !ok {
		return def, nil
	}
	var n int
	switch v := raw.(type) {
	case float64:
		if v != float64(int(v)) {
			return 0, fmt.Errorf("%v is not a whole number", v)
		}
		n = int(v)
	case string:
		i, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", v)
		}
		n = i
	default:
		return 0, fmt.Errorf("want a whole number, got %T", raw)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is outside %d-%d", n, lo, hi)
	}
	return n, nil
}

// scalarString renders an environment value: strings as is, numbers and booleans as JSON.
func scalarString(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(t), nil
	}
	return "", fmt.Errorf("want a string, got %T", v)
}
