// Package s3bolt is gofakes3's bbolt backend (github.com/johannesboyne/gofakes3
// v1.2.0, backend/s3bolt, MIT licence in LICENSE), carried here with its
// internal s3io helpers replaced by io.NopCloser.
package s3bolt
