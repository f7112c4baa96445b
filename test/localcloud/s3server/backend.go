package s3server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	bolt "go.etcd.io/bbolt"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server/internal/s3bolt"
)

// StateFile is the file in Config.Dir that holds the objects.
const StateFile = "s3.db"

// store is where the objects live: a bbolt file that outlasts restarts, or memory with
// bucket versioning.
type store struct {
	gofakes3.Backend
	// versioned is the backend's versioning, nil when it has none (bbolt).
	versioned gofakes3.VersionedBackend
	// close releases the store: the bbolt file and its lock.
	close func() error
}

// openBolt opens (or creates) the bbolt file in dir.
func openBolt(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("S3 state folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, StateFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("S3 state %s is locked: another local cloud uses this folder", path)
	}
	if err != nil {
		return nil, fmt.Errorf("S3 state %s: %w", path, err)
	}
	closeDB := func() error {
		if err := db.Close(); err != nil {
			return fmt.Errorf("S3 state: %w", err)
		}
		return nil
	}
	return &store{Backend: s3bolt.New(db), close: closeDB}, nil
}

// openMemory makes an empty in-memory store, gofakes3's s3mem backend, which implements
// bucket versioning. Its objects are gone when the server stops.
func openMemory() *store {
	mem := s3mem.New()
	return &store{Backend: mem, versioned: mem, close: func() error { return nil }}
}

// versioningEnabled says whether bucket keeps versions, so that a delete without a
// version ID leaves a delete marker.
func (s *store) versioningEnabled(bucket string) bool {
	if s.versioned == nil {
		return false
	}
	cfg, err := s.versioned.VersioningConfiguration(bucket)
	return err == nil && cfg.Status == gofakes3.VersioningEnabled
}
