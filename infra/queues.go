package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// failedEventRetention keeps failed events as long as SQS allows, so an operator back from
// a long weekend can still inspect and replay them.
var failedEventRetention = awscdk.Duration_Days(jsii.Number(14))

// newFailedEventQueue creates a queue that holds events the pipeline gave up on: encrypted at
// rest with SQS-managed keys and refusing any request not made over TLS. Its messages are
// records of work to redo, not data, so the queue goes with the stack (the SQS default).
func newFailedEventQueue(scope constructs.Construct, id string) awssqs.Queue {
	return awssqs.NewQueue(scope, jsii.String(id), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: failedEventRetention,
	})
}
