// Package demo runs the product once on sample images through the local cloud and shows
// what it made: a table, a contact sheet, and where the broken file's error went.
package demo

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Sample is one image the demo uploads.
type Sample struct {
	// Key is the object key: the path under the samples folder.
	Key  string
	Data []byte
	// Broken samples are expected to get no thumbnail.
	Broken bool
}

// readmeFile describes the samples and is not one.
const readmeFile = "README.md"

// LoadSamples reads every sample under dir (files named broken* are expected to fail)
// and adds the generated large photo.
func LoadSamples(dir string) ([]Sample, error) {
	var out []Sample
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == readmeFile {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, Sample{Key: filepath.ToSlash(rel), Data: data, Broken: strings.HasPrefix(d.Name(), "broken")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("samples in %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("samples in %s: none found", dir)
	}
	large, err := LargePhoto()
	if err != nil {
		return nil, fmt.Errorf("generating %s: %w", LargePhotoKey, err)
	}
	out = append(out, Sample{Key: LargePhotoKey, Data: large})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
