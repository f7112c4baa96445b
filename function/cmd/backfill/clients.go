package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// localRegion is the region assumed for a local endpoint when the environment names none.
const localRegion = "us-east-1"

// httpTimeout bounds one HTTP exchange with S3 or Lambda.
const httpTimeout = time.Minute

// clients are what the backfill talks to.
type clients struct {
	s3     *s3.Client
	lambda *lambda.Client
	region string
	// aws is the configuration the clients were made from, and endpoint the local
	// cloud's URL or "": the S3 Control client of -batch is made from them (batch.go).
	aws      aws.Config
	endpoint string
}

// newClients builds the S3 and Lambda clients from the AWS environment
// (region, credentials, profiles), as an operator's tool should.
//
// With endpoint set, both clients go there instead, as the local cloud serves
// both APIs on one address: S3 by path, Lambda at its usual paths. A loopback
// endpoint gets dummy credentials, so no real ones are signed for it.
//
// Each client gets its own HTTP client through its options: the SDK's, with
// the CA bundle AWS_CA_BUNDLE names, for AWS; a plain one for a local
// endpoint. Both have a timeout.
func newClients(ctx context.Context, endpoint string) (clients, error) {
	var loadOpts []func(*awsconfig.LoadOptions) error
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return clients{}, fmt.Errorf("endpoint %q: want a URL such as http://127.0.0.1:4566", endpoint)
		}
		loadOpts = append(loadOpts, awsconfig.WithDefaultRegion(localRegion))
		if isLoopback(u.Hostname()) {
			loadOpts = append(loadOpts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		}
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return clients{}, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return clients{}, fmt.Errorf("AWS configuration: no region: set AWS_REGION or a region in the AWS profile")
	}
	httpClient := httpClientFor(cfg, endpoint)
	return clients{
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.HTTPClient = httpClient
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
				o.UsePathStyle = true
			}
		}),
		lambda: lambda.NewFromConfig(cfg, func(o *lambda.Options) {
			o.HTTPClient = httpClient
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		}),
		region:   cfg.Region,
		aws:      cfg,
		endpoint: endpoint,
	}, nil
}

// httpClientFor returns the HTTP client for the clients of cfg.
func httpClientFor(cfg aws.Config, endpoint string) aws.HTTPClient {
	if endpoint != "" {
		return &http.Client{Timeout: httpTimeout}
	}
	if sdk, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
		return sdk.WithTimeout(httpTimeout) // keeps the CA bundle
	}
	return awshttp.NewBuildableClient().WithTimeout(httpTimeout)
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
