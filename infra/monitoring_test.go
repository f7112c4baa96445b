package main

import (
	"encoding/json"
	"fmt"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"maps"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// Logical id prefixes of the monitoring resources.
const (
	alarmTopicPrefix = "MonitoringAlarmTopic"
	dashboardPrefix  = "MonitoringDashboard"
)

// alarmEmail is the address the alarm-email variant subscribes.
const alarmEmail = "ops@example.com"

// withAlarmEmail is the context of a deployment whose alarms notify alarmEmail.
var withAlarmEmail = map[string]any{ContextAlarmEmail: alarmEmail}

func TestAlarmsWatchQueuesFailuresAndThrottles(t *testing.T) {
	s := defaults(t)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	ruleID, _ := s.only(t, "AWS::Events::Rule", rulePrefix)
	failureID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	dlqID, _ := s.only(t, "AWS::SQS::Queue", deadLetterPrefix)

	dimension := func(name string, value any) []any {
		return []any{map[string]any{"Name": name, "Value": value}}
	}
	tests := []struct {
		prefix, namespace, metric, statistic, missing string
		dimensions                                    []any
	}{
		{"MonitoringFailureQueueAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", "ignore",
			dimension("QueueName", getAtt(failureID, "QueueName"))},
		{"MonitoringDeadLetterQueueAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", "ignore",
			dimension("QueueName", getAtt(dlqID, "QueueName"))},
		{"MonitoringErrorsAlarm", "AWS/Lambda", "Errors", "Sum", "notBreaching",
			dimension("FunctionName", ref(fnID))},
		{"MonitoringThrottlesAlarm", "AWS/Lambda", "Throttles", "Sum", "notBreaching",
			dimension("FunctionName", ref(fnID))},
		{"MonitoringRuleFailedInvocationsAlarm", "AWS/Events", "FailedInvocations", "Sum", "notBreaching",
			dimension("RuleName", ref(ruleID))},
	}
	for _, tt := range tests {
		t.Run(tt.metric+" "+tt.prefix, func(t *testing.T) {
			_, cached := s.only(t, "AWS::CloudWatch::Alarm", tt.prefix)
			props := maps.Clone(cached) // the template is shared with other tests
			description, _ := props["AlarmDescription"].(string)
			if len(description) < 80 {
				t.Errorf("AlarmDescription %q is too short to tell an operator what to do", description)
			}
			delete(props, "AlarmDescription")
			want := map[string]any{
				"Namespace":          tt.namespace,
				"MetricName":         tt.metric,
				"Dimensions":         tt.dimensions,
				"Statistic":          tt.statistic,
				"Period":             AlarmPeriod.Seconds(),
				"Threshold":          float64(AlarmThreshold),
				"ComparisonOperator": "GreaterThanOrEqualToThreshold",
				"EvaluationPeriods":  1.0,
				"DatapointsToAlarm":  1.0,
				"TreatMissingData":   tt.missing,
			}
			if diff := cmp.Diff(want, props); diff != "" {
				t.Errorf("alarm properties (-want +got):\n%s", diff)
			}
		})
	}
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(len(tests))) })
}

func TestAlarmActionsNotifyTheEmailTopicOnlyWhenSet(t *testing.T) {
	tests := []struct {
		name   string
		ctx    map[string]any
		topics int
	}{
		{"without alarmEmail", nil, 0},
		{"with alarmEmail", withAlarmEmail, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := synth(t, tt.ctx)
			check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(tt.topics)) })
			check(t, func() {
				s.template.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(tt.topics))
			})
			var wantActions any
			if tt.topics > 0 {
				topicID, _ := s.only(t, "AWS::SNS::Topic", alarmTopicPrefix)
				wantActions = []any{ref(topicID)}
			}
			alarms := s.resources("AWS::CloudWatch::Alarm")
			if len(alarms) == 0 {
				t.Fatal("no alarms")
			}
			for id, alarm := range alarms {
				props := alarm["Properties"].(map[string]any)
				if diff := cmp.Diff(wantActions, props["AlarmActions"]); diff != "" {
					t.Errorf("%s AlarmActions (-want +got):\n%s", id, diff)
				}
			}
			_, hasOutput := s.json["Outputs"].(map[string]any)["AlarmTopicArn"]
			if hasOutput != (tt.topics > 0) {
				t.Errorf("AlarmTopicArn output present = %v, want %v", hasOutput, tt.topics > 0)
			}
		})
	}
}

func TestAlarmTopicMailsTheAddressOverTLSAndTakesAlarmsOfThisAccount(t *testing.T) {
	s := synth(t, withAlarmEmail)
	topicID, topic := s.only(t, "AWS::SNS::Topic", alarmTopicPrefix)
	if diff := cmp.Diff(map[string]any{"DisplayName": "Thumbnails alarms"}, topic); diff != "" {
		t.Errorf("topic properties (-want +got):\n%s", diff)
	}
	_, subscription := s.only(t, "AWS::SNS::Subscription", alarmTopicPrefix)
	wantSubscription := map[string]any{"Protocol": "email", "Endpoint": alarmEmail, "TopicArn": ref(topicID)}
	if diff := cmp.Diff(wantSubscription, subscription); diff != "" {
		t.Errorf("subscription (-want +got):\n%s", diff)
	}
	_, policy := s.only(t, "AWS::SNS::TopicPolicy", alarmTopicPrefix)
	if diff := cmp.Diff([]any{ref(topicID)}, policy["Topics"]); diff != "" {
		t.Errorf("topic policy Topics (-want +got):\n%s", diff)
	}
	wantStatements := []any{
		map[string]any{
			"Sid":       "AllowPublishThroughSSLOnly",
			"Effect":    "Deny",
			"Action":    "sns:Publish",
			"Principal": "*",
			"Resource":  ref(topicID),
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		},
		map[string]any{
			"Sid":       "AllowAlarmsOfThisAccount",
			"Effect":    "Allow",
			"Action":    "sns:Publish",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Resource":  ref(topicID),
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": ref("AWS::AccountId")},
				"ArnLike": map[string]any{"aws:SourceArn": map[string]any{
					"Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*",
				}},
			},
		},
	}
	got := policy["PolicyDocument"].(map[string]any)["Statement"]
	if diff := cmp.Diff(wantStatements, got); diff != "" {
		t.Errorf("topic policy statements (-want +got):\n%s", diff)
	}
	output := s.json["Outputs"].(map[string]any)["AlarmTopicArn"].(map[string]any)["Value"]
	if diff := cmp.Diff(ref(topicID), output); diff != "" {
		t.Errorf("AlarmTopicArn output (-want +got):\n%s", diff)
	}
}

// TestAlarmTopicNeedsNoSuppression: no pack addNagChecks runs has a finding on the topic,
// so a suppression on it would only hide a future one.
func TestAlarmTopicNeedsNoSuppression(t *testing.T) {
	s := synth(t, withAlarmEmail)
	topicID, _ := s.only(t, "AWS::SNS::Topic", alarmTopicPrefix)
	meta, _ := s.resources("AWS::SNS::Topic")[topicID]["Metadata"].(map[string]any)
	if nag, ok := meta["cdk_nag"]; ok {
		t.Errorf("topic suppressions %v, want none", nag)
	}
}

func TestDashboardShowsTheFunctionTheQueuesAndItsOwnMetrics(t *testing.T) {
	s := defaults(t)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	ruleID, _ := s.only(t, "AWS::Events::Rule", rulePrefix)
	failureID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	dlqID, _ := s.only(t, "AWS::SQS::Queue", deadLetterPrefix)
	dashboardID, props := s.only(t, "AWS::CloudWatch::Dashboard", dashboardPrefix)
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(1)) })
	widgets := dashboardWidgets(t, props["DashboardBody"])

	fn := "FunctionName=Ref(" + fnID + ")"
	own := func(metric, stat string) string {
		return contract.MetricsNamespace + " " + metric + " " + contract.DimensionFunctionName + "=Ref(" + fnID + ") " + stat
	}
	byReason := func(metric string) string {
		return fmt.Sprintf(`SEARCH('{%s,%s,%s} MetricName="%s" %s="Ref(%s)"', 'Sum', 300)`,
			contract.MetricsNamespace, contract.DimensionFunctionName, contract.DimensionReason,
			metric, contract.DimensionFunctionName, fnID)
	}
	want := []string{
		"AWS/Lambda Invocations " + fn + " Sum",
		"AWS/Lambda Errors " + fn + " Sum",
		"AWS/Lambda Throttles " + fn + " Sum",
		"AWS/Lambda Duration " + fn + " p50",
		"AWS/Lambda Duration " + fn + " p99",
		"AWS/Lambda Duration " + fn + " Maximum",
		"AWS/Lambda ConcurrentExecutions " + fn + " Maximum",
		"AWS/SQS ApproximateNumberOfMessagesVisible QueueName=GetAtt(" + failureID + ".QueueName) Maximum",
		"AWS/SQS ApproximateNumberOfMessagesVisible QueueName=GetAtt(" + dlqID + ".QueueName) Maximum",
		"AWS/Events Invocations RuleName=Ref(" + ruleID + ") Sum",
		"AWS/Events FailedInvocations RuleName=Ref(" + ruleID + ") Sum",
		own(contract.MetricThumbnailsMade, "Sum"),
		own(contract.MetricThumbnailsDeleted, "Sum"),
		own(contract.MetricSkipped, "Sum"),
		own(contract.MetricRejected, "Sum"),
		own(contract.MetricTransientFailures, "Sum"),
		own(contract.MetricDuration, "p50"),
		own(contract.MetricDuration, "p99"),
		own(contract.MetricDuration, "Maximum"),
		own(contract.MetricSourceBytes, "Average"),
		own(contract.MetricSourceBytes, "Maximum"),
		own(contract.MetricSourcePixels, "Average"),
		own(contract.MetricSourcePixels, "Maximum"),
		byReason(contract.MetricSkipped),
		byReason(contract.MetricRejected),
		byReason(contract.MetricTransientFailures),
	}
	var got, alarms []string
	for _, w := range widgets {
		got = append(got, w.metrics()...)
		alarms = append(alarms, w.Properties.Alarms...)
	}
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s metrics (-want +got):\n%s", dashboardID, diff)
	}

	var wantAlarms []string
	for id := range s.resources("AWS::CloudWatch::Alarm") {
		wantAlarms = append(wantAlarms, "GetAtt("+id+".Arn)")
	}
	sort.Strings(wantAlarms)
	sort.Strings(alarms)
	if diff := cmp.Diff(wantAlarms, alarms); diff != "" {
		t.Errorf("%s alarm widget (-want +got):\n%s", dashboardID, diff)
	}

	output := s.json["Outputs"].(map[string]any)["DashboardName"].(map[string]any)["Value"]
	if diff := cmp.Diff(ref(dashboardID), output); diff != "" {
		t.Errorf("DashboardName output (-want +got):\n%s", diff)
	}
}

func TestDashboardRowsFitTheGrid(t *testing.T) {
	_, props := defaults(t).only(t, "AWS::CloudWatch::Dashboard", dashboardPrefix)
	for _, w := range dashboardWidgets(t, props["DashboardBody"]) {
		if w.X < 0 || w.Width <= 0 || w.X+w.Width > dashboardWidth || w.Height <= 0 {
			t.Errorf("widget %q at x=%d width=%d height=%d does not fit a %d-wide dashboard",
				w.Properties.Title, w.X, w.Width, w.Height, dashboardWidth)
		}
	}
}

func TestNewMonitoringRefusesMisuse(t *testing.T) {
	tests := []struct {
		name    string
		props   *MonitoringProps
		wantErr string
	}{
		{"nil props", nil, `Monitoring "Monitoring": props.Function is required`},
		{"no function", &MonitoringProps{AlarmEmail: alarmEmail}, `Monitoring "Monitoring": props.Function is required`},
		{"bad email", &MonitoringProps{Function: &ThumbnailFunction{}, AlarmEmail: "ops"}, `Monitoring "Monitoring": alarm email "ops"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Misuse"), nil)
			defer func() {
				r := recover()
				if msg := fmt.Sprint(r); r == nil || !strings.HasPrefix(msg, tt.wantErr) {
					t.Errorf("panic = %v, want one starting with %s", r, tt.wantErr)
				}
			}()
			NewMonitoring(stack, "Monitoring", tt.props)
		})
	}
}

// dashboardWidget is the part of a CloudWatch dashboard widget the tests read.
type dashboardWidget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties struct {
		Title   string   `json:"title"`
		Alarms  []string `json:"alarms"`
		Metrics [][]any  `json:"metrics"`
	} `json:"properties"`
}

// metrics describes each metric of the widget as "namespace name dimension=value statistic",
// or a math expression as its text; the statistic defaults to Average, as on CloudWatch.
func (w dashboardWidget) metrics() []string {
	var out []string
	for _, m := range w.Properties.Metrics {
		var names []string
		stat := "Average"
		for _, item := range m {
			switch item := item.(type) {
			case string:
				names = append(names, item)
			case map[string]any:
				if e, ok := item["expression"].(string); ok {
					names = append(names, e)
				}
				if s, ok := item["stat"].(string); ok {
					stat = s
				}
			}
		}
		if len(names) == 1 {
			out = append(out, names[0])
			continue
		}
		line := strings.Join(names[:2], " ")
		for i := 2; i+1 < len(names); i += 2 {
			line += " " + names[i] + "=" + names[i+1]
		}
		out = append(out, line+" "+stat)
	}
	return out
}

// dashboardWidgets decodes a DashboardBody, an Fn::Join of JSON text and references, writing
// each reference as Ref(id) or GetAtt(id.attribute).
func dashboardWidgets(t *testing.T, body any) []dashboardWidget {
	t.Helper()
	join, _ := body.(map[string]any)["Fn::Join"].([]any)
	if len(join) != 2 || join[0] != "" {
		t.Fatalf("DashboardBody is not an Fn::Join with no separator: %v", body)
	}
	var text strings.Builder
	for _, part := range join[1].([]any) {
		switch part := part.(type) {
		case string:
			text.WriteString(part)
		case map[string]any:
			if id, ok := part["Ref"].(string); ok {
				fmt.Fprintf(&text, "Ref(%s)", id)
			} else if att, ok := part["Fn::GetAtt"].([]any); ok && len(att) == 2 {
				fmt.Fprintf(&text, "GetAtt(%s.%s)", att[0], att[1])
			} else {
				t.Fatalf("DashboardBody part %v is neither Ref nor Fn::GetAtt", part)
			}
		}
	}
	var dashboard struct {
		Widgets []dashboardWidget `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(text.String()), &dashboard); err != nil {
		t.Fatalf("DashboardBody: %v\n%s", err, text.String())
	}
	if len(dashboard.Widgets) == 0 {
		t.Fatal("DashboardBody has no widgets")
	}
	return dashboard.Widgets
}
