// Command choosenode tells the Makefile which Node.js to run the CDK on (see package
// nodechoice). It prints the npm package to install, or nothing when the Node on PATH will
// do, and says why on stderr; when neither works it prints one line saying what to install
// and exits 1.
//
//	go run ./infra/cmd/choosenode [-os linux] [-arch x64]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/serverless-thumbnails/thumbnails/infra/nodechoice"
)

func main() {
	goos := flag.String("os", runtime.GOOS, "operating system: linux or darwin (uname -s also accepted)")
	arch := flag.String("arch", runtime.GOARCH, "CPU: x64 or arm64 (uname -m and Go names also accepted)")
	flag.Parse()
	choice, err := nodechoice.Choose(nodechoice.PlatformOf(*goos, *arch), nodeOnPath(), time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "==> "+choice.Why)
	fmt.Println(choice.Install)
}

// nodeOnPath returns what `node --version` prints, or "" when there is no working node on PATH.
func nodeOnPath() string {
	path, err := exec.LookPath("node")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
