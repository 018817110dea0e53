package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/encoding/json"
)

// rawClient speaks bytes to a server, to send what no library would.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	msgs chan map[string]json.RawMessage
	done chan int
}

func startRaw(t *testing.T) *rawClient {
	a, b := net.Pipe()
	c := &rawClient{t: t, conn: b, msgs: make(chan map[string]json.RawMessage, 100), done: make(chan int, 1)}
	go func() { c.done <- New(Options{Logger: testLogger(t)}).Serve(context.Background(), a) }()
	go c.read()
	t.Cleanup(func() {
		b.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return c
}

// read collects the server's responses (and ignores its notifications).
func (c *rawClient) read() {
	in := bufio.NewReader(c.conn)
	for {
		n := -1
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				close(c.msgs)
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(in, body); err != nil {
			close(c.msgs)
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server wrote invalid JSON: %q", body)
			continue
		}
		if _, isNote := m["method"]; isNote {
			continue
		}
		c.msgs <- m
	}
}

func (c *rawClient) write(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

func request(id int, method, params string) string {
	return frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, method, params))
}

// next returns the next response.
func (c *rawClient) next() map[string]json.RawMessage {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatal("connection closed")
		}
		return m
	case <-time.After(20 * time.Second):
		c.t.Fatal("no response")
	}
	return nil
}

// expect reads responses until the one with id, and returns its error code
// (0 when it succeeded).
func (c *rawClient) expect(id string) int {
	c.t.Helper()
	for {
		m := c.next()
		if string(m["id"]) != id {
			continue
		}
		if e, ok := m["error"]; ok {
			var er struct{ Code int }
			_ = json.Unmarshal(e, &er)
			return er.Code
		}
		return 0
	}
}

func TestMalformedTraffic(t *testing.T) {
	c := startRaw(t)
	c.write(request(1, "initialize", `{"capabilities":{}}`))
	if code := c.expect("1"); code != 0 {
		t.Fatalf("initialize failed: %d", code)
	}

	// A header line without a colon, a bad Content-Length: skipped.
	c.write("this is not a header\r\n\r\n")
	c.write("Content-Length: abc\r\n\r\n{}")
	c.write(request(2, "textDocument/documentSymbol", `{"textDocument":{"uri":"file:///a.json"}}`))
	if code := c.expect("2"); code != 0 {
		t.Errorf("request after bad headers: error %d", code)
	}

	// Invalid JSON: a parse error with a null id.
	c.write(frame(`{"jsonrpc":"2.0","id":3,"method":`))
	if code := c.expect("null"); code != -32700 {
		t.Errorf("invalid JSON: code %d, want -32700", code)
	}
	// Valid JSON that is no request: invalid request, with its id.
	c.write(frame(`{"jsonrpc":"2.0","id":4,"method":7}`))
	if code := c.expect("4"); code != -32600 {
		t.Errorf("method of the wrong type: code %d, want -32600", code)
	}
	// Params of the wrong type.
	c.write(request(5, "textDocument/hover", `"not an object"`))
	if code := c.expect("5"); code != -32602 {
		t.Errorf("wrong params: code %d, want -32602", code)
	}
	c.write(request(6, "textDocument/hover", `{"textDocument":{"uri":7},"position":{"line":-1}}`))
	if code := c.expect("6"); code != -32602 {
		t.Errorf("wrong param types: code %d, want -32602", code)
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nope"},"contentChanges":"x"}}`))

	// A body shorter than its Content-Length swallows the next frame's
	// start; the reader finds that frame again.
	c.write("Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",")
	c.write(request(7, "textDocument/documentSymbol", `{"textDocument":{"uri":"file:///a.json"}}`))
	c.write(request(8, "textDocument/documentSymbol", `{"textDocument":{"uri":"file:///a.json"}}`))
	if code := c.expect("8"); code != 0 {
		t.Errorf("request after a truncated body: error %d", code)
	}

	// A 5 MB document.
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; b.Len() < 5<<20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::bucket-%d/*"]}`, i, i)
	}
	b.WriteString("]}")
	text, _ := json.Marshal(b.String())
	c.write(frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///big.json","languageId":"json","version":1,"text":%s}}}`, text)))
	start := time.Now()
	c.write(request(9, "textDocument/hover", `{"textDocument":{"uri":"file:///big.json"},"position":{"line":0,"character":60}}`))
	if code := c.expect("9"); code != 0 {
		t.Errorf("hover on a 5 MB document: error %d", code)
	}
	t.Logf("hover on a 5 MB document answered in %v", time.Since(start))

	c.write(request(10, "shutdown", "null"))
	if code := c.expect("10"); code != 0 {
		t.Errorf("shutdown after malformed traffic: error %d", code)
	}
}
