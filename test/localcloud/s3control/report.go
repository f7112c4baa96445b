package s3control

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ReportSchema names the columns of a completion report's CSV files, as manifest.json
// states them.
const ReportSchema = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"

// ReportManifest is the completion report's top-level manifest.json.
type ReportManifest struct {
	Format             string         `json:"Format"`
	ReportCreationDate string         `json:"ReportCreationDate"`
	Results            []ReportResult `json:"Results"`
	ReportSchema       string         `json:"ReportSchema"`
}

// ReportResult locates one results CSV file of a completion report.
type ReportResult struct {
	TaskExecutionStatus string `json:"TaskExecutionStatus"` // "succeeded" or "failed"
	Bucket              string `json:"Bucket"`
	MD5Checksum         string `json:"MD5Checksum"`
	Key                 string `json:"Key"`
}

// ReportFolder is where a job's completion report goes: PREFIX/job-ID (job-ID without a prefix).
func ReportFolder(prefix, jobID string) string {
	return path.Join(prefix, "job-"+jobID)
}

// writeReport writes the completion report of the tasks that ended: one results CSV
// file per task status that has tasks (the succeeded ones only for an AllTasks report),
// named by the SHA-1 of its content, and manifest.json listing them. It returns the
// manifest's location, or "" when the job asks for no report.
//
// Each row is Bucket, Key (URL-encoded, as the manifest has it), VersionId, TaskStatus,
// then the HTTP status and the result code, then the result string. That order is the
// one of the rows in AWS's example report ("...,failed,200,PermanentFailure,"Lambda
// returned function error: ..."), although its ReportSchema line names ErrorCode before
// HTTPStatusCode.
func (a *API) writeReport(ctx context.Context, j *job, done []*task) (string, error) {
	if j.spec.reportBucket == "" {
		return "", nil
	}
	sort.SliceStable(done, func(i, k int) bool { return done[i].encoded < done[k].encoded })
	folder := ReportFolder(j.spec.reportPrefix, j.id)
	m := ReportManifest{Format: ReportFormatCSV, ReportCreationDate: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		Results: []ReportResult{}, ReportSchema: ReportSchema}
	for _, status := range []string{"succeeded", "failed"} {
		if status == "succeeded" && !j.spec.allTasks {
			continue
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		rows := 0
		for _, t := range done {
			if (t.code == codeSucceeded) != (status == "succeeded") {
				continue
			}
			code := t.code
			if status == "succeeded" {
				code = ""
			}
			if err := w.Write([]string{t.bucket, t.encoded, t.versionID, status, "200", code, t.message}); err != nil {
				return "", err
			}
			rows++
		}
		w.Flush()
		if rows == 0 {
			continue
		}
		sum := sha1.Sum(buf.Bytes())
		key := path.Join(folder, "results", hex.EncodeToString(sum[:])+".csv")
		if err := a.put(ctx, j.spec.reportBucket, key, "text/csv", buf.Bytes()); err != nil {
			return "", err
		}
		md := md5.Sum(buf.Bytes())
		m.Results = append(m.Results, ReportResult{TaskExecutionStatus: status, Bucket: j.spec.reportBucket, MD5Checksum: hex.EncodeToString(md[:]), Key: key})
	}
	body, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	key := path.Join(folder, "manifest.json")
	if err := a.put(ctx, j.spec.reportBucket, key, "application/json", body); err != nil {
		return "", err
	}
	return fmt.Sprintf("s3://%s/%s", j.spec.reportBucket, key), nil
}

// put writes one file of a report.
func (a *API) put(ctx context.Context, bucket, key, contentType string, body []byte) error {
	_, err := a.cfg.Store.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String(contentType),
	})
	if err != nil {
		return fmt.Errorf("write report s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
