package icc

// Limits on what a profile may declare. They bound the work and memory a
// hostile profile can cause; real profiles stay far below them.
const (
	// MaxProfileBytes is the largest profile read. Press profiles with 33^4
	// tables run to a few MiB; a JPEG can carry at most about 16 MiB.
	MaxProfileBytes = 8 << 20
	// maxTags is the most entries a tag table may have (LittleCMS: 100).
	maxTags = 100
	// maxCurveEntries is the most entries of one sampled curve.
	maxCurveEntries = 1 << 16
	// maxCLUTValues is the most values (grid points times outputs) of one
	// colour lookup table: a 33^4 CMYK table with 3 outputs has 3.6 million.
	maxCLUTValues = 4 << 20
	// maxMLUCRecords is the most strings a localized-text tag may list.
	maxMLUCRecords = 1024
	// maxNameLen is the longest source profile name reported.
	maxNameLen = 64
)
