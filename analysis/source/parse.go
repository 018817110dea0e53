package source

import "bytes"

// Parse reads a document of either syntax: JSON when its first non-blank
// byte (after an optional UTF-8 BOM) is '{' or '[', YAML otherwise, since
// JSON is also YAML but YAML errors would be confusing for a JSON file.
// It never panics; a document that does not parse has a nil Root and Err set.
func Parse(path string, text []byte) *Document {
	d := &Document{Path: path, Text: text, Lines: NewLineIndex(text), Indent: 2}
	if looksLikeJSON(text) {
		d.Format = JSON
		d.Root, d.Err = ParseJSON(text)
		if step, tabs := jsonIndent(text); step > 0 {
			d.Indent, d.IndentTabs = step, tabs
		}
		return d
	}
	d.Format = YAML
	var step int
	d.Root, step, d.Err = parseYAML(text)
	if step > 0 {
		d.Indent = step
	}
	return d
}

func looksLikeJSON(text []byte) bool {
	text = bytes.TrimPrefix(text, utf8BOM)
	for _, c := range text {
		if !isJSONSpace(c) {
			return c == '{' || c == '['
		}
	}
	return false
}

// jsonIndent finds the smallest step by which a line is indented more than
// the line before it, and whether indentation uses tabs (then the step is
// counted in tabs). JSON strings cannot hold raw newlines, so every line
// break is structure. It returns 0 for a document on one line.
func jsonIndent(text []byte) (step int, tabs bool) {
	prev, sawIndent := 0, false
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		n := 0
		for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
			n++
		}
		if n == len(line) || line[n] == '\r' {
			continue // blank line
		}
		if n > 0 && !sawIndent {
			sawIndent, tabs = true, line[0] == '\t'
		}
		if n > prev && (step == 0 || n-prev < step) {
			step = n - prev
		}
		prev = n
	}
	return step, tabs
}
