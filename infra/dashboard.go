package main

import (
	"fmt"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// DashboardPeriod is the width of one point on the dashboard's graphs.
const DashboardPeriod = 5 * time.Minute

// Widget sizes: a dashboard row is 24 units wide.
const (
	dashboardWidth = 24
	thirdWidth     = dashboardWidth / 3
	halfWidth      = dashboardWidth / 2
	graphHeight    = 6
	alarmsHeight   = 3
)

// newDashboard creates the dashboard of tf, one row a concern: the alarms; the function as
// Lambda sees it; the events waiting or failed outside it; and, from the function's own
// embedded metrics, what it did with each image and why it skipped or refused any.
func newDashboard(scope constructs.Construct, id string, tf *ThumbnailFunction, alarms []awscloudwatch.Alarm) awscloudwatch.Dashboard {
	alarmRefs := make([]interfacesawscloudwatch.IAlarmRef, len(alarms))
	for i, a := range alarms {
		alarmRefs[i] = a
	}
	m := dashboardMetrics{tf: tf}
	return awscloudwatch.NewDashboard(scope, jsii.String(id), &awscloudwatch.DashboardProps{
		Widgets: &[]*[]awscloudwatch.IWidget{
			{
				awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
					Title: jsii.String("Alarms"), Alarms: &alarmRefs,
					Width: jsii.Number(dashboardWidth), Height: jsii.Number(alarmsHeight),
				}),
			},
			{
				graph("Function: invocations, errors, throttles", thirdWidth,
					m.lambda("Invocations", awscloudwatch.Stats_SUM()),
					m.lambda("Errors", awscloudwatch.Stats_SUM()),
					m.lambda("Throttles", awscloudwatch.Stats_SUM())),
				graph("Function: duration (ms)", thirdWidth,
					m.lambda("Duration", awscloudwatch.Stats_P(jsii.Number(50))),
					m.lambda("Duration", awscloudwatch.Stats_P(jsii.Number(99))),
					m.lambda("Duration", awscloudwatch.Stats_MAXIMUM())),
				graph("Function: concurrent executions", thirdWidth,
					m.lambda("ConcurrentExecutions", awscloudwatch.Stats_MAXIMUM())),
			},
			{
				graph("Events waiting in the queues", halfWidth,
					tf.FailureQueue.MetricApproximateNumberOfMessagesVisible(m.options(awscloudwatch.Stats_MAXIMUM(), "Failure queue")),
					tf.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(m.options(awscloudwatch.Stats_MAXIMUM(), "Dead-letter queue"))),
				graph("Rule: events handed to the function", halfWidth,
					ruleMetric(tf, "Invocations", m.options(awscloudwatch.Stats_SUM(), "Invocations")),
					ruleMetric(tf, "FailedInvocations", m.options(awscloudwatch.Stats_SUM(), "Failed invocations"))),
			},
			{
				graph("Thumbnails: records by outcome", thirdWidth,
					m.handler(contract.MetricThumbnailsMade, awscloudwatch.Stats_SUM()),
					m.handler(contract.MetricThumbnailsDeleted, awscloudwatch.Stats_SUM()),
					m.handler(contract.MetricSkipped, awscloudwatch.Stats_SUM()),
					m.handler(contract.MetricRejected, awscloudwatch.Stats_SUM()),
					m.handler(contract.MetricTransientFailures, awscloudwatch.Stats_SUM())),
				graph("Thumbnails: time per image (ms)", thirdWidth,
					m.handler(contract.MetricDuration, awscloudwatch.Stats_P(jsii.Number(50))),
					m.handler(contract.MetricDuration, awscloudwatch.Stats_P(jsii.Number(99))),
					m.handler(contract.MetricDuration, awscloudwatch.Stats_MAXIMUM())),
				awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
					Title: jsii.String("Thumbnails: originals (bytes left, pixels right)"),
					Width: jsii.Number(thirdWidth), Height: jsii.Number(graphHeight),
					Left: &[]awscloudwatch.IMetric{
						m.handler(contract.MetricSourceBytes, awscloudwatch.Stats_AVERAGE()),
						m.handler(contract.MetricSourceBytes, awscloudwatch.Stats_MAXIMUM()),
					},
					Right: &[]awscloudwatch.IMetric{
						m.handler(contract.MetricSourcePixels, awscloudwatch.Stats_AVERAGE()),
						m.handler(contract.MetricSourcePixels, awscloudwatch.Stats_MAXIMUM()),
					},
				}),
			},
			{
				graph("Thumbnails: skipped, rejected and retried records by reason", dashboardWidth,
					m.byReason(contract.MetricSkipped),
					m.byReason(contract.MetricRejected),
					m.byReason(contract.MetricTransientFailures)),
			},
		},
	})
}

// graph is a line graph of metrics on the left axis.
func graph(title string, width int, metrics ...awscloudwatch.IMetric) awscloudwatch.GraphWidget {
	return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
		Title:  jsii.String(title),
		Width:  jsii.Number(width),
		Height: jsii.Number(graphHeight),
		Left:   &metrics,
	})
}

// dashboardMetrics builds the dashboard's metrics of one ThumbnailFunction.
type dashboardMetrics struct {
	tf *ThumbnailFunction
}

// options are a statistic over DashboardPeriod with a label; an empty label lets CloudWatch
// name the line.
func (dashboardMetrics) options(statistic *string, label string) *awscloudwatch.MetricOptions {
	o := &awscloudwatch.MetricOptions{Statistic: statistic, Period: seconds(DashboardPeriod)}
	if label != "" {
		o.Label = jsii.String(label)
	}
	return o
}

// lambda is a metric Lambda publishes for the function, labelled with its name and statistic.
func (m dashboardMetrics) lambda(name string, statistic *string) awscloudwatch.Metric {
	return m.tf.Function.Metric(jsii.String(name), m.options(statistic, name+" "+*statistic))
}

// handler is one of the function's own metrics, on the dimension set [FunctionName] the
// function gives every metric it emits.
func (m dashboardMetrics) handler(name string, statistic *string) awscloudwatch.Metric {
	o := m.options(statistic, name+" "+*statistic)
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String(contract.MetricsNamespace),
		MetricName:    jsii.String(name),
		DimensionsMap: &map[string]*string{contract.DimensionFunctionName: m.tf.Function.FunctionName()},
		Statistic:     o.Statistic,
		Period:        o.Period,
		Label:         o.Label,
	})
}

// byReason finds every Reason the function reported for the count metric name, one line each:
// reasons are open-ended, so a search finds them rather than a fixed list.
func (m dashboardMetrics) byReason(name string) awscloudwatch.MathExpression {
	search := fmt.Sprintf(`SEARCH('{%s,%s,%s} MetricName="%s" %s="%s"', 'Sum', %d)`,
		contract.MetricsNamespace, contract.DimensionFunctionName, contract.DimensionReason,
		name, contract.DimensionFunctionName, *m.tf.Function.FunctionName(), int(DashboardPeriod.Seconds()))
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(search),
		Label:      jsii.String(""),
		Period:     seconds(DashboardPeriod),
	})
}
