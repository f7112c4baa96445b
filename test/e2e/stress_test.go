package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// stressUploads is how many images the stress run uploads, over stressRounds rounds each
// on a new local cloud (a new store grows through every size again): a few hundred in
// make test; more on demand, e.g.
// go test ./test/e2e -run TestStress -stress.uploads 2000 -stress.rounds 4 -timeout 60m.
var (
	stressUploads = flag.Int("stress.uploads", 240, "images the stress test uploads, over all rounds")
	stressRounds  = flag.Int("stress.rounds", 2, "rounds of the stress test, each on a new local cloud")
)

// The stress run's clients: uploaders, and readers that HEAD, GET and list meanwhile.
const (
	stressUploaders = 8
	stressReaders   = 12
	// stressLargeObject is the size from which an object counts as large: the readers
	// read large objects more often, as their bodies take longest to send.
	// stressRecent is how many of the latest uploads count as recent: the readers read
	// them more often, as a web page shows the image just uploaded.
	stressRecent = 8
	// stressSlowReaders of the readers read bodies as a slow network would deliver them,
	// stressSlowChunk bytes every stressSlowPause, keeping the S3 API busy sending.
	stressSlowReaders = 1
	// stressHolders of the readers stall in the middle of a large body, as a client on a
	// stalled network does, until the store's file has doubled (the store maps its file
	// anew as it grows), then read the rest: it must still be the object's.
	stressHolders = 2
	// stressHoldLimit bounds one stall.
	stressHoldLimit = 20 * time.Second
	// stressHugeObject is the size of the objects the holders read: large enough that
	// the S3 API is still sending when the client stalls.
	stressHugeObject = 800 << 10
	stressSlowChunk  = 32 << 10
	stressSlowPause  = 5 * time.Millisecond
	// stressUploadPause spreads each uploader's uploads over time, so that the store grows
	// while the readers read.
	stressUploadPause = 200 * time.Millisecond
	stressLargeObject = 200 << 10
)

// TestStressConcurrentReadsKeepEveryByte uploads hundreds of images of sizes from a few
// kilobytes to a few megabytes while readers HEAD, GET and list the bucket, then reads
// everything back: every original byte-identical to what was uploaded, every thumbnail
// byte-identical to what the function wrote (seen on the wire, before the S3 API), exactly
// one thumbnail per upload, no failure, and the S3 API still answering. The S3 store once
// handed out bytes of its file's memory map after their transaction ended: the cloud died
// ("fatal error: fault") or served other bytes when a write grew the file.
func TestStressConcurrentReadsKeepEveryByte(t *testing.T) {
	variants := stressVariants(t)
	rounds := max(1, *stressRounds)
	for round := range rounds {
		t.Run(fmt.Sprintf("round %d of %d", round+1, rounds), func(t *testing.T) {
			stressRound(t, newStressPlan(variants, *stressUploads/rounds))
		})
	}
}

// stressRound runs the plan's uploads and reads on a new local cloud and checks every byte.
func stressRound(t *testing.T, plan *stressPlan) {
	tap := newWriteTap()
	state := t.TempDir()
	cloud, err := localcloud.Start(localcloud.Config{
		Template: template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: "127.0.0.1:0", StateDir: state,
		RetryDelay: 50 * time.Millisecond, FunctionEnv: map[string]string{"AWS_ENDPOINT_URL_S3": tap.url(t)},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cloud.Close(ctx); err != nil {
			t.Errorf("closing the local cloud: %v", err)
		}
	})
	tap.forwardTo(cloud.URL())
	bucket, prefix := cloud.Bucket(), cloud.Stack().Function.Environment[contract.EnvOutputPrefix]
	tap.watch(bucket, prefix)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit+time.Duration(len(plan.keys))*time.Second)
	defer cancel()
	began := time.Now()
	problems := &problemList{}
	readersDone := make(chan struct{})
	var readers sync.WaitGroup
	counts := &readCounts{}
	storeFile := filepath.Join(state, "s3", s3server.StateFile)
	for i := range stressReaders {
		slow := i < stressSlowReaders+stressHolders
		reader := &stressReader{client: s3client.New(cloud.URL()), http: readerHTTPClient(slow), endpoint: cloud.URL(), bucket: bucket, prefix: prefix,
			plan: plan, tap: tap, problems: problems, counts: counts, rand: rand.New(rand.NewPCG(uint64(i), 7)), slow: slow}
		if i < stressHolders {
			reader.holdUntil = func(size int64) bool { return fileSize(storeFile) >= 2*size }
			reader.storeSize = func() int64 { return fileSize(storeFile) }
		}
		readers.Go(func() { reader.run(ctx, readersDone) })
	}
	uploads := uploadParallel(ctx, uploadPlan{endpoint: cloud.URL(), bucket: bucket, keys: plan.keys, clients: stressUploaders, pause: stressUploadPause,
		bodyOf: plan.body, contentTypeOf: plan.contentType, beforeUpload: plan.announce, accepted: func(u upload) { plan.accept(u.key) }})
	for _, u := range uploads {
		if u.err != nil {
			t.Errorf("upload %s: %v", u.key, u.err)
		}
	}
	idleErr := cloud.WaitIdle(ctx)
	close(readersDone)
	readers.Wait()
	elapsed := time.Since(began)
	if idleErr != nil {
		t.Fatalf("the function did not handle every event: %v", idleErr)
	}

	client := s3client.New(cloud.URL())
	if _, err := client.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("the local cloud no longer answers after the run: %v", err)
	}
	for _, key := range plan.keys {
		checkStressObject(t, client, bucket, key, plan.body(key))
		written := tap.written(prefix + key)
		if len(written) != 1 || cloud.Writes(prefix+key) != 1 {
			t.Errorf("%s: the function wrote %d thumbnails (the S3 API counted %d), want 1", key, len(written), cloud.Writes(prefix+key))
			continue
		}
		thumb := checkStressObject(t, client, bucket, prefix+key, written[0])
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(thumb)); err != nil || cfg.Width != 128 || cfg.Height != 128 {
			t.Errorf("thumbnail of %s: %dx%d (%v), want a 128x128 image", key, cfg.Width, cfg.Height, err)
		}
	}
	listed := listKeys(t, client, bucket, prefix)
	if want := prefixed(prefix, plan.keys); !equalStrings(listed, want) {
		t.Errorf("%d thumbnails listed under %s, want exactly one per upload (%d)", len(listed), prefix, len(want))
	}
	if records, err := cloud.Failures().Records(); err != nil || len(records) != 0 {
		t.Errorf("%d failure records (%v), want none", len(records), err)
	}
	if counts.holds.Load() == 0 {
		t.Errorf("no read stalled while the store's file doubled: the run did not test reads across the store's growth")
	}
	if n, first := problems.report(); n > 0 {
		t.Errorf("%d wrong answers to the readers; the first:\n%s", n, strings.Join(first, "\n"))
	}
	t.Logf("%d uploads (%.1f MB, %d to %d bytes) from %d clients in %v while %d readers made %d GETs (%d stalled while the store doubled), %d HEADs, %d listings",
		len(plan.keys), float64(plan.totalBytes())/1e6, plan.smallest(), plan.largest(), stressUploaders,
		elapsed.Round(time.Millisecond), stressReaders, counts.gets.Load(), counts.holds.Load(), counts.heads.Load(), counts.lists.Load())
}

// checkStressObject reads key and checks it holds want, byte for byte, with want's ETag.
// It returns what it read.
func checkStressObject(t *testing.T, client *s3.Client, bucket, key string, want []byte) []byte {
	t.Helper()
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Errorf("read back %s: %v", key, err)
		return nil
	}
	got, readErr := io.ReadAll(out.Body)
	if err := errors.Join(readErr, out.Body.Close()); err != nil {
		t.Errorf("read back %s: %v", key, err)
		return nil
	}
	if !bytes.Equal(got, want) {
		t.Errorf("read back %s: %d bytes that differ from the %d written (first difference at byte %d)", key, len(got), len(want), firstDifference(got, want))
	}
	if etag := aws.ToString(out.ETag); etag != quotedMD5(want) {
		t.Errorf("read back %s: ETag %s, want %s", key, etag, quotedMD5(want))
	}
	return got
}

// stressPlan is what the stress run uploads: each key's variant and bytes, and which
// keys may exist (announced, about to be uploaded) or surely do (accepted).
type stressPlan struct {
	variants []stressVariant
	keys     []string
	variant  map[string]int

	mu            sync.Mutex
	announced     map[string]bool
	accepted      []string
	acceptedLarge []string
	acceptedHuge  []string
}

// newStressPlan names n uploads, their variants shuffled so that sizes mix.
func newStressPlan(variants []stressVariant, n int) *stressPlan {
	p := &stressPlan{variants: variants, variant: map[string]int{}, announced: map[string]bool{}}
	order := rand.New(rand.NewPCG(1, 6)).Perm(n)
	for i := range n {
		v := order[i] % len(variants)
		key := fmt.Sprintf("stress/%04d-%s", i, variants[v].name)
		p.keys = append(p.keys, key)
		p.variant[key] = v
	}
	return p
}

// body is the bytes uploaded as key, made again on each call so that the plan keeps only
// the variants in memory.
func (p *stressPlan) body(key string) []byte { return p.variants[p.variant[key]].unique(key) }

func (p *stressPlan) contentType(key string) string { return p.variants[p.variant[key]].contentType }

// announce says key is about to be uploaded, so a listing may show it.
func (p *stressPlan) announce(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.announced[key] = true
}

// accept says key's upload returned successfully, so it must be readable.
func (p *stressPlan) accept(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accepted = append(p.accepted, key)
	if len(p.variants[p.variant[key]].data) >= stressLargeObject {
		p.acceptedLarge = append(p.acceptedLarge, key)
	}
	if len(p.variants[p.variant[key]].data) >= stressHugeObject {
		p.acceptedHuge = append(p.acceptedHuge, key)
	}
}

// pickKind says which accepted keys a reader picks from.
type pickKind int

const (
	pickAny pickKind = iota
	pickLarge
	pickRecent
	pickRecentToo // as pickRecent: recent uploads are read half the time
	pickRecentLarge
	pickHuge
)

// pick is an accepted key of the kind asked for when there is one, else any accepted key,
// or "" when none was accepted yet.
func (p *stressPlan) pick(r *rand.Rand, kind pickKind) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	from := p.accepted
	switch kind {
	case pickLarge:
		if len(p.acceptedLarge) > 0 {
			from = p.acceptedLarge
		}
	case pickRecent, pickRecentToo:
		from = p.accepted[max(0, len(p.accepted)-stressRecent):]
	case pickHuge:
		from = p.acceptedHuge
	case pickRecentLarge:
		from = p.acceptedLarge[max(0, len(p.acceptedLarge)-stressRecent):]
		if len(from) == 0 {
			from = p.accepted
		}
	}
	if len(from) == 0 {
		return ""
	}
	return from[r.IntN(len(from))]
}

func (p *stressPlan) isAnnounced(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.announced[key]
}

func (p *stressPlan) totalBytes() int {
	n := 0
	for _, k := range p.keys {
		n += len(p.variants[p.variant[k]].data) + len(k) + 8
	}
	return n
}

func (p *stressPlan) smallest() int {
	n := -1
	for _, k := range p.keys {
		if s := len(p.body(k)); n < 0 || s < n {
			n = s
		}
	}
	return n
}

func (p *stressPlan) largest() int {
	n := 0
	for _, k := range p.keys {
		n = max(n, len(p.body(k)))
	}
	return n
}

// readCounts counts the readers' requests.
type readCounts struct{ gets, heads, lists, holds atomic.Int64 }

// stressReader HEADs, GETs and lists the bucket until told to stop, checking every
// answer against what was uploaded or what the function wrote.
type stressReader struct {
	client         *s3.Client
	http           *http.Client
	endpoint       string
	bucket, prefix string
	plan           *stressPlan
	tap            *writeTap
	problems       *problemList
	counts         *readCounts
	rand           *rand.Rand
	// slow reads bodies a chunk at a time with pauses, as over a slow network.
	slow bool
	// storeSize and holdUntil, when set, make the reader a holder: storeSize is the
	// store's file size; holdUntil says whether it has grown enough since a stall began.
	storeSize func() int64
	holdUntil func(size int64) bool
}

func (r *stressReader) run(ctx context.Context, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		default:
		}
		kind := pickKind(r.rand.IntN(4))
		if r.slow {
			kind = pickRecentLarge
		}
		key := r.plan.pick(r.rand, kind)
		if key == "" {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if r.holdUntil != nil {
			if key = r.plan.pick(r.rand, pickHuge); key != "" && len(r.plan.variants[r.plan.variant[key]].data) >= stressHugeObject {
				r.hold(ctx, done, key, r.plan.body(key))
			} else {
				time.Sleep(5 * time.Millisecond)
			}
			continue
		}
		switch n := r.rand.IntN(20); {
		case n < 11:
			r.get(ctx, key, r.plan.body(key))
		case n < 13:
			if written := r.tap.written(r.prefix + key); len(written) == 1 {
				r.get(ctx, r.prefix+key, written[0])
			}
		case n < 19:
			r.head(ctx, key, r.plan.body(key))
		default:
			r.list(ctx)
		}
	}
}

// hold GETs key, reads one chunk of the body, stalls until the store's file has doubled
// (or the run ends, or stressHoldLimit passes), then reads the rest.
func (r *stressReader) hold(ctx context.Context, done <-chan struct{}, key string, want []byte) {
	r.counts.gets.Add(1)
	size := r.storeSize()
	if size <= 0 {
		time.Sleep(5 * time.Millisecond)
		return
	}
	resp, err := r.http.Get(r.endpoint + "/" + r.bucket + "/" + (&url.URL{Path: key}).EscapedPath())
	if err != nil {
		r.fail(ctx, "GET %s: %v", key, err)
		return
	}
	defer resp.Body.Close()
	first := make([]byte, stressSlowChunk)
	n, err := io.ReadFull(resp.Body, first)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		r.fail(ctx, "GET %s: %v", key, err)
		return
	}
	deadline := time.Now().Add(stressHoldLimit)
	grew := false
	for !grew && time.Now().Before(deadline) {
		select {
		case <-done:
			deadline = time.Now()
		case <-time.After(10 * time.Millisecond):
		}
		grew = r.holdUntil(size)
	}
	if grew {
		r.counts.holds.Add(1)
	}
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		r.fail(ctx, "GET %s, stalled while the store grew: %v", key, err)
		return
	}
	if got := append(first[:n], rest...); !bytes.Equal(got, want) {
		r.fail(ctx, "GET %s, stalled while the store grew from %d bytes: %d bytes that differ from the %d written (first difference at byte %d)",
			key, size, len(got), len(want), firstDifference(got, want))
	}
}

// fileSize is the size of the file at path, 0 when it cannot be read.
func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// get reads key with a plain GET of its URL, as a browser showing the image does.
func (r *stressReader) get(ctx context.Context, key string, want []byte) {
	r.counts.gets.Add(1)
	u := r.endpoint + "/" + r.bucket + "/" + (&url.URL{Path: key}).EscapedPath()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		r.fail(ctx, "GET %s: %v", key, err)
		return
	}
	resp, err := r.http.Do(req)
	if err != nil {
		r.fail(ctx, "GET %s: %v", key, err)
		return
	}
	var body io.Reader = resp.Body
	if r.slow {
		body = &slowReader{r: resp.Body}
	}
	got, readErr := io.ReadAll(body)
	if err := errors.Join(readErr, resp.Body.Close()); err != nil {
		r.fail(ctx, "GET %s: %v", key, err)
		return
	}
	if resp.StatusCode != http.StatusOK {
		r.fail(ctx, "GET %s: %s: %s", key, resp.Status, got)
		return
	}
	if !bytes.Equal(got, want) {
		r.fail(ctx, "GET %s: %d bytes that differ from the %d written (first difference at byte %d)", key, len(got), len(want), firstDifference(got, want))
	}
}

func (r *stressReader) head(ctx context.Context, key string, want []byte) {
	r.counts.heads.Add(1)
	out, err := r.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(key)})
	if err != nil {
		r.fail(ctx, "HEAD %s: %v", key, err)
		return
	}
	if size, etag := aws.ToInt64(out.ContentLength), aws.ToString(out.ETag); size != int64(len(want)) || etag != quotedMD5(want) {
		r.fail(ctx, "HEAD %s: %d bytes, ETag %s; want %d, %s", key, size, etag, len(want), quotedMD5(want))
	}
}

// list lists the whole bucket, a page at a time: keys in order, each original with the
// size and ETag of its upload.
func (r *stressReader) list(ctx context.Context) {
	r.counts.lists.Add(1)
	pages := s3.NewListObjectsV2Paginator(r.client, &s3.ListObjectsV2Input{Bucket: aws.String(r.bucket), MaxKeys: aws.Int32(100)})
	last := ""
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			r.fail(ctx, "LIST: %v", err)
			return
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if key <= last {
				r.fail(ctx, "LIST: %q after %q, want ascending keys", key, last)
			}
			last = key
			if strings.HasPrefix(key, r.prefix) || !r.plan.isAnnounced(key) {
				continue
			}
			want := r.plan.body(key)
			if size, etag := aws.ToInt64(obj.Size), aws.ToString(obj.ETag); size != int64(len(want)) || etag != quotedMD5(want) {
				r.fail(ctx, "LIST: %s with %d bytes, ETag %s; want %d, %s", key, size, etag, len(want), quotedMD5(want))
			}
		}
	}
}

// fail records a wrong answer, unless the run is over and the request was cut short.
func (r *stressReader) fail(ctx context.Context, format string, args ...any) {
	if ctx.Err() != nil {
		return
	}
	r.problems.add(fmt.Sprintf(format, args...))
}

// readerHTTPClient is a reader's HTTP client; a slow one has a small receive buffer, so
// that the S3 API waits on it as on a slow network instead of handing a whole body to
// the kernel at once.
func readerHTTPClient(slow bool) *http.Client {
	if !slow {
		return &http.Client{Timeout: time.Minute}
	}
	dialer := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			if err := tcp.SetReadBuffer(stressSlowChunk); err != nil {
				return nil, errors.Join(err, conn.Close())
			}
		}
		return conn, nil
	}}
	return &http.Client{Timeout: time.Minute, Transport: transport}
}

// slowReader reads stressSlowChunk bytes at most per stressSlowPause.
type slowReader struct{ r io.Reader }

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(stressSlowPause)
	return s.r.Read(p[:min(len(p), stressSlowChunk)])
}

// problemList keeps the first problems found and counts them all.
type problemList struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (p *problemList) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if len(p.first) < 10 {
		p.first = append(p.first, s)
	}
}

func (p *problemList) report() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n, append([]string(nil), p.first...)
}

// listKeys lists every key under prefix.
func listKeys(t *testing.T, client *s3.Client, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list %s: %v", prefix, err)
		}
		for _, obj := range page.Contents {
			keys = append(keys, aws.ToString(obj.Key))
		}
	}
	return keys
}

func prefixed(prefix string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = prefix + k
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func quotedMD5(data []byte) string {
	sum := md5.Sum(data)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// statusWriter remembers the status of a response it passes on.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
