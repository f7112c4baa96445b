package cputime

import (
	"testing"
	"time"
)

func TestOfCountsWorkNotSleep(t *testing.T) {
	busy, err := Of(func() {
		for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	idle, err := Of(func() { time.Sleep(50 * time.Millisecond) })
	if err != nil {
		t.Fatal(err)
	}
	if busy < 10*time.Millisecond {
		t.Errorf("a 50 ms busy loop measured %v of CPU", busy)
	}
	if idle > 20*time.Millisecond {
		t.Errorf("a 50 ms sleep measured %v of CPU", idle)
	}
}
