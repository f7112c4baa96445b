package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MonitoringProps configure a Monitoring.
type MonitoringProps struct {
	// Function is watched: its Lambda function, its rule and its two queues. Required.
	Function *ThumbnailFunction
	// AlarmEmail receives every alarm through an SNS topic created for it; it must be a bare
	// address such as ops@example.com.
	// Default: "" (no topic; the alarms show in the CloudWatch console and on the dashboard).
	AlarmEmail string
}

// Monitoring watches a ThumbnailFunction: alarms on events that failed, were throttled or wait
// in a queue, optionally an email topic they notify, and a dashboard.
type Monitoring struct {
	constructs.Construct
	// Alarms are the alarms of alarmSpecs, in that order.
	Alarms []awscloudwatch.Alarm
	// Topic receives the alarms; nil without MonitoringProps.AlarmEmail.
	Topic awssns.Topic
	// Dashboard shows the function, the queues, the rule and the function's own metrics.
	Dashboard awscloudwatch.Dashboard
}

// NewMonitoring creates the alarms, the topic when props.AlarmEmail is set, and the dashboard.
// It panics, as CDK constructs do on misuse, when props or props.Function is nil or
// props.AlarmEmail is not an email address.
func NewMonitoring(scope constructs.Construct, id string, props *MonitoringProps) *Monitoring {
	if props == nil || props.Function == nil {
		panic(fmt.Sprintf("Monitoring %q: props.Function is required", id))
	}
	if props.AlarmEmail != "" {
		if err := validateEmail(props.AlarmEmail); err != nil {
			panic(fmt.Sprintf("Monitoring %q: %v", id, err))
		}
	}
	m := &Monitoring{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	m.Alarms = newAlarms(m.Construct, props.Function)
	if props.AlarmEmail != "" {
		m.Topic = newAlarmTopic(m.Construct, "AlarmTopic", props.AlarmEmail)
		notify := awscloudwatchactions.NewSnsAction(m.Topic)
		for _, alarm := range m.Alarms {
			alarm.AddAlarmAction(notify)
		}
	}
	m.Dashboard = newDashboard(m.Construct, "Dashboard", props.Function, m.Alarms)
	return m
}
