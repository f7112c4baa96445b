package s3server

import (
	"io"
	"net"
	"net/http"
)

// maxDrainBytes bounds how much of a request's body is read before its connection is
// reset; larger bodies are cut short by the reset itself.
const maxDrainBytes = 64 << 20

// resetConnection reads the request, then drops its connection with a TCP reset (RST,
// not an orderly close), so the client, waiting for its answer, reads "connection reset
// by peer". When the connection cannot be taken over it answers 500 InternalError, which
// a client also retries.
func resetConnection(w http.ResponseWriter, r *http.Request) {
	// A body that cannot be read is cut short by the reset all the same.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrainBytes))
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "InternalError", "injected fault: the connection could not be reset: "+err.Error())
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		// Linger 0 makes Close send RST. If it cannot be set, Close still ends the
		// connection mid-exchange, which the client sees as an unexpected EOF.
		_ = tcp.SetLinger(0)
	}
	// The connection is gone either way; an error closing it leaves nothing to do.
	_ = conn.Close()
}
