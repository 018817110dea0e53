package server

import (
	"context"
	"math/rand"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// policyMB is an identity policy with surrogate pairs and CJK text before
// the findings, on the same lines, so that columns must count UTF-16 units.
const policyMB = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "写入😀", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-😀"},
    {"Sid": "Liste", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::bucket/*"}
  ]
}
`

func rangeOf(text string, start, end int) *protocol.Range {
	return &protocol.Range{Start: utf16Pos(text, start), End: utf16Pos(text, end)}
}

func TestIncrementalEditsWithMultiByteText(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/policy.json"
	text := policyMB
	s.open(uri, "json", 1, text)
	got := s.waitDiags(uri, 1)
	want := expectedDiagnostics(t, "/tmp/policy.json", text)
	if len(want) == 0 {
		t.Fatalf("the test policy has no findings; it cannot check positions")
	}
	if !reflect.DeepEqual(summary(got.Diagnostics), want) {
		t.Fatalf("version 1:\n got %+v\nwant %+v", summary(got.Diagnostics), want)
	}

	// Replace the emoji in the first Sid with CJK, insert an emoji before
	// "Effect" and delete one on another line: three edits in one message,
	// each relative to the text after the previous one.
	steps := []struct{ old, new string }{
		{"写入😀", "書き込み"},
		{`"Effect": "Allow", "Action": "s3:GetObject"`, `"Effect": "Allow", "Action": "s3:GetObject" `},
		{"bucket-😀", "bucket-🪣x"},
	}
	var changes []contentChange
	for _, st := range steps {
		i := strings.Index(text, st.old)
		changes = append(changes, edit(rangeOf(text, i, i+len(st.old)), st.new))
		text = text[:i] + st.new + text[i+len(st.old):]
	}
	s.change(uri, 2, changes...)
	got = s.waitDiags(uri, 2)
	if want := expectedDiagnostics(t, "/tmp/policy.json", text); !reflect.DeepEqual(summary(got.Diagnostics), want) {
		t.Fatalf("version 2:\n got %+v\nwant %+v", summary(got.Diagnostics), want)
	}
	if stored := s.text(uri); stored != text {
		t.Fatalf("stored text differs:\n got %q\nwant %q", stored, text)
	}
}

// text is the server's copy of a document.
func (s *session) text(uri string) string {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	return string(s.srv.docs[uri].snap.text)
}

func TestFullTextChangeHasNoRange(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "untitled:Untitled-1"
	s.open(uri, "", 1, "")
	s.waitDiags(uri, 1)
	// A change without a range replaces everything; decoded with protocol's
	// own type it would be an insertion at 0:0.
	s.change(uri, 2, contentChange{Text: strPtr(policyMB)})
	got := s.waitDiags(uri, 2)
	if s.text(uri) != policyMB {
		t.Fatalf("full change not applied: %q", s.text(uri))
	}
	if want := expectedDiagnostics(t, uri, policyMB); !reflect.DeepEqual(summary(got.Diagnostics), want) {
		t.Fatalf("untitled document:\n got %+v\nwant %+v", summary(got.Diagnostics), want)
	}
}

func strPtr(s string) *string { return &s }

func TestStaleVersionsAreIgnored(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/stale.json"
	s.open(uri, "json", 5, policyMB)
	s.waitDiags(uri, 5)
	s.change(uri, 4, contentChange{Text: strPtr("{}")})
	s.change(uri, 5, contentChange{Text: strPtr("{}")})
	if s.text(uri) != policyMB {
		t.Fatalf("a stale change was applied")
	}
}

func TestCloseClearsDiagnostics(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/close.json"
	s.open(uri, "json", 1, policyMB)
	if d := s.waitDiags(uri, 1); len(d.Diagnostics) == 0 {
		t.Fatal("expected findings before close")
	}
	n := s.publishCount(uri)
	s.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}})
	deadline := time.Now().Add(5 * time.Second)
	for s.publishCount(uri) == n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	s.mu.Lock()
	last := s.diags[uri][len(s.diags[uri])-1]
	s.mu.Unlock()
	if last.Diagnostics == nil || len(last.Diagnostics) != 0 {
		t.Errorf("after close got %v, want an empty list", last.Diagnostics)
	}
}

func TestOtherLanguagesAreNotAnalysed(t *testing.T) {
	calls := 0
	s := start(t, Options{Analyze: func(p string, text []byte, o analysisOptions) *analysisResult {
		calls++
		return nil
	}})
	s.initialize(nil)
	s.open("file:///tmp/main.go", "go", 1, `{"Statement": []}`)
	time.Sleep(50 * time.Millisecond)
	if s.publishCount("file:///tmp/main.go") != 0 || calls != 0 {
		t.Errorf("a Go file was analysed")
	}
}

// randomEdit picks a random range on rune boundaries and a replacement.
func randomEdit(rng *rand.Rand, text string) (start, end int, repl string) {
	pool := []string{"", "a", "😀", "写", "é", "\n", " ", "\"", "s3:Get", "🪣🪣", "\r\n"}
	// A position is on a character boundary and never between "\r" and
	// "\n", which LSP positions cannot express.
	boundary := func(i int) int {
		for i > 0 && i < len(text) && (!utf8.RuneStart(text[i]) || text[i] == '\n' && text[i-1] == '\r') {
			i--
		}
		return i
	}
	start = boundary(rng.Intn(len(text) + 1))
	end = boundary(min(len(text), start+rng.Intn(4)))
	if end < start {
		end = start
	}
	return start, end, pool[rng.Intn(len(pool))]
}

// runStress sends n random edits without waiting and checks the final
// publish against a fresh analysis of the final text.
func runStress(t *testing.T, s *session, n int) {
	uri := "file:///tmp/stress.json"
	text := policyMB
	s.open(uri, "json", 1, text)
	rng := rand.New(rand.NewSource(42))
	for v := 2; v <= n+1; v++ {
		a, b, repl := randomEdit(rng, text)
		s.change(uri, int32(v), edit(rangeOf(text, a, b), repl))
		text = text[:a] + repl + text[b:]
	}
	got := s.waitDiags(uri, int32(n+1))
	if stored := s.text(uri); stored != text {
		t.Fatalf("after %d edits the stored text differs:\n got %q\nwant %q", n, stored, text)
	}
	if want := expectedDiagnostics(t, "/tmp/stress.json", text); !reflect.DeepEqual(summary(got.Diagnostics), want) {
		t.Fatalf("after %d edits:\n got %+v\nwant %+v", n, summary(got.Diagnostics), want)
	}
}

func TestStressRandomEditsWithoutWaiting(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		s := start(t, Options{})
		s.initialize(nil)
		runStress(t, s, 1000)
		if err := s.call(protocol.MethodShutdown, nil, nil); err != nil {
			t.Fatal(err)
		}
		s.notify(protocol.MethodExit, nil)
		if code := <-s.done; code != 0 {
			t.Errorf("exit code %d", code)
		}
		s.done <- 0
		s.conn.Close()
		<-s.conn.Done()
	}()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:n])
	}
}

func TestStressWithDebounce(t *testing.T) {
	s := start(t, Options{Debounce: 5 * time.Millisecond})
	s.initialize(nil)
	runStress(t, s, 200)
}

var _ = context.Background
