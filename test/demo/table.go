package demo

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Result is what became of one sample.
type Result struct {
	Key string
	// Input and Output describe the original and its thumbnail; Output is the zero Image
	// when there is no thumbnail.
	Input, Output Image
	// Invocations is how many times the function ran for the sample.
	Invocations int
	// Duration and InitDuration are the last invocation's, as in its REPORT line.
	Duration, InitDuration time.Duration
	// Broken says the sample was meant to fail; Problem says what went wrong, if anything.
	Broken  bool
	Problem string
}

// Image describes an encoded image.
type Image struct {
	Bytes         int
	Width, Height int
	// Format is the decoder's name ("jpeg", "png", "gif", "webp"), empty when unreadable.
	Format string
	// ContentType is the object's Content-Type header, for thumbnails.
	ContentType string
}

// Dims is "WxH format", or "unreadable".
func (i Image) Dims() string {
	if i.Format == "" {
		return "unreadable"
	}
	return fmt.Sprintf("%dx%d %s", i.Width, i.Height, i.Format)
}

// WriteTable prints one line per result.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tINPUT\t\tTHUMBNAIL\t\t\tDURATION\tRUNS\tNOTE")
	for _, r := range results {
		out, outDims, ctype := "none", "", ""
		if r.Output.Bytes > 0 {
			out, outDims, ctype = size(r.Output.Bytes), r.Output.Dims(), r.Output.ContentType
		}
		duration := "-"
		if r.Invocations > 0 {
			duration = fmt.Sprintf("%.1f ms", float64(r.Duration)/float64(time.Millisecond))
			if r.InitDuration > 0 {
				duration += fmt.Sprintf(" (+%.1f ms init)", float64(r.InitDuration)/float64(time.Millisecond))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Key, size(r.Input.Bytes), r.Input.Dims(), out, outDims, ctype, duration, r.Invocations, r.Problem)
	}
	return tw.Flush()
}

// size renders a byte count for people.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
