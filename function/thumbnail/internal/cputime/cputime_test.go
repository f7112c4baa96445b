package cputime

import (
	"testing"
	"time"
)

func TestOfCountsWorkNotSleep(t *testing.T) {
	sink := uint64(1)
	busy, err := Of(func() {
		for i := range uint64(200_000_000) { // about 100 ms of one core
			sink = sink*6364136223846793005 + i
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	idle, err := Of(func() { time.Sleep(50 * time.Millisecond) })
	if err != nil {
		t.Fatal(err)
	}
	if busy < 20*time.Millisecond || sink == 0 {
		t.Errorf("a busy loop of about 100 ms measured %v of CPU", busy)
	}
	if idle > 20*time.Millisecond {
		t.Errorf("a 50 ms sleep measured %v of CPU", idle)
	}
}
