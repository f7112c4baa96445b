package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Error types the local cloud reports when the runtime did not name one.
const (
	ErrorTimeout  = "Sandbox.Timedout"
	ErrorExit     = "Runtime.ExitError"
	ErrorUnknown  = "Runtime.Unknown"
	ErrorInit     = "Runtime.InitError"
	timeoutPrefix = "Task timed out after"
)

// outcome is how one invocation ended.
type outcome struct {
	// errorType is empty on success.
	errorType, errorMessage string
	payload                 []byte
	// restart is set when the execution environment is in an unknown state (the runtime
	// crashed, timed out or never answered through the Runtime API) and must be replaced,
	// as Lambda replaces it.
	restart bool
}

// errorPayload is the body a runtime posts with a function error.
type errorPayload struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

// judge decides the outcome from what the tap saw and what the emulator answered. The
// runtime's own report through the Runtime API decides when there is one; otherwise the
// emulator's answer is read the way its invoke endpoint writes errors.
func judge(rec *record, initErr *record, status int, header http.Header, body []byte) outcome {
	if rec != nil && !rec.end.IsZero() {
		if !rec.errored {
			return outcome{payload: rec.body}
		}
		p := parseError(rec.body)
		o := outcome{errorType: firstNonEmpty(rec.errorType, p.ErrorType, ErrorUnknown), errorMessage: p.ErrorMessage, payload: rec.body}
		return o
	}
	if initErr != nil {
		p := parseError(initErr.body)
		return outcome{errorType: firstNonEmpty(initErr.errorType, p.ErrorType, ErrorInit), errorMessage: p.ErrorMessage, payload: initErr.body, restart: true}
	}
	o := outcome{payload: body, restart: true}
	p := parseError(body)
	switch {
	case bytes.HasPrefix(body, []byte(timeoutPrefix)):
		o.errorType, o.errorMessage = ErrorTimeout, string(body)
		o.payload = errorJSON(o.errorType, o.errorMessage)
	case header.Get("X-Amz-Function-Error") != "" || p.ErrorType != "":
		o.errorType = firstNonEmpty(p.ErrorType, ErrorExit)
		o.errorMessage = p.ErrorMessage
	case status/100 != 2:
		o.errorType, o.errorMessage = ErrorUnknown, strings.TrimSpace(http.StatusText(status)+" "+string(body))
		o.payload = errorJSON(o.errorType, o.errorMessage)
	default:
		o.errorType, o.errorMessage = ErrorUnknown, "the runtime did not report the invocation through the Runtime API"
		o.payload = errorJSON(o.errorType, o.errorMessage)
	}
	return o
}

func parseError(body []byte) errorPayload {
	var p errorPayload
	if json.Unmarshal(body, &p) != nil {
		return errorPayload{}
	}
	return p
}

func errorJSON(errorType, message string) []byte {
	b, err := json.Marshal(errorPayload{ErrorMessage: message, ErrorType: errorType})
	if err != nil {
		return nil
	}
	return b
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
