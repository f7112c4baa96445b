package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/google/uuid"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/backfill/batchjob"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// defaultPoll is how often a job is described while it runs.
const defaultPoll = 5 * time.Second

// maxFailuresListed bounds the failed tasks printed from the report.
const maxFailuresListed = 20

// batchOptions are the flags of -batch.
type batchOptions struct {
	enabled bool
	// roleARN is the role Batch Operations assumes: the stack's BatchRoleArn output.
	roleARN string
	// poll is how often the job is described.
	poll time.Duration
}

// register adds the -batch flags to flags.
func (b *batchOptions) register(flags *flag.FlagSet) {
	flags.BoolVar(&b.enabled, "batch", false, "run the backfill as an S3 Batch Operations job (needs -role-arn)")
	flags.StringVar(&b.roleARN, "role-arn", "", "with -batch: the `ARN` of the role Batch Operations assumes (the stack's BatchRoleArn output)")
	flags.DurationVar(&b.poll, "poll", defaultPoll, "with -batch: how often the job's progress is read")
}

// check refuses -batch flags that cannot go together.
func (b *batchOptions) check(cfg backfill.Config) error {
	if !b.enabled {
		if b.roleARN != "" {
			return errors.New("-role-arn needs -batch")
		}
		return nil
	}
	switch {
	case cfg.Resume:
		return errors.New("-batch cannot -resume: Batch Operations keeps the job's progress itself")
	case b.poll <= 0:
		return errors.New("-poll must be above 0")
	case b.roleARN == "" && !cfg.DryRun:
		return errors.New("-batch needs -role-arn (the stack's BatchRoleArn output)")
	}
	if b.roleARN != "" {
		if _, err := batchjob.AccountOfRole(b.roleARN); err != nil {
			return err
		}
	}
	return nil
}

// runBatch writes the manifest, uploads it, creates the job and follows it to its end,
// printing the report's location and counts; it returns the exit status: 0 when every
// task succeeded, 1 otherwise.
func runBatch(ctx context.Context, cfg backfill.Config, b batchOptions, c clients, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "backfill: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "listing s3://%s ...\n", cfg.Bucket)
	started := time.Now()
	// The manifest goes to a temporary file: a bucket of 100 million originals makes one
	// of about 5 GB.
	file, err := os.CreateTemp("", "thumbnails-manifest-*.csv")
	if err != nil {
		return fail(fmt.Errorf("manifest file: %w", err))
	}
	defer func() {
		file.Close()
		os.Remove(file.Name())
	}()
	m, err := batchjob.BuildManifest(ctx, c.s3, cfg.Bucket, cfg.Prefix, cfg.Thumbnail.Spec(), file)
	if err != nil {
		return fail(err)
	}
	printManifest(stdout, cfg, m, time.Since(started))

	account, roleARN := "ACCOUNT", b.roleARN
	if roleARN == "" {
		roleARN = "arn:aws:iam::ACCOUNT:role/BATCH_ROLE"
	} else {
		account, _ = batchjob.AccountOfRole(roleARN)
	}
	function := cfg.Function
	if function == "" {
		function = "FUNCTION"
	}
	job := batchjob.Job{
		Account: account, Bucket: cfg.Bucket,
		ManifestKey: contract.JobManifestsPrefix + time.Now().UTC().Format("20060102T150405Z") + "-" + uuid.NewString()[:8] + ".csv",
		FunctionARN: batchjob.FunctionARN(function, batchjob.PartitionOf(roleARN), c.region, account),
		RoleARN:     roleARN, Token: uuid.NewString(), Tasks: m.Tasks,
	}
	if cfg.DryRun {
		job.ManifestETag = "ETAG_OF_THE_MANIFEST"
		body, err := job.InputJSON()
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "Dry run: no manifest uploaded, no job created. The manifest would be s3://%s/%s; the job:\n%s\n", cfg.Bucket, job.ManifestKey, body)
		return exitOK
	}
	if m.Tasks == 0 {
		fmt.Fprintln(stdout, "nothing to do: every original's thumbnail is up to date; no job created")
		return exitOK
	}
	job.ManifestETag, err = batchjob.Upload(ctx, c.s3, cfg.Bucket, job.ManifestKey, file, m.Bytes, batchjob.DefaultPartSize)
	if err != nil {
		return fail(err)
	}
	control := newControlClient(c)
	created, err := control.CreateJob(ctx, job.Input())
	if err != nil {
		return fail(fmt.Errorf("create the job: %w", err))
	}
	id := aws.ToString(created.JobId)
	fmt.Fprintf(stdout, "job %s created: manifest s3://%s/%s (%d tasks)\n", id, cfg.Bucket, job.ManifestKey, m.Tasks)

	// On a terminal the progress line is redrawn in place; elsewhere each change is a line.
	tty, last := isTerminal(stderr), ""
	d, err := batchjob.Follow(ctx, control, account, id, b.poll, func(j *types.JobDescriptor) {
		line := progressLine(j, time.Since(started))
		switch {
		case tty:
			fmt.Fprint(stderr, "\r\033[K"+line)
		case line != last:
			fmt.Fprintln(stderr, line)
		}
		last = line
	})
	if tty && last != "" {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stdout, "stopped following job %s: it goes on running on AWS; follow it in the S3 console or with aws s3control describe-job --account-id %s --job-id %s\n", id, account, id)
			return exitInterrupted
		}
		return fail(err)
	}
	return printOutcome(ctx, stdout, c.s3, cfg.Bucket, d)
}

// printManifest says what the manifest holds.
func printManifest(w io.Writer, cfg backfill.Config, m batchjob.Manifest, took time.Duration) {
	fmt.Fprintf(w, "manifest of s3://%s (thumbnails under %s, %s): %d originals need a thumbnail, %d bytes (listed in %v)\n",
		cfg.Bucket, cfg.Prefix, cfg.Thumbnail.Spec(), m.Tasks, m.Bytes, took.Round(time.Millisecond))
	reasons := make([]string, 0, len(m.Counts))
	for r := range m.Counts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "  %-16s %d\n", r, m.Counts[r])
	}
	if m.Orphans > 0 {
		fmt.Fprintf(w, "  %-16s %d  (thumbnails whose original is gone: not in the manifest; make backfill without -batch removes them)\n", "orphans", m.Orphans)
	}
}

// progressLine is one line of a job's progress.
func progressLine(j *types.JobDescriptor, elapsed time.Duration) string {
	p := j.ProgressSummary
	if p == nil {
		return fmt.Sprintf("job %s: %s", aws.ToString(j.JobId), j.Status)
	}
	total, ok, failed := aws.ToInt64(p.TotalNumberOfTasks), aws.ToInt64(p.NumberOfTasksSucceeded), aws.ToInt64(p.NumberOfTasksFailed)
	return fmt.Sprintf("job %s: %s, %d/%d tasks done (%d failed), %v", aws.ToString(j.JobId), j.Status, ok+failed, total, failed, elapsed.Round(time.Second))
}

// printOutcome prints how the job ended, the report's location and its failed tasks,
// and returns the exit status.
func printOutcome(ctx context.Context, w io.Writer, s3c *s3.Client, bucket string, j *types.JobDescriptor) int {
	id := aws.ToString(j.JobId)
	var total, ok, failed int64
	if p := j.ProgressSummary; p != nil {
		total, ok, failed = aws.ToInt64(p.TotalNumberOfTasks), aws.ToInt64(p.NumberOfTasksSucceeded), aws.ToInt64(p.NumberOfTasksFailed)
	}
	fmt.Fprintf(w, "job %s: %s: %d tasks, %d succeeded, %d failed\n", id, j.Status, total, ok, failed)
	for _, f := range j.FailureReasons {
		fmt.Fprintf(w, "  job failure: %s: %s\n", aws.ToString(f.FailureCode), aws.ToString(f.FailureReason))
	}
	reportKey := batchjob.ReportManifestKey(id)
	fmt.Fprintf(w, "report: s3://%s/%s\n", bucket, reportKey)
	if failed > 0 {
		if err := printFailures(ctx, w, s3c, bucket, reportKey); err != nil {
			fmt.Fprintf(w, "  (failed tasks not read from the report: %v)\n", err)
		}
	}
	if j.Status != types.JobStatusComplete || failed > 0 {
		return exitFailed
	}
	return exitOK
}

// printFailures prints the first failed tasks of the completion report.
func printFailures(ctx context.Context, w io.Writer, s3c *s3.Client, bucket, manifestKey string) error {
	body, err := getAll(ctx, s3c, bucket, manifestKey)
	if err != nil {
		return err
	}
	var m struct {
		Results []struct {
			TaskExecutionStatus, Bucket, Key string
		}
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("report manifest: %w", err)
	}
	listed := 0
	for _, r := range m.Results {
		if r.TaskExecutionStatus != "failed" {
			continue
		}
		data, err := getAll(ctx, s3c, r.Bucket, r.Key)
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			return fmt.Errorf("report %s: %w", r.Key, err)
		}
		for _, row := range rows {
			if len(row) < 7 {
				continue
			}
			if listed == maxFailuresListed {
				fmt.Fprintf(w, "  ... more in s3://%s/%s\n", r.Bucket, r.Key)
				return nil
			}
			key, err := batchjob.DecodeKey(row[1])
			if err != nil {
				key = row[1]
			}
			fmt.Fprintf(w, "  failed: %q: %s: %s\n", key, row[5], row[6])
			listed++
		}
	}
	return nil
}

// getAll reads a whole (small) object.
func getAll(ctx context.Context, s3c *s3.Client, bucket, key string) ([]byte, error) {
	// A report may carry no checksum to validate (the local cloud's never do): not worth a log line.
	quiet := func(o *s3.Options) { o.DisableLogOutputChecksumValidationSkipped = true }
	out, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, quiet)
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	return io.ReadAll(io.LimitReader(out.Body, 64<<20))
}

// newControlClient returns the S3 Control client of c's configuration.
//
// S3 Control puts the account ID in the host name (ACCOUNT.s3-control.REGION...).
// For a local endpoint that host does not resolve, so the client's connections are
// all dialled to the endpoint's own address, whatever host a request names.
func newControlClient(c clients) *s3control.Client {
	return s3control.NewFromConfig(c.aws, func(o *s3control.Options) {
		o.HTTPClient = httpClientFor(c.aws, c.endpoint)
		if c.endpoint == "" {
			return
		}
		o.BaseEndpoint = aws.String(c.endpoint)
		u, err := url.Parse(c.endpoint)
		if err != nil {
			return // newClients has checked it
		}
		addr := u.Host
		if u.Port() == "" {
			addr = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
		}
		dialer := &net.Dialer{Timeout: 10 * time.Second}
		o.HTTPClient = &http.Client{Timeout: httpTimeout, Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, addr)
			},
		}}
	})
}
