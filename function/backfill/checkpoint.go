package backfill

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// checkpointVersion is the format of the checkpoint file; a file of another
// version is refused rather than misread.
const checkpointVersion = 1

// Checkpoint is where an interrupted run resumes: the last key before which
// every key is handled, the keys beyond it already handled, and the counts so
// far. It names the bucket, prefix and settings it was made for, so it is
// never applied to another backfill.
type Checkpoint struct {
	Version int    `json:"version"`
	Bucket  string `json:"bucket"`
	Prefix  string `json:"prefix"`
	Spec    string `json:"spec"`
	// After is the last original key before which every key is handled; nil
	// when none is yet. The listings resume after it.
	After *string `json:"after"`
	// Done are keys after After that are handled too, to be passed over.
	Done    []string  `json:"done,omitempty"`
	Summary Summary   `json:"summary"`
	Saved   time.Time `json:"saved"`
}

// LoadCheckpoint reads a checkpoint file. A missing file is an error wrapping
// fs.ErrNotExist.
func LoadCheckpoint(path string) (Checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	var c Checkpoint
	if err := json.Unmarshal(data, &c); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint %s: not a checkpoint file: %v", path, err)
	}
	if c.Version != checkpointVersion {
		return Checkpoint{}, fmt.Errorf("checkpoint %s: version %d, this backfill reads version %d", path, c.Version, checkpointVersion)
	}
	return c, nil
}

// matches refuses a checkpoint made for another bucket, prefix or settings.
func (c Checkpoint) matches(path, bucket, prefix, spec string) error {
	switch {
	case c.Bucket != bucket:
		return fmt.Errorf("checkpoint %s is for bucket %q, not %q", path, c.Bucket, bucket)
	case c.Prefix != prefix:
		return fmt.Errorf("checkpoint %s is for prefix %q, not %q", path, c.Prefix, prefix)
	case c.Spec != spec:
		return fmt.Errorf("checkpoint %s is for thumbnails %q, not %q", path, c.Spec, spec)
	}
	return nil
}

// Save writes the checkpoint atomically: to a temporary file beside path,
// flushed to disk, then renamed over path, so that a crash at any moment
// leaves either the previous checkpoint or this one, never a torn file.
// (google/renameio does the same but does not build on Windows.)
func (c Checkpoint) Save(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		if rerr := os.Remove(tmp.Name()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return nil
}

// RemoveCheckpoint deletes the checkpoint of a finished run; a missing file is fine.
func RemoveCheckpoint(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return nil
}
