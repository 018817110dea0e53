package source

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	yamlTemplate,
	`{"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00"], "a": {}}`,
	"\xEF\xBB\xBF{\"k\": \"v\"}",
	"a: &x [1, *x]\nb: *x\nc:\n  <<: *x\n",
	"k: !GetAtt 'A.B.C'\nl: !Sub\n  - '${x}'\n  - {x: !Ref Y}\n",
	"a: |+\n  keep\n\n\nb: >2-\n   indented\n",
	"a: \"multi\n  line\\\"\"\nb: 'it''s\n  folded'\n",
	"? [complex, key]\n: value\n",
	"- a\n- b: c\n  d: e\n-\n",
	"\t- tab\n",
	"日本: 語 # コメント\r\n😀: x\r\n",
	"a: 1\n---\nb: 2\n",
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := ParseJSON(data)
		if err != nil {
			if root != nil || err.Offset < 0 || err.Offset > len(data) {
				t.Fatalf("bad error result: root %v, offset %d of %d", root, err.Offset, len(data))
			}
		} else {
			checkTree(t, data, root)
		}
		// encoding/json is the reference for what is JSON (it rejects a BOM).
		body := bytes.TrimPrefix(data, utf8BOM)
		if valid := json.Valid(body); valid != (err == nil) {
			t.Fatalf("ParseJSON error %v, but json.Valid = %v", err, valid)
		}
		d := Parse("f", data)
		if d == nil || d.Lines == nil {
			t.Fatal("Parse returned no document")
		}
	})
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := ParseYAML(data)
		if err != nil {
			if root != nil || err.Offset < 0 || err.Offset > len(data) {
				t.Fatalf("bad error result: root %v, offset %d of %d", root, err.Offset, len(data))
			}
		}
		checkTree(t, data, root)
		// yaml.v3 also reads UTF-16; spans are only meaningful for UTF-8.
		if utf8.Valid(data) {
			checkScalarText(t, "fuzz", data, root)
		}
		visited := 0
		Walk(root, func(*Node) bool { visited++; return true })
		if visited > 4*len(data)+maxAliasNodes+16 {
			t.Fatalf("walk visited %d nodes for %d bytes", visited, len(data))
		}
		d := Parse("f", data)
		if d == nil || d.Lines == nil || d.Indent <= 0 {
			t.Fatal("Parse returned no document")
		}
	})
}

func FuzzLineIndex(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), 3, 2)
	}
	f.Fuzz(func(t *testing.T, data []byte, line, char int) {
		li := NewLineIndex(data)
		// Any position maps into the text, onto a character boundary.
		off := li.Offset(Position{line, char})
		if off < 0 || off > len(data) {
			t.Fatalf("Offset(%d,%d) = %d outside %d bytes", line, char, off, len(data))
		}
		if off < len(data) && !utf8.RuneStart(data[off]) && off > 0 {
			// Only valid characters must not be split; invalid bytes are
			// one unit each.
			j := lastRuneStart(data, off)
			if r, size := utf8.DecodeRune(data[j:]); r != utf8.RuneError && j+size > off {
				t.Fatalf("Offset(%d,%d) = %d splits a character", line, char, off)
			}
		}
		// Positions are monotonic in offsets and round-trip at boundaries.
		prev := Position{}
		for o := 0; o <= len(data); o++ {
			p := li.Position(o)
			if p.Line < prev.Line || p.Line == prev.Line && p.Character < prev.Character {
				t.Fatalf("Position(%d) = %+v before Position(%d) = %+v", o, p, o-1, prev)
			}
			prev = p
		}
		checkRoundTrip(t, data)
		if l, c := li.LineCol(off); l < 1 || c < 1 {
			t.Fatalf("LineCol(%d) = %d:%d", off, l, c)
		}
	})
}

func lastRuneStart(b []byte, i int) int {
	for j := i; j > 0 && i-j < utf8.UTFMax; j-- {
		if utf8.RuneStart(b[j]) {
			return j
		}
	}
	return 0
}
