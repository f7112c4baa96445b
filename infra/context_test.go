package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// fromMap reads settings from a plain map, as the CDK hands them over.
func fromMap(ctx map[string]any) (Settings, error) {
	return SettingsFromContext(func(key string) any { return ctx[key] })
}

func TestEmptyContextIsTheDefaults(t *testing.T) {
	got, err := fromMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultSettings(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCdkJSONStatesTheDefaults keeps cdk.json, where users look for the settings, in step
// with the defaults in code.
func TestCdkJSONStatesTheDefaults(t *testing.T) {
	ctx := cdkJSONContext(t)
	for _, key := range ContextKeys {
		if _, ok := ctx[key]; !ok {
			t.Errorf("cdk.json context lacks %q", key)
		}
	}
	got, err := fromMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultSettings(), got); diff != "" {
		t.Errorf("cdk.json context differs from DefaultSettings (-want +got):\n%s", diff)
	}
}

func TestContextValues(t *testing.T) {
	tests := []struct {
		name  string
		ctx   map[string]any
		check func(Settings) any
		want  any
	}{
		{"prefix", map[string]any{ContextOutputPrefix: "thumbs/"}, func(s Settings) any { return s.Function.OutputPrefix }, "thumbs/"},
		{"size WxH", map[string]any{ContextSize: "64x32"}, func(s Settings) any { return [2]int{s.Function.Thumbnail.Width, s.Function.Thumbnail.Height} }, [2]int{64, 32}},
		{"size N", map[string]any{ContextSize: "200"}, func(s Settings) any { return [2]int{s.Function.Thumbnail.Width, s.Function.Thumbnail.Height} }, [2]int{200, 200}},
		{"mode", map[string]any{ContextMode: "stretch"}, func(s Settings) any { return s.Function.Thumbnail.Mode }, contract.ModeStretch},
		{"memory from cdk.json number", map[string]any{ContextMemorySize: 2048.0}, func(s Settings) any { return s.MemoryMB }, 2048},
		{"memory from -c string", map[string]any{ContextMemorySize: "256"}, func(s Settings) any { return s.MemoryMB }, 256},
		{"timeout", map[string]any{ContextTimeoutSeconds: "90"}, func(s Settings) any { return s.Timeout }, 90 * time.Second},
		{"reserved concurrency", map[string]any{ContextReservedConcurrency: 10.0}, func(s Settings) any { return s.ReservedConcurrency }, 10},
		{"reserved concurrency empty", map[string]any{ContextReservedConcurrency: ""}, func(s Settings) any { return s.ReservedConcurrency }, 0},
		{"bucket name", map[string]any{ContextBucketName: "my.images-1"}, func(s Settings) any { return s.BucketName }, "my.images-1"},
		{"destroy", map[string]any{ContextRemovalPolicy: "DESTROY"}, func(s Settings) any { return s.Destroy }, true},
		{"retain", map[string]any{ContextRemovalPolicy: "retain"}, func(s Settings) any { return s.Destroy }, false},
		{"alarm email", map[string]any{ContextAlarmEmail: " ops+thumbs@example.co.uk "}, func(s Settings) any { return s.AlarmEmail }, "ops+thumbs@example.co.uk"},
		{"alarm email empty", map[string]any{ContextAlarmEmail: ""}, func(s Settings) any { return s.AlarmEmail }, ""},
		{"format webp", map[string]any{ContextFormat: "WebP"}, func(s Settings) any { return s.Function.Thumbnail.Format }, "webp"},
		{"format avif", map[string]any{ContextFormat: "avif"}, func(s Settings) any { return s.Function.Thumbnail.Format }, "avif"},
		{"format auto", map[string]any{ContextFormat: "auto"}, func(s Settings) any { return s.Function.Thumbnail.Format }, ""},
		{"webp quality", map[string]any{ContextWebPQuality: 60.0}, func(s Settings) any { return s.Function.Thumbnail.WebPQuality }, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := fromMap(tt.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.check(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadContextIsRefusedNamingTheKey(t *testing.T) {
	tests := []struct {
		name, key string
		value     any
		wantErr   string
	}{
		{"size word", ContextSize, "big", `context "size": size "big": want WxH`},
		{"size zero", ContextSize, "0x128", `context "size": size "0x128"`},
		{"size too large", ContextSize, "5000x5000", `context "size": size "5000x5000"`},
		{"mode", ContextMode, "crop", `context "mode": mode "crop": want fill, fit or stretch`},
		{"format heic", ContextFormat, "heic", `context "format": format "heic": want auto, jpeg, png, gif, webp or avif`},
		{"webp quality zero", ContextWebPQuality, 0.0, `context "webpQuality": WebP quality "0": want a whole number from 1 to 100`},
		{"prefix blank", ContextOutputPrefix, " ", ``}, // blank keeps the default: no error
		{"prefix without slash", ContextOutputPrefix, "resized", `context "outputPrefix": output prefix "resized" must end in "/"`},
		{"prefix absolute", ContextOutputPrefix, "/resized/", `context "outputPrefix": output prefix "/resized/" must not start with "/"`},
		{"prefix wildcard", ContextOutputPrefix, "t*/", `context "outputPrefix": output prefix "t*/": character '*' is not allowed`},
		{"prefix question mark", ContextOutputPrefix, "t?/", `context "outputPrefix": output prefix "t?/": character '?' is not allowed`},
		{"prefix policy variable", ContextOutputPrefix, "${aws:username}/", `context "outputPrefix": output prefix "${aws:username}/": character '$' is not allowed`},
		{"memory word", ContextMemorySize, "lots", `context "memorySize": memory size in MB "lots": want a whole number from 128 to 10240`},
		{"memory too small", ContextMemorySize, 64.0, `context "memorySize": memory size in MB "64"`},
		{"memory too large", ContextMemorySize, "20000", `context "memorySize": memory size in MB "20000"`},
		{"memory fraction", ContextMemorySize, 512.5, `context "memorySize": 512.5: want a whole number`},
		{"timeout zero", ContextTimeoutSeconds, "0", `context "timeoutSeconds": timeout in seconds "0": want a whole number from 1 to 900`},
		{"timeout too long", ContextTimeoutSeconds, 901.0, `context "timeoutSeconds": timeout in seconds "901"`},
		{"reserved zero", ContextReservedConcurrency, "0", `context "reservedConcurrency": reserved concurrency "0"`},
		{"bucket upper case", ContextBucketName, "MyImages", `context "bucketName": bucket name "MyImages"`},
		{"bucket too short", ContextBucketName, "ab", `context "bucketName": bucket name "ab"`},
		{"bucket double dot", ContextBucketName, "my..images", `context "bucketName": bucket name "my..images"`},
		{"removal policy", ContextRemovalPolicy, "snapshot", `context "removalPolicy": removal policy "snapshot": want retain or destroy`},
		{"not a scalar", ContextSize, []any{"128"}, `context "size": [128]: want a string or a number`},
		{"email without at", ContextAlarmEmail, "ops.example.com", `context "alarmEmail": alarm email "ops.example.com": want one address`},
		{"email with display name", ContextAlarmEmail, "Ops <ops@example.com>", `context "alarmEmail": alarm email "Ops <ops@example.com>"`},
		{"email in brackets", ContextAlarmEmail, "<ops@example.com>", `context "alarmEmail": alarm email "<ops@example.com>"`},
		{"two emails", ContextAlarmEmail, "a@example.com, b@example.com", `context "alarmEmail": alarm email "a@example.com, b@example.com"`},
		{"email without domain dot", ContextAlarmEmail, "ops@localhost", `context "alarmEmail": alarm email "ops@localhost"`},
		{"email with space", ContextAlarmEmail, "o ps@example.com", `context "alarmEmail": alarm email "o ps@example.com"`},
		{"email as number", ContextAlarmEmail, 42.0, `context "alarmEmail": alarm email "42"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fromMap(map[string]any{tt.key: tt.value})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v\nwant it to start with %s", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("err %q spans lines, want one", err)
			}
		})
	}
}

// TestNewAppRefusesBadContext goes through the CDK's own context handling, as `cdk synth -c`.
func TestNewAppRefusesBadContext(t *testing.T) {
	tests := []struct {
		key, value, wantErr string
	}{
		{ContextSize, "big", `context "size": `},
		{ContextMode, "crop", `context "mode": `},
		{ContextOutputPrefix, "resized", `context "outputPrefix": `},
		// -c outputPrefix='t*/' would grant Put and Delete on t*/*, originals such as travel/x.jpg included.
		{ContextOutputPrefix, "t*/", `context "outputPrefix": output prefix "t*/": character '*' is not allowed`},
		{ContextMemorySize, "64", `context "memorySize": `},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			_, _, err := NewApp(map[string]any{tt.key: tt.value})
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to start with %s", err, tt.wantErr)
			}
		})
	}
}
