package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	_ "golang.org/x/image/webp" // decode WebP originals and thumbnails

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// Options configure a demo run.
type Options struct {
	// Root is the repository. Required.
	Root string
	// SamplesDir holds the sample images. Default: test/testdata/demo.
	SamplesDir string
	// OutDir receives contact-sheet.png. Default: demo-out.
	OutDir string
	// StateDir is the local cloud's folder, emptied at start. Default: .local/demo.
	StateDir string
	// Out receives progress, the function's logs and the results.
	Out io.Writer
}

// Report is what the demo found.
type Report struct {
	Results      []Result
	ContactSheet string
	// BrokenLogs are the function's log lines about the broken samples; BrokenRecords
	// the failure records written for them.
	BrokenLogs    []string
	BrokenRecords []string
}

// waitLimit bounds the wait for every thumbnail.
const waitLimit = 3 * time.Minute

// Run builds what it needs, starts a local cloud, uploads the samples, waits for the
// function, and reports. It fails when a good sample got no thumbnail.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	out := o.Out
	fmt.Fprintln(out, "==> preparing the local cloud")
	tmpl, err := toolchain.EnsureTemplate(ctx, o.Root, out)
	if err != nil {
		return nil, err
	}
	bins, err := localcloud.Build(ctx, o.Root, filepath.Join(o.StateDir, "bin"), out)
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"s3", "failures"} {
		if err := os.RemoveAll(filepath.Join(o.StateDir, sub)); err != nil {
			return nil, err
		}
	}
	logs := &lineLog{}
	cloud, err := localcloud.Start(localcloud.Config{Template: tmpl, Bootstrap: bins.Bootstrap, RIE: bins.RIE,
		Addr: "127.0.0.1:0", StateDir: o.StateDir, Out: out, OnLog: logs.add})
	if err != nil {
		return nil, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if cerr := cloud.Close(closeCtx); cerr != nil {
			fmt.Fprintln(out, "stopping the local cloud:", cerr)
		}
	}()
	fmt.Fprintf(out, "==> local cloud running\n%s", cloud.Summary())

	samples, err := LoadSamples(o.SamplesDir)
	if err != nil {
		return nil, err
	}
	client := s3client.New(cloud.URL())
	fmt.Fprintf(out, "==> uploading %d images to s3://%s/\n", len(samples), cloud.Bucket())
	for _, s := range samples {
		if err := Upload(ctx, client, cloud.Bucket(), s); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(out, "==> waiting for the function")
	waitCtx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	if err := cloud.WaitIdle(waitCtx); err != nil {
		return nil, fmt.Errorf("waiting for thumbnails: %w", err)
	}

	prefix := cloud.Stack().Function.Environment[contract.EnvOutputPrefix]
	if prefix == "" {
		prefix = contract.DefaultOutputPrefix
	}
	rep := &Report{}
	var rows []SheetRow
	for _, s := range samples {
		res, row, err := inspect(ctx, client, cloud, prefix, s)
		if err != nil {
			return nil, err
		}
		if s.Broken {
			lines := logs.about(s.Key)
			records, err := recordsAbout(cloud, s.Key)
			if err != nil {
				return nil, err
			}
			rep.BrokenLogs = append(rep.BrokenLogs, lines...)
			rep.BrokenRecords = append(rep.BrokenRecords, records...)
			res.Problem = reasonIn(lines)
		}
		rep.Results = append(rep.Results, res)
		rows = append(rows, row)
	}
	fmt.Fprintln(out)
	if err := WriteTable(out, rep.Results); err != nil {
		return nil, err
	}
	if rep.ContactSheet, err = writeSheet(o.OutDir, rows); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "\nContact sheet: %s\n", rel(o.Root, rep.ContactSheet))
	explainBroken(out, rep, cloud)
	return rep, verdict(rep.Results)
}

func (o Options) withDefaults() Options {
	if o.SamplesDir == "" {
		o.SamplesDir = filepath.Join(o.Root, toolchain.TestModuleDir, "testdata", "demo")
	}
	if o.OutDir == "" {
		o.OutDir = filepath.Join(o.Root, "demo-out")
	}
	if o.StateDir == "" {
		o.StateDir = filepath.Join(o.Root, toolchain.StateDir, "demo")
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// inspect describes a sample and fetches its thumbnail.
func inspect(ctx context.Context, client *s3.Client, cloud *localcloud.Cloud, prefix string, s Sample) (Result, SheetRow, error) {
	res := Result{Key: s.Key, Broken: s.Broken, Input: describe(s.Data, "")}
	row := SheetRow{}
	if img, _, err := image.Decode(bytes.NewReader(s.Data)); err == nil {
		row.Original = img
	}
	invs := cloud.Invocations(s.Key)
	res.Invocations = len(invs)
	if n := len(invs); n > 0 {
		res.Duration, res.InitDuration = invs[n-1].Result.Duration, invs[n-1].Result.InitDuration
	}
	thumb, ctype, err := get(ctx, client, cloud.Bucket(), prefix+s.Key)
	if err != nil {
		return Result{}, SheetRow{}, err
	}
	if thumb != nil {
		res.Output = describe(thumb, ctype)
		if img, _, err := image.Decode(bytes.NewReader(thumb)); err == nil {
			row.Thumbnail = img
		}
	} else if !s.Broken {
		res.Problem = "no thumbnail"
	}
	row.Lines = []string{s.Key, "original   " + size(res.Input.Bytes) + "  " + res.Input.Dims()}
	if thumb != nil {
		row.Lines = append(row.Lines, "thumbnail  "+size(res.Output.Bytes)+"  "+res.Output.Dims()+"  "+ctype)
	} else {
		row.Lines = append(row.Lines, "thumbnail  none")
	}
	row.Lines = append(row.Lines, fmt.Sprintf("%d invocation(s), %.1f ms", res.Invocations, float64(res.Duration)/float64(time.Millisecond)))
	return res, row, nil
}

// get reads an object; nil data when it does not exist.
func get(ctx context.Context, client *s3.Client, bucket, key string) ([]byte, string, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, "", fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	return data, aws.ToString(out.ContentType), nil
}

func describe(data []byte, ctype string) Image {
	img := Image{Bytes: len(data), ContentType: ctype}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		img.Width, img.Height, img.Format = cfg.Width, cfg.Height, format
	}
	return img
}

func writeSheet(dir string, rows []SheetRow) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "contact-sheet.png")
	sheet := ContactSheet("Originals as stored (scaled down, EXIF orientation not applied) and the thumbnails the function made", rows)
	var buf bytes.Buffer
	if err := png.Encode(&buf, sheet); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}

// recordsAbout returns the failure records whose event names key.
func recordsAbout(cloud *localcloud.Cloud, key string) ([]string, error) {
	records, err := cloud.Failures().Records()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range records {
		var ev struct {
			Detail struct{ Object struct{ Key string } } `json:"detail"`
		}
		if json.Unmarshal(r.RequestPayload, &ev) == nil && (ev.Detail.Object.Key == key || ev.Detail.Object.Key == s3events.KeyURL.Encode(key)) {
			out = append(out, fmt.Sprintf("%s (%s after %d attempts)", r.RequestContext.RequestID, r.RequestContext.Condition, r.RequestContext.ApproximateInvokeCount))
		}
	}
	return out, nil
}

// explainBroken says where the broken samples' errors went.
func explainBroken(out io.Writer, rep *Report, cloud *localcloud.Cloud) {
	for _, r := range rep.Results {
		if !r.Broken {
			continue
		}
		fmt.Fprintf(out, "\n%s: no thumbnail, as expected (%d invocation).\n", r.Key, r.Invocations)
		if len(rep.BrokenLogs) > 0 {
			fmt.Fprintln(out, "The function logged the reason (in the output above, and in CloudWatch Logs when deployed):")
			for _, l := range rep.BrokenLogs {
				fmt.Fprintln(out, "  "+l)
			}
		}
		if len(rep.BrokenRecords) > 0 {
			fmt.Fprintf(out, "Failure records in %s:\n", cloud.Failures().Dir)
			for _, rec := range rep.BrokenRecords {
				fmt.Fprintln(out, "  "+rec)
			}
		} else {
			fmt.Fprintln(out, "No failure record: a broken image is a permanent error, so it is not retried and not sent to the failure queue.")
		}
	}
}

// verdict fails when a good sample has no thumbnail.
func verdict(results []Result) error {
	var missing []string
	good := 0
	for _, r := range results {
		if r.Broken {
			continue
		}
		good++
		if r.Output.Bytes == 0 {
			missing = append(missing, r.Key)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d of %d images got no thumbnail: %s", len(missing), good, strings.Join(missing, ", "))
	}
	return nil
}

// lineLog keeps the local cloud's output lines.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) add(line string) { l.mu.Lock(); l.lines = append(l.lines, line); l.mu.Unlock() }

// about returns the function's JSON log lines whose "key" field is key.
func (l *lineLog) about(key string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		var fields struct {
			Key string `json:"key"`
		}
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &fields) == nil && fields.Key == key {
			out = append(out, line)
		}
	}
	return out
}

// reasonIn returns the "reason" of the first log line that has one.
func reasonIn(lines []string) string {
	for _, line := range lines {
		var fields struct {
			Reason string `json:"reason"`
		}
		if json.Unmarshal([]byte(line), &fields) == nil && fields.Reason != "" {
			return fields.Reason
		}
	}
	return ""
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}
