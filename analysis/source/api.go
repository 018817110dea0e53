package source

// The functions below are the package's contract; their implementations live
// in json.go, yaml.go and lines.go.
//
//   Parse(path string, text []byte) *Document
//     Chooses JSON or YAML by content (first non-space byte '{' or '[' means
//     JSON; otherwise YAML), builds the tree and the line index. Never panics.
//   ParseJSON(text []byte) (*Node, *SyntaxError)
//   ParseYAML(text []byte) (*Node, *SyntaxError)
//
//   NewLineIndex(text []byte) *LineIndex
//   (*LineIndex).Position(offset int) Position      // 0-based line, UTF-16 column
//   (*LineIndex).Offset(p Position) int              // inverse, clamped to the text
//   (*LineIndex).LineCol(offset int) (line, col int) // 1-based, UTF-16 column (CLI, SARIF)
//
// What spans look like (see the tests for exact examples):
//
//   - A value's Span includes its quotes, brackets, block-scalar header
//     ("|-"), and any YAML anchor and tag written before it; a block scalar
//     ends at its last non-blank character (trailing blank lines excluded);
//     an empty YAML value ("Key:") is a zero-length Null scalar just after
//     the colon.
//   - `!Ref X` is a Mapping (Short, Tag "!Ref") spanning "!Ref X", whose one
//     pair has KeySpan over "!Ref" and a value spanning "X". `!GetAtt A.B.C`
//     adds a Sequence (spanning "A.B.C", with the scalar's Style) of items
//     "A" and "B.C" whose spans lie inside the scalar, without quotes.
//   - A YAML alias is the anchored node itself (pointer shared, spans at the
//     anchor); past maxAliasNodes expanded nodes, or when it refers to a node
//     containing it, it is a Null scalar spanning "*name". Merge keys ("<<")
//     are replaced by the merged pairs, which keep their original spans.
//   - YAML syntax errors point at the first non-blank character of the line
//     at fault (or at the tab used for indentation); JSON syntax errors at
//     the byte where parsing stopped, or just after the last non-blank byte
//     of a truncated document.
