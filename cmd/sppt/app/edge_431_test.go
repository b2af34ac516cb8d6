package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// Request headers too large for the server's buffer are refused before the
// request line is even known, so the answer cannot depend on the path: it
// is the contract's JSON error (431 header_too_large), which an API client
// can read — never an HTML page under /api/.
func TestHeadersTooLargeAnswerJSON(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	// (Nor can Accept-Language be read: the message is Indonesian.)
	for range 2 {
		conn, err := net.Dial("tcp", strings.TrimPrefix(in.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "GET /api/v1/offices HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 64<<10))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if resp.StatusCode != 431 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal(body, &e) != nil || e.Error.Code != "header_too_large" || e.Error.Message == "" || strings.Contains(e.Error.Message, "err.") {
			t.Errorf("oversized headers: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}
