// Package batchjob is the second way to backfill: instead of invoking the function
// from this machine, it writes a CSV manifest of the originals that need a thumbnail
// (the same planner as package backfill: missing or stale only), uploads it under
// contract.JobsPrefix and creates an S3 Batch Operations job (S3 Control CreateJob,
// LambdaInvoke, invocation schema 2.0, a report of the failed tasks) that invokes the
// function once per original, then follows the job to its end with DescribeJob.
//
// Batch Operations keeps the job running on AWS's side: a bucket of hundreds of
// millions of objects needs no machine of the operator's to stay up while it runs.
// Orphan thumbnails (whose original is gone) are not in the manifest: a Batch
// Operations task is about an object that exists, and the function never deletes in a
// batch job. They are counted, and the listing backfill removes them.
package batchjob

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// checkConcurrency is how many thumbnails' metadata are read at once.
const checkConcurrency = 8

// Manifest describes the CSV manifest of one job and what the listing found.
type Manifest struct {
	// Tasks is the number of lines: one "bucket,URL-encoded key" per original that needs a thumbnail.
	Tasks int
	// Bytes is the manifest's size.
	Bytes int64
	// Counts are the keys listed, by step reason (backfill.Reason*), the manifest's included.
	Counts map[string]int
	// Orphans are thumbnails whose original is gone: left to the listing backfill.
	Orphans int
}

// BuildManifest lists bucket and writes to out the manifest of the originals whose
// thumbnail under prefix is missing or stale for spec (contract.Thumbnail.Spec of the function's
// settings). A thumbnail's metadata is read only when the listing cannot tell. Memory
// does not grow with the bucket: write to a file for a large one.
func BuildManifest(ctx context.Context, client backfill.S3API, bucket, prefix, spec string, out io.Writer) (Manifest, error) {
	m := Manifest{Counts: map[string]int{}}
	pairs := backfill.Join(backfill.List(ctx, client, bucket, "", ""), backfill.List(ctx, client, bucket, prefix, ""), prefix)
	counted := &countingWriter{w: out}
	w := csv.NewWriter(counted)
	var mu sync.Mutex
	add := func(key, reason string) error {
		mu.Lock()
		defer mu.Unlock()
		m.Counts[reason]++
		if key == "" {
			return nil
		}
		m.Tasks++
		return w.Write([]string{bucket, EncodeKey(key)})
	}
	checks := make(chan backfill.Item)
	errs := make(chan error, checkConcurrency)
	var wg sync.WaitGroup
	for range checkConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range checks {
				reason, err := check(ctx, client, bucket, prefix, spec, it)
				if err == nil {
					key := it.Key
					if reason == backfill.ReasonUpToDate {
						key = ""
					}
					err = add(key, reason)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var listErr error
	func() {
		defer close(checks)
		for it, err := range backfill.Plan(pairs, prefix) {
			if err != nil {
				listErr = err
				return
			}
			switch it.Step {
			case backfill.StepCreate:
				listErr = add(it.Key, it.Reason)
			case backfill.StepCheck:
				select {
				case checks <- it:
				case err := <-errs:
					listErr = err
				}
			case backfill.StepRemove:
				mu.Lock()
				m.Orphans++
				mu.Unlock()
			default:
				listErr = add("", it.Reason)
			}
			if listErr != nil {
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	if listErr != nil {
		return Manifest{}, listErr
	}
	if err := <-errs; err != nil {
		return Manifest{}, err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return Manifest{}, fmt.Errorf("write the manifest: %w", err)
	}
	m.Bytes = counted.n
	return m, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// check reads a thumbnail's metadata and says whether it is up to date, stale or gone.
func check(ctx context.Context, client backfill.S3API, bucket, prefix, spec string, it backfill.Item) (string, error) {
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(prefix + it.Key)})
	switch {
	case handler.IsNotFound(err):
		return backfill.ReasonMissing, nil
	case err != nil:
		return "", fmt.Errorf("read the metadata of s3://%s/%s%s: %w", bucket, prefix, it.Key, err)
	case contract.UpToDate(head.Metadata, it.Original.ETag, spec):
		return backfill.ReasonUpToDate, nil
	}
	return backfill.ReasonStale, nil
}

// EncodeKey URL-encodes a key for a CSV manifest, as S3 Inventory does: every byte but
// letters, digits, "-", "_", ".", "~" and "/" as %XX, so a space is %20 and "+" is %2B.
func EncodeKey(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// DecodeKey reads a key as a manifest or a completion report writes it.
func DecodeKey(encoded string) (string, error) {
	return url.PathUnescape(encoded)
}
