package source

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestParseFormatAndIndent(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		format  Format
		indent  int
		tabs    bool
		rootNil bool
		err     bool
	}{
		{"json object", "{\n    \"a\": {\n        \"b\": 1\n    }\n}", JSON, 4, false, false, false},
		{"json array with bom", "\xEF\xBB\xBF [1]", JSON, 2, false, false, false},
		{"json tabs", "{\n\t\"a\": [\n\t\t1\n\t]\n}", JSON, 1, true, false, false},
		{"json one line", `{"a": 1}`, JSON, 2, false, false, false},
		{"json error", `{"a": `, JSON, 2, false, true, true},
		{"yaml two", "a:\n  b:\n    c: 1\n", YAML, 2, false, false, false},
		{"yaml four", "Resources:\n    Fn:\n        Type: X\n", YAML, 4, false, false, false},
		{"yaml tagged block", "a: !If\n   - x\n   - y\n", YAML, 3, false, false, false},
		{"yaml indentless sequence", "a:\n- 1\n- 2\n", YAML, 2, false, false, false},
		{"yaml scalar doc", "hello", YAML, 2, false, false, false},
		{"yaml empty", "", YAML, 2, false, true, false},
		{"yaml error", "a:\n\tb: 1\n", YAML, 2, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("f", []byte(tt.text))
			if d.Format != tt.format || d.Indent != tt.indent || d.IndentTabs != tt.tabs {
				t.Errorf("format %d indent %d tabs %v, want %d %d %v", d.Format, d.Indent, d.IndentTabs, tt.format, tt.indent, tt.tabs)
			}
			if (d.Root == nil) != tt.rootNil || (d.Err != nil) != tt.err {
				t.Errorf("root %v err %v", d.Root, d.Err)
			}
			if d.Lines == nil || d.Path != "f" || !bytes.Equal(d.Text, []byte(tt.text)) {
				t.Errorf("document fields not filled: %+v", d)
			}
		})
	}
}

// TestParseHostileInput feeds inputs an editor may open by mistake; Parse
// must return promptly with either a tree or an error.
func TestParseHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 5 MB")
	}
	rng := rand.New(rand.NewSource(1))
	garbage := make([]byte, 1<<20)
	rng.Read(garbage)
	big := []byte(strings.Repeat("key: value\n", 5<<20/11))
	inputs := map[string][]byte{
		"binary":       garbage,
		"nul bytes":    bytes.Repeat([]byte{0}, 4096),
		"nul in yaml":  []byte("a: b\x00c\n"),
		"5 MB yaml":    big,
		"deep json":    []byte(strings.Repeat("[", 1<<20)),
		"deep yaml":    []byte(strings.Repeat("[", 1<<20)),
		"deep block":   []byte(strings.Repeat("- ", 100000) + "x"),
		"utf-16 bom":   []byte("\xFF\xFEa\x00:\x00 \x00b\x00\n\x00"),
		"lone cr":      []byte("a: 1\rb: 2\r"),
		"unicode seps": []byte("a: x\u2028y\nb: \u0085z\n"),
	}
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			d := Parse(name, text)
			if d.Root == nil && d.Err == nil && len(bytes.TrimSpace(text)) > 0 && name != "deep yaml" {
				t.Logf("no root and no error")
			}
			if d.Err != nil && (d.Err.Offset < 0 || d.Err.Offset > len(text)) {
				t.Errorf("error offset %d outside text", d.Err.Offset)
			}
			checkTree(t, text, d.Root)
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
}
