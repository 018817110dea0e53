package source

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Position is a place in the text as the Language Server Protocol counts it:
// a 0-based line and a 0-based column in UTF-16 code units.
type Position struct{ Line, Character int }

// LineIndex converts between byte offsets and line/column positions. It is
// the one bridge between the analysis (which speaks bytes) and its users
// (LSP speaks UTF-16, the CLI and SARIF speak 1-based lines and columns).
//
// Lines end at "\n", "\r\n" or a lone "\r", as LSP counts them; a '\r'
// just before '\n' belongs to the line ending, so columns never point
// between '\r' and '\n'.
type LineIndex struct {
	text []byte
	// starts holds the byte offset where each line begins; starts[0] == 0.
	starts []int
	// wide marks the lines holding a byte >= 0x80; the others take the
	// fast path where a byte is one UTF-16 unit. Nil when the text is ASCII.
	wide []bool
}

// NewLineIndex indexes text in one pass. The index keeps a reference to
// text, which must not change afterwards.
func NewLineIndex(text []byte) *LineIndex {
	li := &LineIndex{text: text, starts: make([]int, 1, 1+len(text)/32)}
	start := 0
	cr := bytes.IndexByte(text, '\r') >= 0
	for {
		nl := indexNewline(text, start, cr)
		end := nl
		if nl < 0 {
			end = len(text)
		}
		if !isASCII(text[start:end]) {
			if li.wide == nil {
				li.wide = make([]bool, len(li.starts), cap(li.starts))
			}
			li.wide[len(li.starts)-1] = true
		}
		if nl < 0 {
			break
		}
		start = nl + 1
		li.starts = append(li.starts, start)
		if li.wide != nil {
			li.wide = append(li.wide, false)
		}
	}
	return li
}

// indexNewline finds the byte that ends the line holding from: the next
// '\n', or a lone '\r' when the text has carriage returns; -1 at the end.
func indexNewline(text []byte, from int, cr bool) int {
	if !cr {
		if i := bytes.IndexByte(text[from:], '\n'); i >= 0 {
			return from + i
		}
		return -1
	}
	i := bytes.IndexAny(text[from:], "\r\n")
	if i < 0 {
		return -1
	}
	i += from
	if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
		return i + 1
	}
	return i
}

// isASCII checks eight bytes at a time: most templates are pure ASCII and
// this keeps building the index cheap on large documents.
func isASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		if w&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Lines is the number of lines; an empty text or one ending in '\n' has an
// empty last line.
func (li *LineIndex) Lines() int { return len(li.starts) }

// line returns the 0-based line holding offset, which must be in [0, len].
func (li *LineIndex) line(offset int) int {
	// The first start greater than offset is the next line.
	return sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > offset }) - 1
}

// lineEnd is the offset where the line's content ends, before "\n" or "\r\n".
func (li *LineIndex) lineEnd(line int) int {
	if line+1 >= len(li.starts) {
		return len(li.text)
	}
	end := li.starts[line+1] - 1
	if end > li.starts[line] && li.text[end-1] == '\r' {
		end--
	}
	return end
}

// clamp keeps an offset inside the text.
func (li *LineIndex) clamp(offset int) int {
	if offset < 0 {
		return 0
	}
	if offset > len(li.text) {
		return len(li.text)
	}
	return offset
}

// Position converts a byte offset to an LSP position. An offset inside a
// multi-byte character counts from that character's start, and an offset
// between '\r' and '\n' counts as the end of the line.
func (li *LineIndex) Position(offset int) Position {
	offset = li.clamp(offset)
	line := li.line(offset)
	start := li.starts[line]
	if end := li.lineEnd(line); offset > end {
		offset = end
	}
	if li.wide == nil || !li.wide[line] {
		return Position{Line: line, Character: offset - start}
	}
	return Position{Line: line, Character: utf16Len(li.text[start:li.lineEnd(line)], offset-start)}
}

// utf16Len counts the UTF-16 code units of line[:n]. A character that
// starts before n but ends after it is not counted, and each invalid byte
// counts as one U+FFFD, as editors decode it.
func utf16Len(line []byte, n int) int {
	units := 0
	for i := 0; i < n; {
		if line[i] < utf8.RuneSelf {
			units++
			i++
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		if i+size > n {
			break // the offset cuts this character: it starts after it
		}
		units++
		if r >= 0x10000 {
			units++ // a surrogate pair
		}
		i += size
	}
	return units
}

// Offset converts an LSP position to a byte offset. A line past the end maps
// to the end of the text, a column past the end of the line to the end of
// its content (before "\r\n"), and a column inside a surrogate pair to the
// start of that character, so an edit never splits a character.
func (li *LineIndex) Offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(li.starts) {
		return len(li.text)
	}
	start, end := li.starts[p.Line], li.lineEnd(p.Line)
	if p.Character <= 0 {
		return start
	}
	if li.wide == nil || !li.wide[p.Line] {
		if start+p.Character > end {
			return end
		}
		return start + p.Character
	}
	units := 0
	for i := start; i < end; {
		size, w := 1, 1
		if c := li.text[i]; c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRune(li.text[i:end])
			if r >= 0x10000 {
				w = 2
			}
		}
		if units+w > p.Character {
			return i
		}
		units += w
		i += size
		if units == p.Character {
			return i
		}
	}
	return end
}

// LineCol converts a byte offset to a 1-based line and a 1-based column in
// UTF-16 units, as the CLI and SARIF report them.
func (li *LineIndex) LineCol(offset int) (line, col int) {
	p := li.Position(offset)
	return p.Line + 1, p.Character + 1
}

// LineStart is the byte offset where the 0-based line begins (clamped).
func (li *LineIndex) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(li.starts) {
		return len(li.text)
	}
	return li.starts[line]
}
