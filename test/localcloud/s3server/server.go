// Package s3server runs the local S3 API: gofakes3 over a bbolt file (or, with
// Config.Versioning, in memory), path-style, on a loopback address, reporting every
// object write and delete as a Change.
//
// Persistence uses gofakes3's s3bolt backend, carried corrected in internal/s3bolt (it
// returned bytes of bbolt's memory map that outlived their transaction), rather than its
// s3afero file-tree backend: a key is a bbolt key, so every key S3 accepts can be stored
// ("a" and "a/b" side by side, keys ending in "/", "%", unicode), writes are atomic, and
// the file lock stops two local clouds from sharing one state folder. s3bolt has no bucket versioning;
// gofakes3's in-memory s3mem backend has it, at the price of keeping nothing across
// restarts.
package s3server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// Config configures a Server.
type Config struct {
	// Addr is the loopback host:port to listen on; port 0 picks a free one.
	Addr string
	// Dir is the folder that keeps the objects (file s3.db) across restarts. Unused
	// with Versioning.
	Dir string
	// Versioning keeps the objects in memory, on a backend that implements bucket
	// versioning (PutBucketVersioning, delete markers, deletes by version ID). Nothing
	// is kept across restarts. Default: the bbolt file in Dir, which refuses versioning.
	Versioning bool
	// Buckets are created at start when missing.
	Buckets []string
	// OnChange receives every successful object write and delete. Required.
	OnChange func(Change)
	// OnError receives problems that do not fail a request. Default: ignored.
	OnError func(error)
	// Wrap, when set, wraps the S3 API's handler, so that another API is served on the
	// same address (the local cloud's Lambda API). Default: the S3 API alone.
	Wrap func(s3 http.Handler) http.Handler
}

// Server is a running S3 API.
type Server struct {
	backend *store
	faults  *faults
	http    *http.Server
	addr    string
	done    chan error
	close   sync.Once
	closed  error
}

// Start opens the state, creates the buckets and serves the S3 API until Close.
func Start(cfg Config) (*Server, error) {
	if cfg.OnChange == nil {
		return nil, errors.New("s3server: Config.OnChange is required")
	}
	if cfg.OnError == nil {
		cfg.OnError = func(error) {}
	}
	if err := checkLoopback(cfg.Addr); err != nil {
		return nil, err
	}
	var backend *store
	if cfg.Versioning {
		backend = openMemory()
	} else {
		var err error
		if backend, err = openBolt(cfg.Dir); err != nil {
			return nil, err
		}
	}
	s := &Server{backend: backend, done: make(chan error, 1)}
	for _, b := range cfg.Buckets {
		if err := s.ensureBucket(b); err != nil {
			return nil, errors.Join(err, backend.close())
		}
	}
	fake := gofakes3.New(s.backend.Backend, gofakes3.WithLogger(gofakes3.DiscardLog()), gofakes3.WithAutoBucket(false))
	post := &postObject{backend: s.backend.Backend, now: time.Now}
	obs := &observer{next: fake.Server(), post: post, head: s.head, versioned: backend.versioningEnabled, emit: cfg.OnChange, fail: cfg.OnError}
	s.faults = &faults{next: standardHeaders{next: obs}}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		err = fmt.Errorf("S3 API on %s: %w (is another local cloud running? choose another port)", cfg.Addr, err)
		return nil, errors.Join(err, backend.close())
	}
	s.addr = ln.Addr().String()
	var handler http.Handler = s.faults
	if cfg.Wrap != nil {
		handler = cfg.Wrap(handler)
	}
	s.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.http.Serve(ln) }()
	return s, nil
}

// URL is the endpoint to give S3 clients, e.g. http://127.0.0.1:4566.
func (s *Server) URL() string { return "http://" + s.addr }

// Addr is the host:port the API listens on.
func (s *Server) Addr() string { return s.addr }

// InjectFault makes matching requests fail until the returned function is called.
func (s *Server) InjectFault(f Fault) (remove func()) { return s.faults.add(f) }

// Close stops serving, waiting up to the context's deadline for requests in flight, and
// closes the state file. Later calls return the first call's result.
func (s *Server) Close(ctx context.Context) error {
	s.close.Do(func() {
		err := s.http.Shutdown(ctx)
		if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		err = errors.Join(err, s.backend.close())
		s.closed = err
	})
	return s.closed
}

func (s *Server) ensureBucket(name string) error {
	if err := gofakes3.ValidateBucketName(name); err != nil {
		return fmt.Errorf("bucket %q: %w", name, err)
	}
	exists, err := s.backend.BucketExists(name)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if err := s.backend.CreateBucket(name); err != nil {
		return fmt.Errorf("bucket %s: %w", name, err)
	}
	return nil
}

// head returns the size, hex ETag and version ID of an object's current version
// straight from the backend.
func (s *Server) head(bucket, key string) (size int64, etag, versionID string, err error) {
	obj, err := s.backend.HeadObject(bucket, key)
	if err != nil {
		return 0, "", "", err
	}
	if err := obj.Contents.Close(); err != nil {
		return 0, "", "", err
	}
	return obj.Size, hex.EncodeToString(obj.Hash), string(obj.VersionID), nil
}

// checkLoopback refuses addresses other hosts could reach: the local cloud accepts any
// credentials, so it must not listen beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("S3 API address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("S3 API address %q: only loopback addresses (127.0.0.1, ::1) are allowed, as any credentials are accepted", addr)
	}
	return nil
}
