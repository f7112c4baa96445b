// Command infra is the CDK app of the serverless thumbnails: `cdk synth` at the repository root
// runs it (cdk.json: "go run ./infra") and writes cdk.out/Thumbnails.template.json.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run synthesizes the app; context comes from the CDK CLI.
func run() error {
	defer jsii.Close()
	app, _, err := NewApp(nil)
	if err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}
