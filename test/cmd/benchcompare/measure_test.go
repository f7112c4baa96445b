package main

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestMeasureChild(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	u, err := measure(sh, "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done")
	if err != nil {
		t.Fatal(err)
	}
	if u.cpu <= 0 || u.maxRSS < 1<<10 || u.wall < u.cpu/4 {
		t.Errorf("usage %+v: want positive CPU and wall time and a resident set of at least 1 KiB", u)
	}
	_, err = measure(sh, "-c", "echo broken >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("a failing child gave error %v, want one carrying its stderr", err)
	}
}

func TestExpand(t *testing.T) {
	got := expand("-format png {in} {out}", "a b.jpg", "/tmp/o.png")
	want := []string{"-format", "png", "a b.jpg", "/tmp/o.png"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expand = %q, want %q", got, want)
	}
}
