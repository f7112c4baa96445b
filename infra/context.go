package main

import (
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// CDK context keys: defaults live in cdk.json, `cdk synth -c key=value` overrides them.
const (
	ContextOutputPrefix        = "outputPrefix"
	ContextSize                = "size"
	ContextMode                = "mode"
	ContextMemorySize          = "memorySize"
	ContextTimeoutSeconds      = "timeoutSeconds"
	ContextReservedConcurrency = "reservedConcurrency"
	ContextBucketName          = "bucketName"
	ContextBucketKmsKeyArn     = "bucketKmsKeyArn"
	ContextRemovalPolicy       = "removalPolicy"
	ContextAlarmEmail          = "alarmEmail"
	ContextFormat              = "format"
	ContextWebPQuality         = "webpQuality"
)

// ContextKeys lists every context key the app reads, in the order they are documented.
var ContextKeys = []string{
	ContextOutputPrefix, ContextSize, ContextMode, ContextMemorySize, ContextTimeoutSeconds,
	ContextReservedConcurrency, ContextBucketName, ContextBucketKmsKeyArn, ContextRemovalPolicy, ContextAlarmEmail,
	ContextFormat, ContextWebPQuality,
}

// Removal policies accepted by the removalPolicy context key.
const (
	RemovalRetain  = "retain"
	RemovalDestroy = "destroy"
)

// Limits of the Lambda service for the settings taken from context.
const (
	minMemoryMB       = 128
	maxMemoryMB       = 10240
	maxTimeoutSeconds = 900
)

// Defaults of the deployment settings.
const (
	// DefaultMemoryMB buys CPU as well as memory: Lambda allots CPU in proportion to memory,
	// so a CPU-bound resize at 1024 MB runs about twice as fast as at 512 MB for about the same
	// price per image. It also leaves room for the largest image the limits admit
	// (contract.DefaultMaxPixels = 64 MP, 256 MiB as RGBA) plus a working copy.
	DefaultMemoryMB = 1024
	// DefaultTimeout bounds one invocation. Decoding a 12 MP JPEG costs about 0.7 s of CPU; the
	// 64 MP ceiling at 1024 MB (a little over half a vCPU) is under 10 s plus the download of at
	// most 50 MiB, so 30 s leaves a wide margin while still cutting off a stuck invocation early.
	DefaultTimeout = 30 * time.Second
)

// Settings are the deployment choices read from CDK context.
type Settings struct {
	// Function is rendered into the function's environment. Default: contract.Default().
	Function contract.Config
	// MemoryMB is the function's memory size, 128-10240. Default: DefaultMemoryMB.
	MemoryMB int
	// Timeout of one invocation, 1 s to 15 min. Default: DefaultTimeout.
	Timeout time.Duration
	// ReservedConcurrency caps concurrent executions; 0 leaves them unreserved. Default: 0.
	ReservedConcurrency int
	// BucketName names an existing bucket to use instead of creating one. Default: "" (create one).
	BucketName string
	// BucketKey is the KMS key that encrypts the existing bucket BucketName by default (SSE-KMS),
	// which the function must use to read originals and write thumbnails. The key lives in the
	// bucket's region, so the stack can only be deployed there.
	// Default: none (the bucket is encrypted with S3-managed keys).
	BucketKey *KMSKeyARN
	// Destroy deletes the created bucket with its objects, and the logs, with the stack.
	// Default: false (retained).
	Destroy bool
	// AlarmEmail receives the alarms, through an SNS topic created for it.
	// Default: "" (no topic: the alarms show in the console and on the dashboard only).
	AlarmEmail string
}

// DefaultSettings returns the settings of an empty context.
func DefaultSettings() Settings {
	return Settings{
		Function: contract.Default(),
		MemoryMB: DefaultMemoryMB,
		Timeout:  DefaultTimeout,
	}
}

// SettingsFromContext reads every context key through get (a Node's TryGetContext), starting
// from DefaultSettings. Values may be JSON numbers (cdk.json) or strings (-c key=value); a
// missing or empty value keeps the default. The first bad value is reported with its key.
func SettingsFromContext(get func(key string) any) (Settings, error) {
	s := DefaultSettings()
	for _, key := range ContextKeys {
		raw, err := contextString(get(key))
		if err == nil && raw != "" {
			err = s.apply(key, raw)
		}
		if err != nil {
			return Settings{}, fmt.Errorf("context %q: %w", key, err)
		}
	}
	if err := s.Function.Validate(); err != nil {
		return Settings{}, fmt.Errorf("context: %w", err)
	}
	if s.BucketKey != nil && s.BucketName == "" {
		return Settings{}, fmt.Errorf("context %q: needs %q: the bucket this stack creates is encrypted with S3-managed keys",
			ContextBucketKmsKeyArn, ContextBucketName)
	}
	return s, nil
}

// apply sets the setting named by key from its non-empty text.
func (s *Settings) apply(key, raw string) error {
	switch key {
	case ContextOutputPrefix:
		if err := contract.ValidatePrefix(raw); err != nil {
			return err
		}
		s.Function.OutputPrefix = raw
	case ContextSize:
		w, h, err := contract.ParseSize(raw)
		if err != nil {
			return err
		}
		s.Function.Thumbnail.Width, s.Function.Thumbnail.Height = w, h
	case ContextMode:
		if err := contract.ValidateMode(raw); err != nil {
			return err
		}
		s.Function.Thumbnail.Mode = raw
	case ContextMemorySize:
		n, err := intInRange(raw, "memory size in MB", minMemoryMB, maxMemoryMB)
		if err != nil {
			return err
		}
		s.MemoryMB = n
	case ContextTimeoutSeconds:
		n, err := intInRange(raw, "timeout in seconds", 1, maxTimeoutSeconds)
		if err != nil {
			return err
		}
		s.Timeout = time.Duration(n) * time.Second
	case ContextReservedConcurrency:
		// Zero would throttle every invocation; leaving the key empty is how to reserve nothing.
		n, err := intInRange(raw, "reserved concurrency", 1, math.MaxInt32)
		if err != nil {
			return err
		}
		s.ReservedConcurrency = n
	case ContextBucketName:
		if err := validateBucketName(raw); err != nil {
			return err
		}
		s.BucketName = raw
	case ContextBucketKmsKeyArn:
		key, err := ParseKMSKeyARN(raw)
		if err != nil {
			return err
		}
		s.BucketKey = &key
	case ContextRemovalPolicy:
		switch strings.ToLower(raw) {
		case RemovalRetain:
			s.Destroy = false
		case RemovalDestroy:
			s.Destroy = true
		default:
			return fmt.Errorf("removal policy %q: want %s or %s", raw, RemovalRetain, RemovalDestroy)
		}
	case ContextAlarmEmail:
		if err := validateEmail(raw); err != nil {
			return err
		}
		s.AlarmEmail = raw
	case ContextFormat:
		f, err := contract.ParseOutputFormat(raw)
		if err != nil {
			return err
		}
		s.Function.Thumbnail.Format = f
	case ContextWebPQuality:
		n, err := intInRange(raw, "WebP quality", 1, 100)
		if err != nil {
			return err
		}
		s.Function.Thumbnail.WebPQuality = n
	default:
		return fmt.Errorf("unknown context key")
	}
	return nil
}

// contextString renders a context value as text: cdk.json gives JSON types, -c gives strings.
func contextString(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
			return "", fmt.Errorf("%v: want a whole number", v)
		}
		return strconv.Itoa(int(v)), nil
	case bool:
		return strconv.FormatBool(v), nil
	default:
		return "", fmt.Errorf("%v: want a string or a number, got %T", v, v)
	}
}

// intInRange parses a whole number between lo and hi inclusive.
func intInRange(raw, what string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s %q: want a whole number from %d to %d", what, raw, lo, hi)
	}
	return n, nil
}

// bucketNamePattern is the S3 general purpose bucket naming rule: 3-63 characters of lower-case
// letters, digits, dots and hyphens, starting and ending with a letter or digit. A regular
// expression is the whole rule, so no library is pulled in for it.
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// validateBucketName rejects names S3 would refuse, before a deployment finds out.
func validateBucketName(name string) error {
	if !bucketNamePattern.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("bucket name %q: want 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit", name)
	}
	return nil
}

// validateEmail accepts a bare address such as ops@example.com: no display name, no angle
// brackets, and a domain with a dot, as SNS email subscriptions need.
func validateEmail(address string) error {
	parsed, err := mail.ParseAddress(address)
	if err == nil && parsed.Name == "" && parsed.Address == address {
		_, domain, _ := strings.Cut(address, "@")
		if strings.Contains(strings.Trim(domain, "."), ".") {
			return nil
		}
	}
	return fmt.Errorf("alarm email %q: want one address such as ops@example.com", address)
}
