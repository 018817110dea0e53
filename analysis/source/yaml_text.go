package source

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// unmarshalYAML runs yaml.v3 on text. yaml.v3 reports errors by panicking
// internally and recovers its own panics; anything else escaping it must not
// take the server down, so it becomes an error too.
func unmarshalYAML(text []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	err = yaml.Unmarshal(text, &doc)
	return doc, err
}

// yamlLines maps yaml.v3's 1-based line and column, counted in characters,
// to byte offsets. yaml.v3 breaks lines at CR, LF, CRLF, NEL, LS and PS, so
// the table does too.
type yamlLines struct {
	text   []byte
	starts []int
	wide   []bool // line holds a non-ASCII byte: columns need decoding
	// The last conversion on a wide line: nodes arrive in document order, so
	// continuing from here keeps a long single-line flow document linear.
	curLine, curCol, curOff int
}

func newYAMLLines(text []byte) *yamlLines {
	l := &yamlLines{text: text, curLine: -1}
	start := 0
	if bytes.HasPrefix(text, utf8BOM) {
		start = len(utf8BOM) // yaml.v3 drops the BOM before counting columns
	}
	wide := false
	for i := start; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && c != '\n' && c != '\r' {
			i++
			continue
		}
		if n := breakLen(text, i); n > 0 {
			l.starts, l.wide = append(l.starts, start), append(l.wide, wide)
			i += n
			start, wide = i, false
			continue
		}
		wide = true
		i++
	}
	l.starts, l.wide = append(l.starts, start), append(l.wide, wide)
	return l
}

// lineStart is the offset of a 1-based line, clamped to the text.
func (l *yamlLines) lineStart(line int) int {
	switch {
	case line < 1:
		return 0
	case line > len(l.starts):
		return len(l.text)
	}
	return l.starts[line-1]
}

// offset converts a 1-based line and character column to a byte offset.
func (l *yamlLines) offset(line, col int) int {
	if line < 1 || line > len(l.starts) {
		return l.lineStart(line)
	}
	start := l.starts[line-1]
	if col < 1 {
		return start
	}
	if !l.wide[line-1] {
		return min(start+col-1, len(l.text))
	}
	off, k := start, 1
	if l.curLine == line && l.curCol <= col {
		off, k = l.curOff, l.curCol
	}
	for k < col && off < len(l.text) {
		_, size := utf8.DecodeRune(l.text[off:])
		off += size
		k++
	}
	l.curLine, l.curCol, l.curOff = line, k, off
	return off
}

// breakLen is the length of the YAML line break at i, or 0.
func breakLen[T string | []byte](t T, i int) int {
	switch t[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(t) && t[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2: // NEL
		if i+1 < len(t) && t[i+1] == 0x85 {
			return 2
		}
	case 0xE2: // LS, PS
		if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0xA8 || t[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// spaceLen is the length of the blank or line break at i, or 0.
func spaceLen[T string | []byte](t T, i int) int {
	if t[i] == ' ' || t[i] == '\t' {
		return 1
	}
	return breakLen(t, i)
}

// yamlError turns "yaml: line N: message" into an offset and the message.
// yaml.v3 reports only a line, and for parser errors ("did not find
// expected key") the line of the enclosing collection, not of the culprit;
// those are located by parsing prefixes of the text. The offset is the first
// non-blank character of the culprit line.
func yamlError(text []byte, lines *yamlLines, err error) *SyntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	off := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				msg = rest[i+2:]
				if strings.HasPrefix(msg, "did not find expected") {
					n = culpritLine(text, lines, n, msg)
				}
				off = lines.lineStart(n)
				for off < len(text) && text[off] == ' ' {
					off++
				}
				// Scanner errors about tabs may name the line before the tab.
				if tab := indentTab(text, lines.lineStart(n-1)); tab >= 0 && (strings.Contains(msg, "tab") || off < len(text) && text[off] == '\t') {
					off = tab
					msg = "tab character used for indentation: YAML indents with spaces only (" + msg + ")"
				}
			}
		}
	} else if strings.Contains(msg, "control characters are not allowed") {
		off = bytes.IndexFunc(text, func(r rune) bool {
			return r < ' ' && r != '\t' && r != '\n' && r != '\r' || r == 0x7F
		})
	} else if strings.Contains(msg, "UTF-8") {
		off = firstInvalidUTF8(text)
	}
	return &SyntaxError{Offset: max(0, min(off, len(text))), Message: msg}
}

// maxBisectBytes bounds the text for which culpritLine re-parses prefixes:
// about log2(lines) parses, a few milliseconds on a typical template.
const maxBisectBytes = 256 << 10

// culpritLine finds the first line whose inclusion makes the document fail
// with msg. yaml.v3 reports a parser error at the line before the enclosing
// collection's start (or at the flow collection's start), so the culprit is
// at the reported line or later; a prefix that ends before it parses
// (cutting a block collection between lines leaves valid YAML), so a binary
// search on prefixes finds it.
func culpritLine(text []byte, lines *yamlLines, reported int, msg string) int {
	lo, hi := max(1, reported), len(lines.starts)
	if len(text) > maxBisectBytes || lo > hi {
		return min(lo, hi)
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if _, err := unmarshalYAML(text[:lines.lineStart(mid+1)]); err != nil && strings.Contains(err.Error(), msg) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// indentTab returns the offset of the first tab in the indentation of a
// line starting at or after from, within the next three lines, or -1.
func indentTab(text []byte, from int) int {
	for line := 0; line < 3 && from < len(text); line++ {
		i := from
		for i < len(text) && text[i] == ' ' {
			i++
		}
		if i < len(text) && text[i] == '\t' {
			return i
		}
		nl := bytes.IndexByte(text[i:], '\n')
		if nl < 0 {
			break
		}
		from = i + nl + 1
	}
	return -1
}

func firstInvalidUTF8(t []byte) int {
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRune(t[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}
