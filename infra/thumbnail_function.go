package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Defaults of ThumbnailFunctionProps.
const (
	// DefaultRetryAttempts is how often Lambda retries a failed asynchronous invocation: a
	// transient S3 error gets two more chances, a corrupt image fails fast to the failure queue.
	DefaultRetryAttempts = 2
	// DefaultMaxEventAge is how long an event may wait for the function (throttling included)
	// before it goes to the failure queue.
	DefaultMaxEventAge = 6 * time.Hour
	// DefaultTriggerRetryAttempts is how often EventBridge retries handing an event to Lambda.
	// That hand-over fails only when the Lambda API refuses it, which is transient, so use the
	// EventBridge maximum: its back-off spreads the attempts over DefaultTriggerMaxEventAge.
	DefaultTriggerRetryAttempts = 185
	// DefaultTriggerMaxEventAge is how long EventBridge keeps trying before dead-lettering.
	DefaultTriggerMaxEventAge = 6 * time.Hour
	// DefaultLogRetention keeps a month of logs: long enough to look back at an incident,
	// short enough not to pay for logs forever.
	DefaultLogRetention = awslogs.RetentionDays_ONE_MONTH
)

// ThumbnailFunctionProps configure a ThumbnailFunction.
type ThumbnailFunctionProps struct {
	// FunctionProps tune the Lambda function. A zero field takes this construct's default:
	// Runtime PROVIDED_AL2023, Handler "bootstrap", Code built from SourceDir by goBuild,
	// MemorySize DefaultMemoryMB, Timeout DefaultTimeout, Architecture ARM_64, Tracing ACTIVE,
	// RecursiveLoop TERMINATE, LoggingFormat JSON, ApplicationLogLevelV2 from platformLogLevel,
	// RetryAttempts DefaultRetryAttempts, MaxEventAge DefaultMaxEventAge, a description of the
	// thumbnails. Role, LogGroup, OnFailure and Environment are always the construct's own: its
	// IAM policy is written for exactly those.
	// Default: the defaults above, no reserved concurrency.
	awslambda.FunctionProps
	// Bucket holds the images and receives the thumbnails; EventBridge notifications must be
	// enabled on it. Required.
	Bucket awss3.IBucket
	// BucketKey is the KMS key that encrypts Bucket's objects (SSE-KMS); the function may use
	// it through S3 only. Default: nil (S3-managed keys, nothing to grant).
	BucketKey *KMSKeyARN
	// Config is rendered into the function's environment. Default: contract.Default().
	Config *contract.Config
	// SourceDir is the function's Go module, built when FunctionProps.Code is nil.
	// Default: FindFunctionDir().
	SourceDir string
	// LogRetention of the function's log group. Default: DefaultLogRetention.
	LogRetention awslogs.RetentionDays
	// LogRemovalPolicy applies to the log group when the stack is deleted. Default: RETAIN.
	LogRemovalPolicy awscdk.RemovalPolicy
	// TriggerRetryAttempts bound EventBridge's retries of the hand-over to Lambda.
	// Default: DefaultTriggerRetryAttempts.
	TriggerRetryAttempts *float64
	// TriggerMaxEventAge bounds how long EventBridge retries. Default: DefaultTriggerMaxEventAge.
	TriggerMaxEventAge awscdk.Duration
}

// ThumbnailFunction is the thumbnail Lambda function together with what makes it run and what
// it is allowed to do: the EventBridge rule for objects created or deleted outside the output
// prefix, its log group, its own role, and two queues that keep events which could not be
// processed.
type ThumbnailFunction struct {
	constructs.Construct
	// Function makes the thumbnails.
	Function awslambda.Function
	// Role is the function's execution role.
	Role awsiam.Role
	// LogGroup receives the function's logs.
	LogGroup awslogs.LogGroup
	// Rule sends the bucket's "Object Created" and "Object Deleted" events to the function.
	Rule awsevents.Rule
	// FailureQueue receives invocations the function failed on after its retries.
	FailureQueue awssqs.Queue
	// DeadLetterQueue receives events EventBridge could not hand to Lambda.
	DeadLetterQueue awssqs.Queue
}

// NewThumbnailFunction creates the function and its trigger on props.Bucket. It panics, as CDK
// constructs do on misuse, when props or props.Bucket is nil or the function module cannot
// be found.
func NewThumbnailFunction(scope constructs.Construct, id string, props *ThumbnailFunctionProps) *ThumbnailFunction {
	if props == nil || props.Bucket == nil {
		panic(fmt.Sprintf("ThumbnailFunction %q: props.Bucket is required", id))
	}
	p := props.withDefaults()
	// Children hang off the embedded Construct: jsii knows that object, not the Go struct.
	tf := &ThumbnailFunction{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	self := tf.Construct

	tf.LogGroup = awslogs.NewLogGroup(self, jsii.String("LogGroup"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: p.LogRemovalPolicy,
	})
	tf.FailureQueue = newFailedEventQueue(self, "FailureQueue")
	tf.DeadLetterQueue = newFailedEventQueue(self, "DeadLetterQueue")
	tf.Role = newFunctionRole(self, "Role", functionGrants{
		bucket:       p.Bucket,
		outputPrefix: p.Config.OutputPrefix,
		bucketKey:    p.BucketKey,
		logGroup:     tf.LogGroup,
		failureQueue: tf.FailureQueue,
	})

	fp := p.FunctionProps
	// Closed to additions: tracing and the SQS destination would each grant themselves more.
	fp.Role = tf.Role.WithoutPolicyUpdates(nil)
	fp.LogGroup = tf.LogGroup
	fp.OnFailure = awslambdadestinations.NewSqsDestination(tf.FailureQueue)
	fp.Environment = environment(*p.Config)
	tf.Function = awslambda.NewFunction(self, jsii.String("Function"), &fp)

	tf.Rule = awsevents.NewRule(self, jsii.String("ObjectEventsRule"), &awsevents.RuleProps{
		Description:  jsii.String("Objects created or deleted outside " + p.Config.OutputPrefix + " go to the thumbnail function."),
		EventPattern: objectEventsPattern(p.Bucket, p.Config.OutputPrefix),
		Targets: &[]awsevents.IRuleTarget{
			awseventstargets.NewLambdaFunction(tf.Function, &awseventstargets.LambdaFunctionProps{
				DeadLetterQueue: tf.DeadLetterQueue,
				RetryAttempts:   p.TriggerRetryAttempts,
				MaxEventAge:     p.TriggerMaxEventAge,
			}),
		},
	})

	suppressFunctionFindings(tf, p.Bucket, p.Config.OutputPrefix)
	return tf
}

// objectEventsPattern matches objects created in or deleted from bucket (the detail types
// the function handles: a new original gets a thumbnail, a deleted one loses it) whose key does not
// start with prefix: the function's own output, written or deleted, must not trigger it again.
// One rule takes both detail types rather than one rule each: the event reaches the same
// target with the same retries and dead-letter queue either way, and one pattern is all the
// local cloud has to apply.
func objectEventsPattern(bucket awss3.IBucket, prefix string) *awsevents.EventPattern {
	return &awsevents.EventPattern{
		Source:     jsii.Strings(contract.EventBridgeSource),
		DetailType: jsii.Strings(contract.DetailTypeObjectCreated, contract.DetailTypeObjectDeleted),
		Detail: &map[string]any{
			"bucket": map[string]any{"name": &[]*string{bucket.BucketName()}},
			"object": map[string]any{"key": awsevents.Match_AnythingButPrefix(jsii.String(prefix))},
		},
	}
}

// environment renders c as the function's environment variables.
func environment(c contract.Config) *map[string]*string {
	env := make(map[string]*string)
	for k, v := range c.Env() {
		env[k] = jsii.String(v)
	}
	return &env
}

// withDefaults returns a copy of p with every zero field set to its documented default.
func (p ThumbnailFunctionProps) withDefaults() ThumbnailFunctionProps {
	if p.Config == nil {
		c := contract.Default()
		p.Config = &c
	}
	if p.LogRetention == "" {
		p.LogRetention = DefaultLogRetention
	}
	if p.LogRemovalPolicy == "" {
		p.LogRemovalPolicy = awscdk.RemovalPolicy_RETAIN
	}
	if p.TriggerRetryAttempts == nil {
		p.TriggerRetryAttempts = jsii.Number(DefaultTriggerRetryAttempts)
	}
	if p.TriggerMaxEventAge == nil {
		p.TriggerMaxEventAge = seconds(DefaultTriggerMaxEventAge)
	}

	o := &p.FunctionProps
	if o.Runtime == nil {
		o.Runtime = awslambda.Runtime_PROVIDED_AL2023()
	}
	if o.Handler == nil {
		o.Handler = jsii.String("bootstrap")
	}
	if o.Code == nil {
		if p.SourceDir == "" {
			dir, err := FindFunctionDir()
			if err != nil {
				panic(err.Error())
			}
			p.SourceDir = dir
		}
		o.Code = functionCode(p.SourceDir)
	}
	if o.MemorySize == nil {
		o.MemorySize = jsii.Number(DefaultMemoryMB)
	}
	if o.Timeout == nil {
		o.Timeout = seconds(DefaultTimeout)
	}
	if o.Architecture == nil {
		o.Architecture = awslambda.Architecture_ARM_64()
	}
	if o.Tracing == "" {
		o.Tracing = awslambda.Tracing_ACTIVE
	}
	if o.RecursiveLoop == "" {
		o.RecursiveLoop = awslambda.RecursiveLoop_TERMINATE
	}
	if o.LoggingFormat == "" {
		o.LoggingFormat = awslambda.LoggingFormat_JSON
	}
	if o.ApplicationLogLevelV2 == "" && o.LoggingFormat == awslambda.LoggingFormat_JSON {
		o.ApplicationLogLevelV2 = platformLogLevel(p.Config.LogLevel)
	}
	if o.RetryAttempts == nil {
		o.RetryAttempts = jsii.Number(DefaultRetryAttempts)
	}
	if o.MaxEventAge == nil {
		o.MaxEventAge = seconds(DefaultMaxEventAge)
	}
	if o.Description == nil {
		t := p.Config.Thumbnail
		o.Description = jsii.String(fmt.Sprintf("Writes %s %s thumbnails of new images under %s, deletes those of deleted ones.",
			contract.FormatSize(t.Width, t.Height), t.Mode, p.Config.OutputPrefix))
	}
	return p
}

// seconds converts a Go duration to a CDK one.
func seconds(d time.Duration) awscdk.Duration {
	return awscdk.Duration_Seconds(jsii.Number(d.Seconds()))
}

// platformLogLevel is the level at which Lambda filters the function's output. The
// function filters its own JSON logs by Config.LogLevel; Lambda must not filter above
// INFO, because the embedded-metric-format lines carry no level, count as INFO, and
// would be dropped with every metric. Only "debug" lowers it, so debug lines pass.
func platformLogLevel(functionLevel string) awslambda.ApplicationLogLevel {
	if strings.EqualFold(functionLevel, "debug") {
		return awslambda.ApplicationLogLevel_DEBUG
	}
	return awslambda.ApplicationLogLevel_INFO
}
