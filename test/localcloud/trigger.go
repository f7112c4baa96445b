package localcloud

import (
	"fmt"
	"sync"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// Trigger is what becomes of the object writes and deletes of the S3 API.
type Trigger int

const (
	// TriggerOn turns each change into the event S3 sends and hands it to the rules.
	TriggerOn Trigger = iota
	// TriggerOff stores objects and sends no event, as a bucket whose EventBridge
	// notifications are turned off: objects loaded so wait for a backfill.
	TriggerOff
	// TriggerHeld keeps the changes, in order, until the trigger is set on, which sends
	// their events, or off, which drops them: an event that arrives late, after later
	// writes to its key.
	TriggerHeld
)

// String names the trigger state.
func (t Trigger) String() string {
	switch t {
	case TriggerOn:
		return "on"
	case TriggerOff:
		return "off"
	case TriggerHeld:
		return "held"
	}
	return fmt.Sprintf("Trigger(%d)", int(t))
}

// triggerGate decides, change by change, whether the event goes out now.
type triggerGate struct {
	mu    sync.Mutex
	state Trigger
	held  []s3server.Change
}

// admit reports whether the event of ch goes out now; a held change is kept.
func (g *triggerGate) admit(ch s3server.Change) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch g.state {
	case TriggerOn:
		return true
	case TriggerHeld:
		g.held = append(g.held, ch)
	}
	return false
}

// set changes the state. Leaving TriggerHeld hands the held changes to deliver, in
// order, when the new state is on, and drops them when it is off. deliver runs under
// the gate's lock, so no change that arrives meanwhile overtakes a held one.
func (g *triggerGate) set(t Trigger, deliver func(s3server.Change)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.state = t
	if t == TriggerHeld {
		return
	}
	held := g.held
	g.held = nil
	if t == TriggerOn {
		for _, ch := range held {
			deliver(ch)
		}
	}
}

// SetTrigger turns the trigger on, off or to held. Set on after held, it sends the
// held events in the order of their changes; set off after held, it drops them.
func (c *Cloud) SetTrigger(t Trigger) { c.trigger.set(t, c.deliver) }
