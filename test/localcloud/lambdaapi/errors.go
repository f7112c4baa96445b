package lambdaapi

import (
	"encoding/json"
	"net/http"
)

// apiError is an error answer of the Lambda API.
type apiError struct {
	status int
	// errorType is the X-Amzn-ErrorType, e.g. "ResourceNotFoundException".
	errorType string
	message   string
}

// Error returns the type and message.
func (e *apiError) Error() string { return e.errorType + ": " + e.message }

// errorBody is the JSON body of a Lambda API error. Type is "User" for errors of the
// request and "Service" for the service's own.
type errorBody struct {
	Type    string `json:"Type"`
	Message string `json:"message"`
}

// writeError answers as the Lambda API does: the error type in a header, the message
// in a JSON body.
func writeError(w http.ResponseWriter, e *apiError) {
	blame := "User"
	if e.status >= 500 {
		blame = "Service"
	}
	body, err := json.Marshal(errorBody{Type: blame, Message: e.message})
	if err != nil { // strings always marshal
		http.Error(w, e.Error(), e.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.errorType)
	w.WriteHeader(e.status)
	// A failed write means the caller went away; there is no one left to tell.
	_, _ = w.Write(body)
}
