package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	awscontrol "github.com/aws/aws-sdk-go-v2/service/s3control"
	controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/serverless-thumbnails/thumbnails/function/backfill/batchjob"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3control"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// batchRoleARN is the role the tests give Batch Operations: the local cloud has no IAM.
const batchRoleARN = "arn:aws:iam::000000000000:role/ThumbnailsBatchOperationsRole"

// batchBucket is 1,000 originals of three kinds.
type batchBucket struct {
	good   []string // no thumbnail yet
	done   []string // thumbnail made by the trigger before the job
	broken []string // bytes no image decoder reads
}

// loadBatchBucket puts the originals: the done ones with the trigger on (and waits for
// their thumbnails), the rest with it off.
func loadBatchBucket(t *testing.T, e *env, good, done, broken int) batchBucket {
	t.Helper()
	var b batchBucket
	for i := range done {
		key := fmt.Sprintf("done/%03d.png", i)
		e.put(key, smallPNG(t, 1000+i), "image/png")
		b.done = append(b.done, key)
	}
	e.wait()
	e.cloud.SetTrigger(localcloud.TriggerOff)
	for i := range good {
		key := fmt.Sprintf("good/%04d.png", i)
		if i < len(oddKeys) {
			key = oddKeys[i]
		}
		e.put(key, smallPNG(t, i), "image/png")
		b.good = append(b.good, key)
	}
	for i := range broken {
		key := fmt.Sprintf("broken/%02d.jpg", i)
		data := []byte("not an image at all")
		if i%2 == 1 {
			data = smallPNG(t, i)[:60] // a PNG cut short: corrupt
		}
		e.put(key, data, "image/jpeg")
		b.broken = append(b.broken, key)
	}
	e.cloud.SetTrigger(localcloud.TriggerOn)
	return b
}

// TestBatchBackfill runs `backfill -batch` as the README tells a user to, against the
// local cloud's S3 Batch Operations: 1,000 originals, of which 50 already have their
// thumbnail and 50 are broken. Every good original gets exactly one thumbnail write, the
// broken ones are in the completion report as permanent failures, the job's manifest
// and report (under thumbnail-jobs/) make no thumbnail and no error line, and nothing
// outside the output prefix and thumbnail-jobs/ changes.
func TestBatchBackfill(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "backfill")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := toolchain.Build(ctx, root, "./function/cmd/backfill", bin); err != nil {
		t.Fatal(err)
	}
	e := start(t, cloudOptions{})
	b := loadBatchBucket(t, e, 900, 50, 50)
	before := e.list()

	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-endpoint", e.cloud.URL(), "-bucket", e.cloud.Bucket(), "-function", e.cloud.FunctionName(),
		"-batch", "-role-arn", batchRoleARN, "-poll", "100ms")
	cmd.Env = isolatedEnv(t)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	started := time.Now()
	err := cmd.Run()
	took := time.Since(started)
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("backfill -batch: exit %d (%v), want 1 (broken originals)\nstdout:\n%s\nstderr:\n%s", code, err, out.String(), errOut.String())
	}
	e.wait()
	stdout := out.String()
	tasks := len(b.good) + len(b.broken)
	t.Logf("backfill -batch: %d tasks in %v, %.0f originals/s, listing and job included\n%s", tasks, took.Round(time.Millisecond), float64(tasks)/took.Seconds(), stdout)

	for _, want := range []string{
		fmt.Sprintf("%d originals need a thumbnail", tasks),
		fmt.Sprintf("Complete: %d tasks, %d succeeded, %d failed", tasks, len(b.good), len(b.broken)),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^  up-to-date +50$`).MatchString(stdout) {
		t.Errorf("stdout does not count the 50 up-to-date thumbnails:\n%s", stdout)
	}

	// Every good original: one thumbnail, written once, up to date; the done ones untouched.
	e.checkUpToDate(append(append([]string{}, b.good...), b.done...)...)
	for _, key := range append(append([]string{}, b.good...), b.done...) {
		if n := e.cloud.Writes(e.prefix + key); n != 1 {
			t.Errorf("%q: its thumbnail was written %d times, want 1", key, n)
		}
	}
	for _, key := range b.broken {
		if _, ok := e.get(e.prefix + key); ok {
			t.Errorf("broken %q got a thumbnail", key)
		}
	}

	// The report lists exactly the broken originals, as permanent failures.
	id := regexp.MustCompile(`job ([0-9a-f-]{36}) created`).FindStringSubmatch(stdout)
	if id == nil {
		t.Fatalf("no job id in stdout:\n%s", stdout)
	}
	failed := e.reportFailures(batchjob.ReportManifestKey(id[1]))
	if got, want := sortedKeys(failed), sortedCopy(b.broken); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failed tasks in the report:\n%v\nwant the broken originals:\n%v", got, want)
	}
	for key, row := range failed {
		if row[3] != "failed" || row[5] != "PermanentFailure" || !regexp.MustCompile(`^(unsupported|corrupt): `).MatchString(row[6]) {
			t.Errorf("report row of %q: %q, want failed, PermanentFailure, unsupported or corrupt", key, row)
		}
	}

	// Nothing changed outside the output prefix and thumbnail-jobs/; the job's files made
	// no thumbnail and no error line.
	after := e.list()
	for key, was := range before {
		if now, ok := after[key]; !ok || now != was {
			t.Errorf("%q changed: %+v, now %+v (present %v)", key, was, now, ok)
		}
	}
	jobFiles := 0
	for key := range after {
		if _, ok := before[key]; ok {
			continue
		}
		switch {
		case strings.HasPrefix(key, contract.JobsPrefix):
			jobFiles++
			for _, line := range e.logs.about(key) {
				if line.Level == "ERROR" {
					t.Errorf("job file %q made an error line: %+v", key, line)
				}
			}
		case strings.HasPrefix(key, e.prefix+contract.JobsPrefix):
			t.Errorf("a job file got a thumbnail: %q", key)
		case !strings.HasPrefix(key, e.prefix):
			t.Errorf("new object %q outside %s and %s", key, e.prefix, contract.JobsPrefix)
		}
	}
	if jobFiles < 3 { // the manifest, the report's manifest.json, its failed-tasks CSV
		t.Errorf("%d new files under %s, want the manifest and the report", jobFiles, contract.JobsPrefix)
	}
	if n := e.batchInvocations(); n != tasks {
		t.Errorf("%d Batch Operations invocations, want one per task: %d", n, tasks)
	}
}

// TestBatchJobSchemas creates jobs through S3 Control directly, one per invocation
// schema, over the keys that need encoding, and checks each key got its thumbnail: the
// function reads the keys as the local cloud sends them in both schemas.
func TestBatchJobSchemas(t *testing.T) {
	e := start(t, cloudOptions{})
	e.cloud.SetTrigger(localcloud.TriggerOff)
	var manifest bytes.Buffer
	for i, key := range oddKeys {
		e.put(key, smallPNG(t, i), "image/png")
		fmt.Fprintf(&manifest, "%s,%s\n", e.cloud.Bucket(), batchjob.EncodeKey(key))
	}
	e.cloud.SetTrigger(localcloud.TriggerOn)
	control := newLocalControl(e)
	for _, schema := range []string{s3control.SchemaV1, s3control.SchemaV2} {
		t.Run(schema, func(t *testing.T) {
			for _, key := range oddKeys {
				e.delete(e.prefix + key)
			}
			key := contract.JobManifestsPrefix + "schema-" + schema + ".csv"
			put, err := e.client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key), Body: bytes.NewReader(manifest.Bytes())})
			if err != nil {
				t.Fatal(err)
			}
			job := batchjob.Job{Account: "000000000000", Bucket: e.cloud.Bucket(), ManifestKey: key, ManifestETag: strings.Trim(aws.ToString(put.ETag), `"`),
				FunctionARN: e.cloud.FunctionARN(), RoleARN: batchRoleARN, Token: "schema-" + schema, Tasks: len(oddKeys)}
			in := job.Input()
			in.Operation.LambdaInvoke.InvocationSchemaVersion = aws.String(schema)
			created, err := control.CreateJob(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			d, err := batchjob.Follow(ctx, control, "000000000000", aws.ToString(created.JobId), 50*time.Millisecond, func(*controltypes.JobDescriptor) {})
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != "Complete" || aws.ToInt64(d.ProgressSummary.NumberOfTasksSucceeded) != int64(len(oddKeys)) {
				t.Fatalf("job %s: %s, %+v", aws.ToString(d.JobId), d.Status, d.ProgressSummary)
			}
			e.wait()
			e.checkUpToDate(oddKeys...)
		})
	}
}

// reportFailures reads a completion report's failed-tasks files: the rows by decoded key.
func (e *env) reportFailures(manifestKey string) map[string][]string {
	e.t.Helper()
	obj, ok := e.get(manifestKey)
	if !ok {
		e.t.Fatalf("no completion report at %s", manifestKey)
	}
	var m s3control.ReportManifest
	if err := json.Unmarshal(obj.data, &m); err != nil {
		e.t.Fatalf("%s: %v", manifestKey, err)
	}
	if m.Format != s3control.ReportFormatCSV || m.ReportSchema != s3control.ReportSchema {
		e.t.Errorf("report manifest %+v", m)
	}
	rows := map[string][]string{}
	for _, r := range m.Results {
		if r.TaskExecutionStatus != "failed" {
			e.t.Errorf("a report of the failed tasks only lists %q results: %+v", r.TaskExecutionStatus, r)
			continue
		}
		file, ok := e.get(r.Key)
		if !ok {
			e.t.Fatalf("report file %s missing", r.Key)
		}
		records, err := csv.NewReader(bytes.NewReader(file.data)).ReadAll()
		if err != nil {
			e.t.Fatalf("%s: %v", r.Key, err)
		}
		for _, row := range records {
			key, err := batchjob.DecodeKey(row[1])
			if err != nil {
				e.t.Errorf("report key %q: %v", row[1], err)
			}
			rows[key] = row
		}
	}
	return rows
}

// batchInvocations counts the REPORT lines of Batch Operations invocations.
func (e *env) batchInvocations() int {
	n := 0
	for _, line := range e.logs.all() {
		if strings.HasPrefix(line, "REPORT ") && strings.Contains(line, "(S3 Batch Operations)") {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// newLocalControl is an S3 Control client of the local cloud. S3 Control puts the
// account ID in the host name, which does not resolve for a local address, so every
// connection is dialled to the local cloud's address, as the backfill's own client does.
func newLocalControl(e *env) *awscontrol.Client {
	u, err := url.Parse(e.cloud.URL())
	if err != nil {
		e.t.Fatal(err)
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	return awscontrol.New(awscontrol.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.cloud.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient: &http.Client{Timeout: time.Minute, Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, u.Host)
			},
		}},
	})
}
