package e2e

import (
	"context"
	"image/png"
	"io"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/demo"
)

func TestDemoMakesEveryThumbnail(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	rep, err := demo.Run(ctx, demo.Options{Root: root, OutDir: t.TempDir(), StateDir: t.TempDir(), Out: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	broken := 0
	for _, r := range rep.Results {
		if r.Broken {
			broken++
			if r.Output.Bytes != 0 || r.Problem == "" {
				t.Errorf("%s: output %d bytes, problem %q", r.Key, r.Output.Bytes, r.Problem)
			}
		}
	}
	if broken != 1 || len(rep.BrokenLogs) == 0 {
		t.Errorf("%d broken samples, %d log lines about them", broken, len(rep.BrokenLogs))
	}
	f, err := os.Open(rep.ContactSheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.DecodeConfig(f); err != nil {
		t.Errorf("contact sheet: %v", err)
	}
}
