// Command standin is a small Lambda function for testing the local cloud's runtime
// without the product: its behaviour is chosen by the event it receives.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// request selects the behaviour. An S3 event succeeds unless its key contains "fail".
type request struct {
	Detail struct {
		Object struct {
			Key string `json:"key"`
		} `json:"object"`
	} `json:"detail"`
	Fail    string `json:"fail"`    // return an error with this message
	SleepMs int    `json:"sleepMs"` // sleep first
	Exit    int    `json:"exit"`    // exit the process with this code (crash)
	AllocMB int    `json:"allocMB"` // allocate and touch this much memory
	Log     string `json:"log"`     // write this line to stdout
}

type response struct {
	RequestID string          `json:"requestId"`
	Event     json.RawMessage `json:"event"`
	Env       string          `json:"env"`
	Allocated int             `json:"allocated"`
}

var kept [][]byte

func handle(ctx context.Context, raw json.RawMessage) (response, error) {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return response{}, fmt.Errorf("event: %w", err)
	}
	if req.Log != "" {
		fmt.Println(req.Log)
	}
	if req.SleepMs > 0 {
		time.Sleep(time.Duration(req.SleepMs) * time.Millisecond)
	}
	if req.Exit != 0 {
		os.Exit(req.Exit)
	}
	total := 0
	for i := 0; i < req.AllocMB; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(j)
		}
		kept = append(kept, b)
		total += len(b)
	}
	if req.Fail != "" {
		return response{}, errors.New(req.Fail)
	}
	if strings.Contains(req.Detail.Object.Key, "fail") {
		return response{}, fmt.Errorf("object %s: asked to fail", req.Detail.Object.Key)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	var id string
	if lc != nil {
		id = lc.AwsRequestID
	}
	return response{RequestID: id, Event: raw, Env: os.Getenv("STANDIN_ENV"), Allocated: total}, nil
}

func main() { lambda.Start(handle) }
