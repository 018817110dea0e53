package rules

import (
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

// The document is not valid JSON or YAML. Nothing else can be checked
// until it parses, and CloudFormation or IAM would reject it as it is.
var syntaxError = register(&Rule{
	ID:       "syntax-error",
	Severity: diag.Error,
	Summary:  "The document is not valid JSON or YAML.",
	Doc: "The document does not parse as JSON or YAML, so CloudFormation, SAM or IAM would reject it " +
		"and iamlens cannot check anything else in it. The finding points at the place where the parser " +
		"stopped: a missing comma or brace in JSON, a tab used for indentation or a bad indent in YAML.",
})

// SyntaxError is the finding for a document that did not parse.
func SyntaxError(doc *source.Document) diag.Finding {
	off := doc.Err.Offset
	if off < 0 {
		off = 0
	}
	if off > len(doc.Text) {
		off = len(doc.Text)
	}
	end := off
	// Underline the rest of the line so editors show something visible.
	for end < len(doc.Text) && doc.Text[end] != '\n' && doc.Text[end] != '\r' && end-off < 80 {
		end++
	}
	format := "JSON"
	if doc.Format == source.YAML {
		format = "YAML"
	}
	return diag.Finding{
		Rule:     syntaxError.ID,
		Severity: syntaxError.Severity,
		Span:     source.Span{Start: off, End: end},
		Message: "Not valid " + format + ": " + doc.Err.Message +
			". Nothing else can be checked until this parses, and CloudFormation or IAM would reject the document as it is.",
	}
}
