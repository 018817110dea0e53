package rules

import (
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/source"
)

// replaceFix replaces a scalar with new text, keeping its quoting.
func replaceFix(title string, n *source.Node, text string, c *Context) diag.Fix {
	return diag.Fix{Title: title, Edits: []diag.Edit{edit.ReplaceScalar(n, text, c.Doc.Format)}, Preferred: true}
}
