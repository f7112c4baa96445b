package contract

import (
	"fmt"
	"strconv"
	"strings"
)

// Environment variable names read by the function at cold start.
const (
	EnvOutputPrefix = "THUMBNAIL_OUTPUT_PREFIX" // e.g. "resized/"
	EnvSize         = "THUMBNAIL_SIZE"          // "WxH", e.g. "128x128"
	EnvMode         = "THUMBNAIL_MODE"          // fill, fit or stretch
	EnvQuality      = "THUMBNAIL_JPEG_QUALITY"  // 1-100
	EnvMaxBytes     = "THUMBNAIL_MAX_BYTES"     // bytes
	EnvMaxPixels    = "THUMBNAIL_MAX_PIXELS"    // width x height
	EnvCacheControl = "THUMBNAIL_CACHE_CONTROL" // Cache-Control of thumbnails
	EnvLogLevel     = "THUMBNAIL_LOG_LEVEL"     // debug, info, warn, error
	EnvS3PathStyle  = "THUMBNAIL_S3_PATH_STYLE" // true or false
	EnvFormat       = "THUMBNAIL_FORMAT"        // auto, jpeg, png, gif, webp or avif
	EnvWebPQuality  = "THUMBNAIL_WEBP_QUALITY"  // 1-100, lossy WebP
)

// Defaults of the settings that are not thumbnail settings.
const (
	DefaultOutputPrefix = "resized/"
	DefaultCacheControl = "public, max-age=31536000, immutable"
	DefaultLogLevel     = "info"
)

// Config is everything the function needs to know, read once at cold start.
type Config struct {
	// OutputPrefix is where thumbnails go: "<prefix><original key>". Default: "resized/".
	OutputPrefix string
	// Thumbnail holds size, mode, quality and limits. Default: DefaultThumbnail().
	Thumbnail Thumbnail
	// CacheControl is set on every thumbnail. Default: DefaultCacheControl.
	CacheControl string
	// LogLevel is the slog level name. Default: "info".
	LogLevel string
	// S3PathStyle addresses buckets by path (http://host/bucket/key) instead of by
	// host name. A local S3 endpoint set through AWS_ENDPOINT_URL_S3 needs it;
	// real S3 does not. Default: false.
	S3PathStyle bool
}

// Default returns the product's defaults.
func Default() Config {
	return Config{
		OutputPrefix: DefaultOutputPrefix,
		Thumbnail:    DefaultThumbnail(),
		CacheControl: DefaultCacheControl,
		LogLevel:     DefaultLogLevel,
	}
}

// FromEnv starts from Default and applies every variable getenv returns non-empty,
// then validates. Pass os.Getenv.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Default()
	var err error
	set := func(name string, apply func(string) error) {
		if v := strings.TrimSpace(getenv(name)); v != "" && err == nil {
			if e := apply(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	}
	set(EnvOutputPrefix, func(v string) error { c.OutputPrefix = v; return nil })
	set(EnvSize, func(v string) error {
		w, h, e := ParseSize(v)
		c.Thumbnail.Width, c.Thumbnail.Height = w, h
		return e
	})
	set(EnvMode, func(v string) error { c.Thumbnail.Mode = v; return ValidateMode(v) })
	set(EnvQuality, func(v string) error { return parseInt(v, &c.Thumbnail.Quality) })
	set(EnvMaxBytes, func(v string) error { return parseInt64(v, &c.Thumbnail.Limits.MaxBytes) })
	set(EnvMaxPixels, func(v string) error { return parseInt64(v, &c.Thumbnail.Limits.MaxPixels) })
	set(EnvCacheControl, func(v string) error { c.CacheControl = v; return nil })
	set(EnvLogLevel, func(v string) error { c.LogLevel = strings.ToLower(v); return nil })
	set(EnvS3PathStyle, func(v string) error { return parseBool(v, &c.S3PathStyle) })
	set(EnvFormat, func(v string) error {
		f, e := ParseOutputFormat(v)
		c.Thumbnail.Format = f
		return e
	})
	set(EnvWebPQuality, func(v string) error { return parseInt(v, &c.Thumbnail.WebPQuality) })
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate reports the first setting that would make the function misbehave.
func (c Config) Validate() error {
	if err := ValidatePrefix(c.OutputPrefix); err != nil {
		return err
	}
	if err := c.Thumbnail.Validate(); err != nil {
		return err
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// Env renders c as the environment variables FromEnv reads back into the same Config.
// EnvS3PathStyle appears only when set, so a deployed function carries no local-cloud setting.
func (c Config) Env() map[string]string {
	env := map[string]string{
		EnvOutputPrefix: c.OutputPrefix,
		EnvSize:         FormatSize(c.Thumbnail.Width, c.Thumbnail.Height),
		EnvMode:         c.Thumbnail.Mode,
		EnvQuality:      strconv.Itoa(c.Thumbnail.Quality),
		EnvMaxBytes:     strconv.FormatInt(c.Thumbnail.Limits.MaxBytes, 10),
		EnvMaxPixels:    strconv.FormatInt(c.Thumbnail.Limits.MaxPixels, 10),
		EnvCacheControl: c.CacheControl,
		EnvLogLevel:     c.LogLevel,
		EnvFormat:       FormatAuto,
		EnvWebPQuality:  strconv.Itoa(c.Thumbnail.WebPQuality),
	}
	if c.Thumbnail.Format != "" {
		env[EnvFormat] = c.Thumbnail.Format
	}
	if c.S3PathStyle {
		env[EnvS3PathStyle] = "true"
	}
	return env
}

// PrefixCharacters are the only characters an output prefix may hold: S3's
// safe key characters except "*", and "/". The prefix is written into IAM
// resources (where "*" and "?" are wildcards and "${...}" a policy variable)
// and into the trigger's event pattern; with any other character the grant to
// write and delete thumbnails could reach originals too.
const PrefixCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!-_.'()/"

// ValidatePrefix accepts a non-empty key prefix ending in "/" that does not start with "/",
// made of PrefixCharacters only.
// An empty prefix would put thumbnails beside originals and re-trigger the function.
func ValidatePrefix(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("output prefix is empty: thumbnails would overwrite originals")
	case !strings.HasSuffix(p, "/"):
		return fmt.Errorf("output prefix %q must end in \"/\"", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("output prefix %q must not start with \"/\"", p)
	}
	if i := strings.IndexFunc(p, func(r rune) bool { return !strings.ContainsRune(PrefixCharacters, r) }); i >= 0 {
		return fmt.Errorf("output prefix %q: character %q is not allowed: use letters, digits and !-_.'()/ "+
			"(IAM policies and the trigger's event pattern are written from the prefix, and read \"*\", \"?\" and \"$\" as patterns)", p, []rune(p[i:])[0])
	}
	return nil
}

func parseInt(v string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	*dst = n
	return nil
}

func parseBool(v string, dst *bool) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*dst = b
	return nil
}

func parseInt64(v string, dst *int64) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	*dst = n
	return nil
}
