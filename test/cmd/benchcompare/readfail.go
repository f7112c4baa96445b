package main

import (
	"path/filepath"
	"regexp"
	"strings"
)

// readFailure is a tool that cannot read an input at all, as opposed to one
// that failed on it: the row then shows why in words, and the message the
// tool printed, instead of a figure.
type readFailure struct {
	tool    string // "vipsthumbnail" or "sharp"
	reason  string // e.g. "cannot read HEIC: prebuilt libheif has no HEVC decoder"
	message string // what the tool printed, verbatim
}

// cannot reports whether the tool could not read the input.
func (f readFailure) cannot() bool { return f.reason != "" }

// codecOf names the compression inside each HEIF-based container, for
// libheif messages that do not name it.
var codecOf = map[string]string{"HEIC": "HEVC", "AVIF": "AV1"}

// missingDecoder matches libheif's messages for a file whose codec it was
// built without; a submatch, when present, names the codec.
var missingDecoder = []*regexp.Regexp{
	// libheif 1.19 and later: "Support for this compression format has not
	// been built in: HEVC (a suitable decoder plugin is libde265)".
	regexp.MustCompile(`compression format has not been built in: ([A-Za-z0-9.]+)`),
	// libheif 1.14 to 1.18, plugins: "No decoding plugin installed for this compression format".
	regexp.MustCompile(`No decoding plugin installed for this compression format`),
	// libheif before 1.14: "Unsupported feature: Unsupported codec".
	regexp.MustCompile(`Unsupported codec`),
}

// unknownFormat matches a tool that has no loader for the file at all.
var unknownFormat = regexp.MustCompile(`is not a known file format|unsupported image format`)

// classifyReadError tells whether message, the error a tool printed for
// source, means the tool cannot read that kind of file (it lacks a decoder
// or a loader), and says so in words. heifLib names the tool's libheif, e.g.
// "prebuilt libheif". Any other failure is not a read failure: the caller
// reports it as an error, since a figure is then missing for no good reason.
func classifyReadError(tool, heifLib, source, message string) (readFailure, bool) {
	format := formatName(source)
	for _, re := range missingDecoder {
		m := re.FindStringSubmatch(message)
		if m == nil {
			continue
		}
		codec := codecOf[format]
		if len(m) > 1 && m[1] != "" {
			codec = m[1]
		}
		if codec == "" {
			codec = "its"
		}
		return readFailure{tool: tool, reason: "cannot read " + format + ": " + heifLib + " has no " + codec + " decoder", message: message}, true
	}
	if unknownFormat.MatchString(message) {
		return readFailure{tool: tool, reason: "cannot read " + format + ": no loader for it", message: message}, true
	}
	return readFailure{}, false
}

// formatName is the upper-case name of a source's format from its extension.
func formatName(source string) string {
	ext := strings.ToUpper(strings.TrimPrefix(filepath.Ext(source), "."))
	switch ext {
	case "JPG", "JPEG":
		return "JPEG"
	case "HEIF", "HEIC":
		return "HEIC"
	}
	return ext
}
