package source

import (
	"testing"
	"unicode/utf8"
)

func TestLineIndexPosition(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		offset int
		want   Position
	}{
		{"start", "abc", 0, Position{0, 0}},
		{"ascii", "abc\ndef", 5, Position{1, 1}},
		{"end of text", "abc\ndef", 7, Position{1, 3}},
		{"past end clamps", "abc", 99, Position{0, 3}},
		{"negative clamps", "abc", -4, Position{0, 0}},
		{"after trailing newline", "abc\n", 4, Position{1, 0}},
		{"tab is one unit", "\t\tx", 2, Position{0, 2}},
		{"crlf before cr", "ab\r\ncd", 2, Position{0, 2}},
		{"crlf between cr and lf", "ab\r\ncd", 3, Position{0, 2}},
		{"crlf next line", "ab\r\ncd", 5, Position{1, 1}},
		{"lone cr is a line break, as in LSP", "a\rb", 2, Position{1, 0}},
		{"cjk is one unit each", "日本語x", 9, Position{0, 3}},
		{"emoji is a surrogate pair", "a😀b", 5, Position{0, 3}},
		{"inside emoji counts from its start", "a😀b", 3, Position{0, 1}},
		{"second line after emoji", "😀\n😀x", 9, Position{1, 2}},
		{"invalid byte is one unit", "a\xffb", 2, Position{0, 2}},
		{"mixed ascii and wide lines", "ab\n日本\ncd", 11, Position{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			li := NewLineIndex([]byte(tt.text))
			if got := li.Position(tt.offset); got != tt.want {
				t.Errorf("Position(%d) = %+v, want %+v", tt.offset, got, tt.want)
			}
		})
	}
}

func TestLineIndexOffset(t *testing.T) {
	tests := []struct {
		name string
		text string
		pos  Position
		want int
	}{
		{"start", "abc\ndef", Position{0, 0}, 0},
		{"second line", "abc\ndef", Position{1, 2}, 6},
		{"column past end of line", "abc\ndef", Position{0, 10}, 3},
		{"column past end before crlf", "abc\r\ndef", Position{0, 4}, 3},
		{"line past end", "abc\ndef", Position{5, 0}, 7},
		{"negative line", "abc", Position{-1, 3}, 0},
		{"negative column", "abc\ndef", Position{1, -2}, 4},
		{"cjk", "日本語x", Position{0, 3}, 9},
		{"after emoji", "a😀b", Position{0, 3}, 5},
		{"inside surrogate pair maps to char start", "a😀b", Position{0, 2}, 1},
		{"emoji end of line", "a😀\nb", Position{0, 3}, 5},
		{"wide line past end", "日本\nx", Position{0, 9}, 6},
		{"empty text", "", Position{0, 3}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			li := NewLineIndex([]byte(tt.text))
			if got := li.Offset(tt.pos); got != tt.want {
				t.Errorf("Offset(%+v) = %d, want %d", tt.pos, got, tt.want)
			}
		})
	}
}

func TestLineIndexLineCol(t *testing.T) {
	li := NewLineIndex([]byte("x\n\t😀y"))
	if l, c := li.LineCol(7); l != 2 || c != 4 {
		t.Errorf("LineCol(7) = %d:%d, want 2:4", l, c)
	}
	if l, c := li.LineCol(0); l != 1 || c != 1 {
		t.Errorf("LineCol(0) = %d:%d, want 1:1", l, c)
	}
}

// TestLineIndexRoundTrip checks Offset(Position(o)) == o at every character
// boundary that a position can name (not between '\r' and '\n').
func TestLineIndexRoundTrip(t *testing.T) {
	for _, text := range []string{
		"",
		"plain ascii\nsecond\n",
		"crlf\r\nlines\r\n\r\nend",
		"\ttabs\n\t\tdeeper",
		"日本語: 値\n  - 😀 emoji 👍🏽\r\nlast",
		"bad \xff utf8\n\xe6\x97 cut",
	} {
		checkRoundTrip(t, []byte(text))
	}
}

func checkRoundTrip(t *testing.T, text []byte) {
	t.Helper()
	li := NewLineIndex(text)
	for o := 0; o <= len(text); {
		between := o > 0 && o < len(text) && text[o-1] == '\r' && text[o] == '\n'
		if !between {
			p := li.Position(o)
			if got := li.Offset(p); got != o {
				t.Fatalf("%q: Offset(Position(%d)=%+v) = %d", text, o, p, got)
			}
		}
		if o == len(text) {
			break
		}
		_, size := utf8.DecodeRune(text[o:])
		o += size
	}
}

// TestLoneCarriageReturn: LSP clients end a line at a lone '\r' too.
func TestLoneCarriageReturn(t *testing.T) {
	text := []byte("a\rbc\r\nd\n\re")
	li := NewLineIndex(text)
	cases := []struct {
		off  int
		want Position
	}{
		{0, Position{0, 0}},
		{2, Position{1, 0}},
		{4, Position{1, 2}},
		{5, Position{1, 2}},
		{6, Position{2, 0}},
		{8, Position{3, 0}},
		{9, Position{4, 0}},
	}
	for _, c := range cases {
		if got := li.Position(c.off); got != c.want {
			t.Errorf("Position(%d) = %v, want %v", c.off, got, c.want)
		}
		if c.off != 5 {
			if got := li.Offset(c.want); got != c.off {
				t.Errorf("Offset(%v) = %d, want %d", c.want, got, c.off)
			}
		}
	}
	if li.Lines() != 5 {
		t.Errorf("Lines() = %d, want 5", li.Lines())
	}
}
