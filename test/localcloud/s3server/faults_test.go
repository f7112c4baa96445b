package s3server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

// getWith reads key with at most attempts tries, as a client with the SDK's retries does.
func getWith(ctx context.Context, c *s3.Client, key string, attempts int) error {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *s3.Options) { o.RetryMaxAttempts = attempts })
	if err == nil {
		err = out.Body.Close()
	}
	return err
}

func TestFaultEffects(t *testing.T) {
	tests := []struct {
		name     string
		fault    Fault
		attempts int
		// check judges the client's error.
		check func(err error) error
	}{
		{
			name:     "status",
			fault:    Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Code: "SlowDown"},
			attempts: 1,
			check: func(err error) error {
				var apiErr smithy.APIError
				if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SlowDown" {
					return fmt.Errorf("got %v, want SlowDown", err)
				}
				return nil
			},
		},
		{
			name:     "reset",
			fault:    Fault{Method: http.MethodGet, Reset: true},
			attempts: 1,
			check: func(err error) error {
				if err == nil || !strings.Contains(err.Error(), "connection reset") {
					return fmt.Errorf("got %v, want a connection reset", err)
				}
				return nil
			},
		},
		{
			name:     "reset is retried by the SDK",
			fault:    Fault{Method: http.MethodGet, Reset: true, Limit: 2},
			attempts: 3,
			check:    noError,
		},
		{
			name:     "status is retried by the SDK",
			fault:    Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Code: "SlowDown", Limit: 2},
			attempts: 3,
			check:    noError,
		},
		{
			name:     "delay alone serves the request",
			fault:    Fault{Method: http.MethodGet, Delay: 20 * time.Millisecond},
			attempts: 1,
			check:    noError,
		},
		{
			name:     "other methods pass",
			fault:    Fault{Method: http.MethodPut, Reset: true},
			attempts: 1,
			check:    noError,
		},
		{
			name:     "other keys pass",
			fault:    Fault{Method: http.MethodGet, Key: "other.jpg", Reset: true},
			attempts: 1,
			check:    noError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := start(t, t.TempDir())
			c := s3client.New(s.URL())
			ctx := context.Background()
			if err := put(ctx, c, "a.jpg", "data"); err != nil {
				t.Fatal(err)
			}
			var strikes atomic.Int32
			tt.fault.Bucket = bucket
			tt.fault.OnStrike = func() { strikes.Add(1) }
			remove := s.InjectFault(tt.fault)
			if err := tt.check(getWith(ctx, c, "a.jpg", tt.attempts)); err != nil {
				t.Error(err)
			}
			remove()
			before := strikes.Load()
			if err := getWith(ctx, c, "a.jpg", 1); err != nil {
				t.Errorf("GET after the fault was removed: %v", err)
			}
			if strikes.Load() != before {
				t.Error("a removed fault still struck")
			}
		})
	}
}

func noError(err error) error { return err }

func TestDelayHoldsTheAnswer(t *testing.T) {
	s, _ := start(t, t.TempDir())
	c := s3client.New(s.URL())
	if err := put(context.Background(), c, "a.jpg", "data"); err != nil {
		t.Fatal(err)
	}
	const delay = 300 * time.Millisecond
	remove := s.InjectFault(Fault{Method: http.MethodGet, Bucket: bucket, Delay: delay, Status: http.StatusServiceUnavailable, Code: "SlowDown"})
	defer remove()

	began := time.Now()
	err := getWith(context.Background(), c, "a.jpg", 1)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SlowDown" {
		t.Errorf("got %v, want SlowDown after the delay", err)
	}
	// A timer never fires early: the answer cannot come sooner than the delay.
	if waited := time.Since(began); waited < delay {
		t.Errorf("answered after %v, before the %v delay", waited, delay)
	}

	// A client that stops waiting is let go of: its request ends with its context.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := getWith(ctx, c, "a.jpg", 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the client's deadline", err)
	}
}

func TestResetWriteIsNotStored(t *testing.T) {
	s, rec := start(t, t.TempDir())
	c := s3client.New(s.URL())
	remove := s.InjectFault(Fault{Method: http.MethodPut, Bucket: bucket, Reset: true})
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.jpg"),
		Body: strings.NewReader("data")}, func(o *s3.Options) { o.RetryMaxAttempts = 1 })
	if err == nil {
		t.Fatal("a PUT whose connection was reset succeeded")
	}
	remove()
	if changes := rec.take(); len(changes) != 0 {
		t.Errorf("changes %+v, want none", changes)
	}
	if err := getWith(context.Background(), c, "a.jpg", 1); err == nil {
		t.Error("the object exists after its PUT was reset")
	}
}

// outcomes sends requests GETs of keys k0..k9, rounds times each, and says which failed.
func outcomes(t *testing.T, fault Fault, rounds int) []bool {
	t.Helper()
	s, _ := start(t, t.TempDir())
	c := s3client.New(s.URL())
	ctx := context.Background()
	for k := 0; k < 10; k++ {
		if err := put(ctx, c, fmt.Sprintf("k%d", k), "data"); err != nil {
			t.Fatal(err)
		}
	}
	fault.Bucket = bucket
	defer s.InjectFault(fault)()
	var failed []bool
	for r := 0; r < rounds; r++ {
		for k := 0; k < 10; k++ {
			failed = append(failed, getWith(ctx, c, fmt.Sprintf("k%d", k), 1) != nil)
		}
	}
	return failed
}

func count(failed []bool) int {
	n := 0
	for _, f := range failed {
		if f {
			n++
		}
	}
	return n
}

func TestShareStrikesAReproducibleFraction(t *testing.T) {
	slowDown := Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Code: "SlowDown", Share: 0.2}
	withSeed := func(seed uint64) Fault { f := slowDown; f.Seed = seed; return f }

	first := outcomes(t, withSeed(7), 30)
	if n := count(first); n < 30 || n > 90 {
		t.Errorf("%d of %d requests struck, want about 20%%", n, len(first))
	}
	if again := outcomes(t, withSeed(7), 30); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Error("the same seed struck other requests")
	}
	if other := outcomes(t, withSeed(8), 30); fmt.Sprint(other) == fmt.Sprint(first) {
		t.Error("another seed struck the same requests")
	}
}

func TestLimitAndOrder(t *testing.T) {
	tests := []struct {
		name   string
		faults []Fault
		want   string // which of six GETs of one key fail: x fails, . passes
	}{
		{"limit", []Fault{{Status: http.StatusServiceUnavailable, Code: "SlowDown", Limit: 2}}, "xx...."},
		{"first injected wins", []Fault{
			{Status: http.StatusServiceUnavailable, Code: "SlowDown", Limit: 1},
			{Status: http.StatusInternalServerError, Code: "InternalError", Limit: 2},
		}, "xxx..."},
		{"a spent fault lets the next strike", []Fault{
			{Limit: 3, Delay: time.Millisecond},
			{Status: http.StatusServiceUnavailable, Code: "SlowDown", Limit: 1},
		}, "...x.."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := start(t, t.TempDir())
			c := s3client.New(s.URL())
			ctx := context.Background()
			if err := put(ctx, c, "a.jpg", "data"); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.faults {
				f.Method, f.Bucket = http.MethodGet, bucket
				defer s.InjectFault(f)()
			}
			var got strings.Builder
			for i := 0; i < len(tt.want); i++ {
				if getWith(ctx, c, "a.jpg", 1) != nil {
					got.WriteByte('x')
				} else {
					got.WriteByte('.')
				}
			}
			if got.String() != tt.want {
				t.Errorf("got %s, want %s", got.String(), tt.want)
			}
		})
	}
}

func TestDrawIsUniformAndFixed(t *testing.T) {
	tests := []struct {
		seed     uint64
		identity string
	}{
		{1, "GET /images/a.jpg"},
		{1, "GET /images/b.jpg"},
		{2, "GET /images/a.jpg"},
		{2, "PUT /images/a.jpg"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.seed, tt.identity), func(t *testing.T) {
			const n = 10000
			below := 0
			for i := uint64(0); i < n; i++ {
				d := draw(tt.seed, tt.identity, i)
				if d < 0 || d >= 1 {
					t.Fatalf("draw %d = %v, outside [0, 1)", i, d)
				}
				if d != draw(tt.seed, tt.identity, i) {
					t.Fatalf("draw %d changed between calls", i)
				}
				if d < 0.2 {
					below++
				}
			}
			// 2000 expected; the standard deviation is 40.
			if below < 1800 || below > 2200 {
				t.Errorf("%d of %d draws below 0.2, want about 2000", below, n)
			}
		})
	}
}
