// Package s3client builds S3 clients for the local cloud's S3 API.
package s3client

import (
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Region is the region the local cloud answers for.
const Region = "us-east-1"

// New returns a path-style client for the S3 API at endpoint (e.g. http://127.0.0.1:4566)
// with dummy credentials, which the local API accepts. It brings its own HTTP client, so
// no setting of the environment (AWS_CA_BUNDLE, proxies, profiles) changes where it goes.
func New(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		HTTPClient:   &http.Client{Timeout: 60 * time.Second},
	})
}
