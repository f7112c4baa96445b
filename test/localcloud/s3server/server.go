// Package s3server runs the local S3 API: gofakes3 over a bbolt file, path-style, on a
// loopback address, reporting every object write and delete as a Change.
//
// Persistence uses gofakes3's s3bolt backend rather than its s3afero file-tree backend:
// a key is a bbolt key, so every key S3 accepts can be stored ("a" and "a/b" side by
// side, keys ending in "/", "%", unicode), writes are atomic, and the file lock stops
// two local clouds from sharing one state folder.
package s3server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	bolt "go.etcd.io/bbolt"
)

// Config configures a Server.
type Config struct {
	// Addr is the loopback host:port to listen on; port 0 picks a free one.
	Addr string
	// Dir is the folder that keeps the objects (file s3.db) across restarts.
	Dir string
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
	db      *bolt.DB
	backend *s3bolt.Backend
	faults  *faults
	http    *http.Server
	addr    string
	done    chan error
	close   sync.Once
	closed  error
}

// StateFile is the file in Config.Dir that holds the objects.
const StateFile = "s3.db"

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
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("S3 state folder %s: %w", cfg.Dir, err)
	}
	path := filepath.Join(cfg.Dir, StateFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("S3 state %s is locked: another local cloud uses this folder", path)
	}
	if err != nil {
		return nil, fmt.Errorf("S3 state %s: %w", path, err)
	}
	s := &Server{db: db, backend: s3bolt.New(db), done: make(chan error, 1)}
	for _, b := range cfg.Buckets {
		if err := s.ensureBucket(b); err != nil {
			return nil, errors.Join(err, db.Close())
		}
	}
	fake := gofakes3.New(s.backend, gofakes3.WithLogger(gofakes3.DiscardLog()), gofakes3.WithAutoBucket(false))
	obs := &observer{next: fake.Server(), head: s.head, emit: cfg.OnChange, fail: cfg.OnError}
	s.faults = &faults{next: standardHeaders{next: obs}}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		err = fmt.Errorf("S3 API on %s: %w (is another local cloud running? choose another port)", cfg.Addr, err)
		return nil, errors.Join(err, db.Close())
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
		if dbErr := s.db.Close(); dbErr != nil {
			err = errors.Join(err, fmt.Errorf("S3 state: %w", dbErr))
		}
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

// head returns an object's size and hex ETag straight from the backend.
func (s *Server) head(bucket, key string) (int64, string, error) {
	obj, err := s.backend.HeadObject(bucket, key)
	if err != nil {
		return 0, "", err
	}
	if err := obj.Contents.Close(); err != nil {
		return 0, "", err
	}
	return obj.Size, hex.EncodeToString(obj.Hash), nil
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
