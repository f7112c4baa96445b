package backfill

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// invokeAsync hands payload to function by an asynchronous invoke: Lambda
// queues the event, answers 202 and runs the function later, retrying it on
// failure and throttling as it does for S3's own events.
func invokeAsync(ctx context.Context, client Invoker, function string, payload []byte) error {
	out, err := client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   aws.String(function),
		InvocationType: types.InvocationTypeEvent,
		Payload:        payload,
	})
	if err != nil {
		return err
	}
	if out.StatusCode != http.StatusAccepted {
		return fmt.Errorf("invoke answered status %d, want %d for an asynchronous invoke", out.StatusCode, http.StatusAccepted)
	}
	return nil
}

// reasonOf says why a call failed in one short line: the service's error code
// and message when it answered, else the error itself. The SDK's full text
// repeats the operation and a request id, which would make every failure's
// reason unique and the summary unable to group them.
func reasonOf(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		if msg := api.ErrorMessage(); msg != "" {
			return api.ErrorCode() + ": " + msg
		}
		return api.ErrorCode()
	}
	return err.Error()
}
