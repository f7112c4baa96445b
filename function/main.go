// Command bootstrap is the Lambda entry point. Replaced by the real wiring in handler work.
package main

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, e json.RawMessage) error {
		return errors.New("handler not wired yet")
	})
}
