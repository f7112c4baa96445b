package backfill

import (
	"iter"
	"strings"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// Step is what the backfill does about one key.
type Step string

const (
	// StepCreate asks the function for the thumbnail: an Object Created event.
	StepCreate Step = "create"
	// StepCheck reads the thumbnail's metadata first: StepCreate if it is out
	// of date, nothing if it is up to date.
	StepCheck Step = "check"
	// StepRemove asks the function to delete an orphan: an Object Deleted event.
	StepRemove Step = "remove"
	// StepSkip does nothing: the function has no work for the key.
	StepSkip Step = "skip"
)

// Reasons for a step, as counted in the summary.
const (
	// ReasonMissing: the original has no thumbnail.
	ReasonMissing = "missing"
	// ReasonOriginalNewer: the original was written after its thumbnail, so
	// the thumbnail cannot be of it; no metadata read is needed to tell.
	ReasonOriginalNewer = "original-newer"
	// ReasonStale: the thumbnail's metadata names another ETag or other settings.
	ReasonStale = "stale"
	// ReasonExists: a thumbnail exists and its metadata must be read.
	ReasonExists = "exists"
	// ReasonUpToDate: the thumbnail was made from the original's current ETag
	// with the current settings.
	ReasonUpToDate = "up-to-date"
	// ReasonOrphan: the thumbnail's original is gone.
	ReasonOrphan = "orphan"
	// ReasonFolder: a folder marker ("photos/"), which is no image.
	ReasonFolder = "folder"
	// ReasonEmpty: an object of zero bytes, which is no image.
	ReasonEmpty = "empty"
	// ReasonUnderPrefix: a key under the prefix found under the prefix again
	// ("resized/resized/a.jpg"); the function never acts on keys under its
	// output prefix, so it would neither make nor remove it.
	ReasonUnderPrefix = "under-prefix"
	// ReasonJobsPrefix: a batch job's manifest or report, under contract.JobsPrefix,
	// which the function skips.
	ReasonJobsPrefix = "jobs-prefix"
	// ReasonKeyTooLong: the prefix and the key together exceed S3's key length,
	// so no thumbnail can be written for it.
	ReasonKeyTooLong = "key-too-long"
)

// Item is a Pair with the step decided for it.
type Item struct {
	Pair
	Step   Step
	Reason string
}

// Plan decides the step of every Pair; see Decide.
func Plan(pairs iter.Seq2[Pair, error], prefix string) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		for p, err := range pairs {
			if err != nil {
				yield(Item{}, err)
				return
			}
			if !yield(Decide(p, prefix), nil) {
				return
			}
		}
	}
}

// Decide returns the step for one Pair, skipping what the function would skip
// whatever its settings (folder markers, empty objects, keys under its prefix
// or under contract.JobsPrefix)
// and nothing else: whether an object is an image, or small enough, is the
// function's to say.
func Decide(p Pair, prefix string) Item {
	do := func(s Step, reason string) Item { return Item{Pair: p, Step: s, Reason: reason} }
	switch {
	case strings.HasPrefix(p.Key, prefix):
		return do(StepSkip, ReasonUnderPrefix)
	case strings.HasPrefix(p.Key, contract.JobsPrefix):
		return do(StepSkip, ReasonJobsPrefix)
	case p.Key == "" || strings.HasSuffix(p.Key, "/"):
		return do(StepSkip, ReasonFolder) // "" is the prefix's own folder marker
	case p.Original == nil:
		return do(StepRemove, ReasonOrphan)
	case p.Original.Size == 0:
		return do(StepSkip, ReasonEmpty)
	case len(prefix)+len(p.Key) > handler.MaxKeyBytes:
		return do(StepSkip, ReasonKeyTooLong)
	case p.Thumbnail == nil:
		return do(StepCreate, ReasonMissing)
	case p.Original.LastModified.After(p.Thumbnail.LastModified):
		// An up-to-date thumbnail is written after its original was read, so
		// it is never older. Equal times (S3 lists to the second) prove nothing.
		return do(StepCreate, ReasonOriginalNewer)
	}
	return do(StepCheck, ReasonExists)
}
