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
