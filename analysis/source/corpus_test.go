package source

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus parses every template of the serverless-patterns corpus and
// checks that spans point at the text they stand for.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t, "serverless-patterns")
	var files, failed, scalars int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		doc := Parse(path, text)
		if doc.Err != nil {
			failed++
			if doc.Err.Offset < 0 || doc.Err.Offset > len(text) {
				t.Errorf("%s: error offset %d outside text", path, doc.Err.Offset)
			}
			t.Logf("%s: %d: %s", path, doc.Err.Offset, doc.Err.Message)
			return nil
		}
		checkTree(t, text, doc.Root)
		scalars += checkScalarText(t, path, text, doc.Root)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d with syntax errors, %d scalar spans checked", files, failed, scalars)
	if files < 500 {
		t.Errorf("only %d templates found", files)
	}
	// The corpus holds two malformed templates; more means a regression.
	if failed > 2 {
		t.Errorf("%d templates failed to parse, want at most 2", failed)
	}
}

// checkScalarText verifies, for single-line plain and quoted scalars, that
// the text at the span is the value (plain, or quoted without escapes) or at
// least contains it, and that short forms carry their tag as key span.
func checkScalarText(t testing.TB, path string, text []byte, root *Node) int {
	t.Helper()
	checked := 0
	Walk(root, func(n *Node) bool {
		if n.Short {
			if k := spanText(text, n.Pairs[0].KeySpan); k != n.Tag {
				t.Errorf("%s: short form key span %q, tag %q", path, k, n.Tag)
			}
		}
		for _, p := range n.Pairs {
			k := unquote(withoutProperties(spanText(text, p.KeySpan)))
			// Tagged keys (an intrinsic as a key, never valid CloudFormation) keep
			// their tag in Key; their span is only checked to lie in the text.
			if !n.Short && !strings.HasPrefix(p.Key, "!") && !strings.HasPrefix(k, "*") && !strings.ContainsAny(k, "\\\n") && !strings.Contains(k, "''") && k != p.Key && p.Key != "<<" {
				t.Errorf("%s: key span %q for key %q", path, k, p.Key)
			}
		}
		if n.Kind != Scalar || n.Tag != "" {
			return true
		}
		raw := withoutProperties(spanText(text, n.Span))
		if strings.ContainsAny(raw, "\n\r") {
			return true
		}
		switch n.Style {
		case Plain:
			if n.ScalarType == Null && strings.HasPrefix(raw, "*") {
				return true // an alias cut off by the expansion budget
			}
			if raw != n.Value {
				t.Errorf("%s: plain span %q, value %q", path, raw, n.Value)
			}
		case DoubleQuoted, SingleQuoted:
			if len(raw) < 2 || raw[0] != raw[len(raw)-1] || (raw[0] != '"' && raw[0] != '\'') {
				t.Errorf("%s: quoted span %q", path, raw)
				return true
			}
			inner := raw[1 : len(raw)-1]
			if !strings.Contains(inner, `\`) && !strings.Contains(inner, "''") && inner != n.Value {
				t.Errorf("%s: quoted span %q, value %q", path, raw, n.Value)
			}
		default:
			return true
		}
		checked++
		return true
	})
	return checked
}

// unquote strips one pair of matching quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// withoutProperties strips the anchor and tag a span starts with: spans
// include them, values do not.
func withoutProperties(s string) string {
	for strings.HasPrefix(s, "&") || strings.HasPrefix(s, "!") {
		if s[0] == '&' {
			// Anchor names are letters, digits, '_' and '-' (yaml.v3).
			i := 1
			for i < len(s) && isAnchorChar(s[i]) {
				i++
			}
			s = strings.TrimLeft(s[i:], " \t\n")
			continue
		}
		i := strings.IndexAny(s, " \t\n")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i:], " \t\n")
	}
	return s
}
