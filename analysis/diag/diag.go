// Package diag holds what analysis reports: findings with byte spans, their
// fixes, and the kind of document they were found in.
package diag

import (
	"github.com/iamlens/iamlens/analysis/source"
)

// Severity of a finding, in LSP order (1 is the most severe).
type Severity int

const (
	SeverityOff Severity = iota
	Error
	Warning
	Information
	Hint
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Information:
		return "information"
	case Hint:
		return "hint"
	}
	return "off"
}

// ParseSeverity reads "off|error|warning|information|hint" (also "info").
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "off", "none":
		return SeverityOff, true
	case "error":
		return Error, true
	case "warning", "warn":
		return Warning, true
	case "information", "info":
		return Information, true
	case "hint":
		return Hint, true
	}
	return SeverityOff, false
}

// Span re-exports source.Span for callers that only need findings.
type Span = source.Span

// Finding is one problem in a document.
type Finding struct {
	Rule     string
	Severity Severity
	Span     Span
	Message  string
	Related  []Related
	Fixes    []Fix
}

// Related points at another place that explains a finding: the role, the
// bucket, the statement, the route table.
type Related struct {
	Span    Span
	Message string
}

// Fix is a proposed change, titled with a verb phrase.
type Fix struct {
	Title     string
	Edits     []Edit
	Preferred bool // the one fix that is clearly right
}

// Edit replaces the bytes of Span with NewText.
type Edit struct {
	Span    Span
	NewText string
}

// Kind is what a document is.
type Kind string

const (
	KindIdentityPolicy Kind = "iam-identity-policy"
	KindResourcePolicy Kind = "iam-resource-policy"
	KindCloudFormation Kind = "cloudformation"
	KindSAM            Kind = "sam"
	KindUnknown        Kind = "unknown"
)

// IsTemplate reports whether the kind is a CloudFormation or SAM template.
func (k Kind) IsTemplate() bool { return k == KindCloudFormation || k == KindSAM }
