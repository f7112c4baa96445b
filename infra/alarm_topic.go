package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newAlarmTopic creates the SNS topic the alarms notify, with email subscribed to it. AWS
// sends email a confirmation message first; nothing arrives until it is confirmed.
//
// The topic refuses requests not made over TLS. It is not encrypted at rest: CloudWatch cannot
// publish to a topic under the AWS managed SNS key, whose key policy no one can extend to
// cloudwatch.amazonaws.com, and a customer managed key costs a monthly fee to protect messages
// that name an alarm and its state, nothing more.
func newAlarmTopic(scope constructs.Construct, id, email string) awssns.Topic {
	topic := awssns.NewTopic(scope, jsii.String(id), &awssns.TopicProps{
		DisplayName: jsii.String("Thumbnails alarms"),
		EnforceSSL:  jsii.Bool(true),
	})
	// The topic policy written for EnforceSSL replaces SNS's default policy, which let the
	// account, CloudWatch alarms included, publish: alarms of this account get that back.
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowAlarmsOfThisAccount"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  &[]*string{topic.TopicArn()},
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": awscdk.Aws_ACCOUNT_ID()},
			"ArnLike": map[string]any{"aws:SourceArn": awscdk.Fn_Sub(
				jsii.String("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"), nil)},
		},
	}))
	subscription := topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	suppressAlarmSubscriptionFindings(subscription)
	return topic
}
