package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AlarmPeriod is the window each alarm evaluates: SQS publishes queue depths every 5 minutes,
// and one such window is soon enough to learn that images go without thumbnails.
const AlarmPeriod = 5 * time.Minute

// AlarmThreshold is the count that raises every alarm: one failed, throttled or stranded event
// is one image whose thumbnail is missing or late, or one thumbnail that outlived its original.
const AlarmThreshold = 1

// alarmSpec is one alarm of the pipeline: what it watches and what to do when it fires.
type alarmSpec struct {
	// id is the alarm's construct id.
	id string
	// metric is watched over AlarmPeriod.
	metric awscloudwatch.IMetric
	// missing says what no data point means: no activity for the counts of Lambda and
	// EventBridge, which publish only when something happened.
	missing awscloudwatch.TreatMissingData
	// description tells the operator what happened and where to look.
	description string
}

// alarmSpecs lists the alarms of tf: its two queues holding events, the function's errors and
// throttles, and the rule's failed hand-overs.
func alarmSpecs(tf *ThumbnailFunction) []alarmSpec {
	period := seconds(AlarmPeriod)
	queueDepth := &awscloudwatch.MetricOptions{Statistic: awscloudwatch.Stats_MAXIMUM(), Period: period}
	count := &awscloudwatch.MetricOptions{Statistic: awscloudwatch.Stats_SUM(), Period: period}
	return []alarmSpec{
		{
			id:     "FailureQueueAlarm",
			metric: tf.FailureQueue.MetricApproximateNumberOfMessagesVisible(queueDepth),
			// SQS publishes the depth of a queue while it holds messages or is used; an idle,
			// empty queue may publish nothing, which must neither raise nor clear the alarm.
			missing: awscloudwatch.TreatMissingData_IGNORE,
			description: "Events the thumbnail function failed on after its retries wait in the failure " +
				"queue (stack output FailureQueueUrl). Each message holds the event and the error: " +
				"fix the cause, then send the events to the function again or delete them.",
		},
		{
			id:      "DeadLetterQueueAlarm",
			metric:  tf.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(queueDepth),
			missing: awscloudwatch.TreatMissingData_IGNORE,
			description: "Events EventBridge could not hand to the thumbnail function wait in the " +
				"dead-letter queue (stack output DeadLetterQueueUrl): the function was missing, " +
				"refused invocations or was throttled for hours. Fix it, then send the events again.",
		},
		{
			id:      "ErrorsAlarm",
			metric:  tf.Function.MetricErrors(count),
			missing: awscloudwatch.TreatMissingData_NOT_BREACHING,
			description: "The thumbnail function failed on events. Lambda retries each event twice, " +
				"then sends it to the failure queue; the function's ERROR log lines say why.",
		},
		{
			id:      "ThrottlesAlarm",
			metric:  tf.Function.MetricThrottles(count),
			missing: awscloudwatch.TreatMissingData_NOT_BREACHING,
			description: "Invocations of the thumbnail function were throttled by its reserved " +
				"concurrency or the account's limit. Lambda retries them for up to 6 hours, then " +
				"sends them to the failure queue: raise the limit if this persists.",
		},
		{
			id:      "RuleFailedInvocationsAlarm",
			metric:  ruleMetric(tf, "FailedInvocations", count),
			missing: awscloudwatch.TreatMissingData_NOT_BREACHING,
			description: "The EventBridge rule gave up handing events to the thumbnail function. " +
				"They should be in the dead-letter queue; if that queue is empty, EventBridge could " +
				"not write to it either and the events are lost.",
		},
	}
}

// newAlarms creates the alarms of alarmSpecs(tf) in scope.
func newAlarms(scope constructs.Construct, tf *ThumbnailFunction) []awscloudwatch.Alarm {
	specs := alarmSpecs(tf)
	alarms := make([]awscloudwatch.Alarm, len(specs))
	for i, spec := range specs {
		alarms[i] = awscloudwatch.NewAlarm(scope, jsii.String(spec.id), &awscloudwatch.AlarmProps{
			Metric:             spec.metric,
			Threshold:          jsii.Number(AlarmThreshold),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1),
			DatapointsToAlarm:  jsii.Number(1),
			TreatMissingData:   spec.missing,
			AlarmDescription:   jsii.String(spec.description),
		})
	}
	return alarms
}

// ruleMetric is a metric EventBridge publishes for tf's rule on the default event bus.
func ruleMetric(tf *ThumbnailFunction, name string, options *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String("AWS/Events"),
		MetricName:    jsii.String(name),
		DimensionsMap: &map[string]*string{"RuleName": tf.Rule.RuleName()},
		Statistic:     options.Statistic,
		Period:        options.Period,
		Label:         options.Label,
	})
}
