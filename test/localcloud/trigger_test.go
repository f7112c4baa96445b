package localcloud

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/internal/testbin"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
)

func TestTrigger(t *testing.T) {
	c, client, _ := startCloud(t, fixture, s3events.KeyURL)
	del := func(key string) {
		t.Helper()
		if _, err := client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(c.Bucket()), Key: aws.String(key)}); err != nil {
			t.Fatal(err)
		}
	}
	// kinds lists the detail types of the events the function handled for key, in the
	// order of their sequencers, which the cloud hands out as it sends the events. (The
	// environments run events side by side, so they may finish in another order.) An
	// attempt that failed is retried, as on Lambda, so only the successful attempts
	// count; the failed ones are logged.
	kinds := func(key string) string {
		t.Helper()
		type sent struct{ sequencer, detailType string }
		var events []sent
		for _, inv := range c.Invocations(key) {
			if inv.Err != nil || inv.Result.Failed() {
				t.Logf("%s attempt %d failed and is retried: %v %s %s", key, inv.Attempt, inv.Err, inv.Result.ErrorType, inv.Result.ErrorMessage)
				continue
			}
			var e struct {
				Event struct {
					DetailType string `json:"detail-type"`
					Detail     struct {
						Object struct{ Sequencer string } `json:"object"`
					} `json:"detail"`
				} `json:"event"`
			}
			if err := json.Unmarshal(inv.Result.Payload, &e); err != nil {
				t.Fatalf("stand-in answer %s: %v", inv.Result.Payload, err)
			}
			events = append(events, sent{e.Event.Detail.Object.Sequencer, e.Event.DetailType})
		}
		sort.Slice(events, func(i, j int) bool { return events[i].sequencer < events[j].sequencer })
		var got []string
		for _, e := range events {
			got = append(got, e.detailType)
		}
		return strings.Join(got, ", ")
	}

	c.SetTrigger(TriggerOff)
	put(t, c, client, "off.jpg")
	waitIdle(t, c)
	if got := kinds("off.jpg"); got != "" || c.Writes("off.jpg") != 1 || c.Evaluated("off.jpg") != 0 {
		t.Errorf("trigger off: invoked for %q, %d writes, %d evaluated; want nothing invoked, 1 write, 0 evaluated",
			got, c.Writes("off.jpg"), c.Evaluated("off.jpg"))
	}

	c.SetTrigger(TriggerHeld)
	put(t, c, client, "held.jpg")
	del("held.jpg")
	put(t, c, client, "held.jpg")
	waitIdle(t, c)
	if got := kinds("held.jpg"); got != "" {
		t.Fatalf("trigger held: invoked for %s before it was set on", got)
	}
	c.SetTrigger(TriggerOn)
	waitIdle(t, c)
	if got, want := kinds("held.jpg"), "Object Created, Object Deleted, Object Created"; got != want {
		t.Errorf("held events, once on: %s; want %s", got, want)
	}

	c.SetTrigger(TriggerHeld)
	put(t, c, client, "dropped.jpg")
	c.SetTrigger(TriggerOff)
	c.SetTrigger(TriggerOn)
	put(t, c, client, "on.jpg")
	waitIdle(t, c)
	if got := kinds("dropped.jpg"); got != "" {
		t.Errorf("held, then off: invoked for %s, want the held event dropped", got)
	}
	if got := kinds("on.jpg"); got != "Object Created" {
		t.Errorf("trigger on: invoked for %q", got)
	}
}

func TestStartWithTheTriggerOff(t *testing.T) {
	rie, standin := testbin.Standin(t)
	c, err := Start(Config{Template: fixture, Bootstrap: standin, RIE: rie, Addr: "127.0.0.1:0", StateDir: t.TempDir(), Trigger: TriggerOff})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	put(t, c, s3client.New(c.URL()), "preloaded.jpg")
	waitIdle(t, c)
	if n := len(c.Invocations("preloaded.jpg")); n != 0 || c.Writes("preloaded.jpg") != 1 {
		t.Errorf("started with the trigger off: %d invocations, %d writes; want 0, 1", n, c.Writes("preloaded.jpg"))
	}
}

func TestStartRefusesAnUnknownTrigger(t *testing.T) {
	rie, standin := testbin.Standin(t)
	_, err := Start(Config{Template: fixture, Bootstrap: standin, RIE: rie, Addr: "127.0.0.1:0", StateDir: t.TempDir(), Trigger: Trigger(7)})
	if err == nil || !strings.Contains(err.Error(), "unknown Trigger(7)") {
		t.Errorf("Start: %v, want the unknown trigger refused", err)
	}
}

func TestTriggerString(t *testing.T) {
	for trigger, want := range map[Trigger]string{TriggerOn: "on", TriggerOff: "off", TriggerHeld: "held", Trigger(9): "Trigger(9)"} {
		if got := trigger.String(); got != want {
			t.Errorf("%d: %q, want %q", int(trigger), got, want)
		}
	}
}
