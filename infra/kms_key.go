package main

import (
	"fmt"
	"regexp"
)

// KMSKeyARN is a KMS key named by its full ARN, as IAM policies need it.
type KMSKeyARN struct {
	// ARN is the whole ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab.
	ARN string
	// Partition ("aws", "aws-cn", "aws-us-gov"), Region and Account are the ARN's fields.
	Partition, Region, Account string
}

// kmsKeyARNPattern matches the ARN of a KMS key: a key ID (a UUID) or a multi-Region key ID
// (mrk- and 32 hex digits). An alias ARN names no key an IAM policy can grant the use of,
// and a bare key ID names no region; neither is accepted.
var kmsKeyARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):kms:([a-z]{2}(?:-[a-z]+)+-[0-9]):([0-9]{12}):key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

// ParseKMSKeyARN reads the ARN of a KMS key.
func ParseKMSKeyARN(raw string) (KMSKeyARN, error) {
	m := kmsKeyARNPattern.FindStringSubmatch(raw)
	if m == nil {
		return KMSKeyARN{}, fmt.Errorf("KMS key %q: want a key ARN such as "+
			"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or a bare key ID)", raw)
	}
	return KMSKeyARN{ARN: raw, Partition: m[1], Region: m[2], Account: m[3]}, nil
}

// S3Endpoint is the S3 service name in the key's region, the value of the kms:ViaService
// condition key for requests S3 makes on a caller's behalf.
func (k KMSKeyARN) S3Endpoint() string {
	suffix := "amazonaws.com"
	if k.Partition == "aws-cn" {
		suffix = "amazonaws.com.cn"
	}
	return "s3." + k.Region + "." + suffix
}
