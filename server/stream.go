package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxMessage bounds one message body. A 5 MB template is fine; a header
// claiming gigabytes is skipped instead of allocated.
const maxMessage = 64 << 20

// contentLength is the only header the framing needs.
const contentLength = "content-length:"

// stream frames JSON-RPC messages with Content-Length headers, like
// jsonrpc2.NewStream, but survives bad traffic: the library's stream returns
// an error for a bad header or invalid JSON, and its Conn then closes the
// connection. Here a bad frame is answered (when it has an id) or logged, the
// reader resynchronises on the next "Content-Length:" header, and only a
// failing transport ends the stream.
type stream struct {
	conn io.ReadWriteCloser
	in   *bufio.Reader
	// pending holds bytes read past a broken frame that start the next one.
	pending []byte
	writeMu sync.Mutex
	log     *zap.Logger
}

func newStream(conn io.ReadWriteCloser, log *zap.Logger) *stream {
	return &stream{conn: conn, in: bufio.NewReaderSize(conn, 64<<10), log: log}
}

// frameError is a bad frame the reader can skip.
type frameError struct{ msg string }

func (e *frameError) Error() string { return e.msg }

// Read returns the next well-formed message, skipping and answering broken
// ones.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, err := s.readFrame()
		var fe *frameError
		if errors.As(err, &fe) {
			s.log.Warn("skipping malformed frame", zap.String("reason", fe.msg))
			if err := s.resync(); err != nil {
				return nil, 0, err
			}
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, int64(len(body)), nil
		}
		s.rejectBody(body, err)
	}
}

// rejectBody answers a body that is not a JSON-RPC message: a parse error
// for invalid JSON, an invalid request (with the id when one can be read)
// for valid JSON of the wrong shape. When the body holds the start of the
// next frame (the previous frame was truncated), reading resumes there.
func (s *stream) rejectBody(body []byte, decodeErr error) {
	if i := indexFold(body, contentLength); i >= 0 {
		s.pending = append(append([]byte(nil), body[i:]...), s.pending...)
		body = body[:i]
	}
	s.log.Warn("rejecting message", zap.Error(decodeErr), zap.Int("bytes", len(body)))
	var probe struct {
		ID     *jsonrpc2.ID    `json:"id"`
		Method json.RawMessage `json:"method"`
	}
	code, id := jsonrpc2.ParseError, "null"
	if json.Unmarshal(body, &probe) == nil {
		code = jsonrpc2.InvalidRequest
		if probe.ID != nil {
			if b, err := json.Marshal(probe.ID); err == nil {
				id = string(b)
			}
		}
		if id == "null" && len(probe.Method) > 0 {
			return // a notification: nothing to answer
		}
	}
	msg, _ := json.Marshal(fmt.Sprintf("iamlens: %v", decodeErr))
	reply := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":%d,"message":%s}}`, id, code, msg)
	if err := s.writeRaw([]byte(reply)); err != nil {
		s.log.Warn("cannot answer malformed message", zap.Error(err))
	}
}

// readFrame reads the headers and the body of one frame.
func (s *stream) readFrame() ([]byte, error) {
	length := -1
	var bad string
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if length < 0 && bad == "" {
				continue // stray blank lines between frames
			}
			break
		}
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			bad = fmt.Sprintf("invalid header line %q", truncate(line, 80))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil || n <= 0 {
				bad = fmt.Sprintf("invalid Content-Length %q", truncate(val, 40))
				continue
			}
			length = n
		}
	}
	if bad != "" {
		return nil, &frameError{bad}
	}
	if length < 0 {
		return nil, &frameError{"missing Content-Length header"}
	}
	if length > maxMessage {
		if _, err := io.CopyN(io.Discard, readerFunc(s.read), int64(length)); err != nil {
			return nil, err
		}
		return nil, &frameError{fmt.Sprintf("message of %d bytes exceeds the %d byte limit", length, maxMessage)}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(readerFunc(s.read), body); err != nil {
		return nil, err
	}
	return body, nil
}

// readerFunc adapts a read method to io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// read reads pending bytes first, then the connection.
func (s *stream) read(p []byte) (int, error) {
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	return s.in.Read(p)
}

// readLine reads up to and including '\n'.
func (s *stream) readLine() (string, error) {
	if len(s.pending) > 0 {
		if i := bytes.IndexByte(s.pending, '\n'); i >= 0 {
			line := string(s.pending[:i+1])
			s.pending = s.pending[i+1:]
			return line, nil
		}
		head := string(s.pending)
		s.pending = nil
		rest, err := s.in.ReadString('\n')
		return head + rest, err
	}
	return s.in.ReadString('\n')
}

// resync drops bytes up to the next "Content-Length:" header.
func (s *stream) resync() error {
	if i := indexFold(s.pending, contentLength); i >= 0 {
		s.pending = s.pending[i:]
		return nil
	}
	// Keep the tail of pending in case the header straddles it.
	window := append([]byte(nil), s.pending...)
	s.pending = nil
	for {
		b, err := s.in.ReadByte()
		if err != nil {
			return err
		}
		window = append(window, b)
		if len(window) > len(contentLength) {
			window = window[len(window)-len(contentLength):]
		}
		if len(window) == len(contentLength) && strings.EqualFold(string(window), contentLength) {
			s.pending = window
			return nil
		}
	}
}

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshal message: %w", err)
	}
	if err := s.writeRaw(data); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

func (s *stream) writeRaw(data []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	frame := make([]byte, 0, len(data)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(data)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, data...)
	if _, err := s.conn.Write(frame); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	return nil
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.conn.Close() }

func indexFold(b []byte, lowerSep string) int {
	n := len(lowerSep)
	for i := 0; i+n <= len(b); i++ {
		if (b[i] == 'C' || b[i] == 'c') && strings.EqualFold(string(b[i:i+n]), lowerSep) {
			return i
		}
	}
	return -1
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
