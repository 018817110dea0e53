// Package rules holds iamlens's checks, one file each. A rule's kebab-case
// ID is its diagnostic code, its configuration key, the anchor of its
// section in the README and the key of its fixes; its Doc is what users read.
package rules

import (
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/value"
	"sort"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// Rule is one check.
type Rule struct {
	ID       string
	Severity diag.Severity // default severity
	// Summary is one line for rule lists and SARIF; Doc explains what the
	// rule finds, why it matters to someone deploying a Lambda, and the fix.
	Summary string
	Doc     string
	// Kinds the rule runs on; empty means every known kind.
	Kinds []diag.Kind
	Check func(*Context)
}

var registry = map[string]*Rule{}

func register(r *Rule) *Rule {
	if _, dup := registry[r.ID]; dup {
		panic("rules: duplicate rule " + r.ID)
	}
	registry[r.ID] = r
	return r
}

// All returns every rule sorted by ID.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Get returns the rule with the given ID.
func Get(id string) (*Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// Context is what a rule sees while it checks one document.
type Context struct {
	*model.Model
	rule     *Rule
	findings []diag.Finding
	// formatCache remembers which policy resources can match which ARN
	// formats: templates repeat the same few shapes in every statement.
	formatCache map[formatKey]bool
	style       *edit.Style
	// validARN remembers S3 ARNs (with placeholders for resource names)
	// already checked and found well formed.
	validARN map[string]bool
}

func (c *Context) rememberValidARN(s string) {
	if c.validARN == nil {
		c.validARN = map[string]bool{}
	}
	c.validARN[s] = true
}

type formatKey struct{ resource, format string }

// canMatchFormat is arn.CanMatchFormat, remembered for this document.
func (c *Context) canMatchFormat(res value.Str, key, format string) bool {
	k := formatKey{key, format}
	if v, ok := c.formatCache[k]; ok {
		return v
	}
	if c.formatCache == nil {
		c.formatCache = map[formatKey]bool{}
	}
	v := arn.CanMatchFormat(res, format)
	c.formatCache[k] = v
	return v
}

// Style is how the document writes intrinsics, computed once.
func (c *Context) Style() edit.Style {
	if c.style == nil {
		st := edit.StyleOf(c.Doc)
		c.style = &st
	}
	return *c.style
}

// Report records a finding of the running rule at its default severity.
func (c *Context) Report(span source.Span, message string, fixes ...diag.Fix) *diag.Finding {
	return c.ReportAt(c.rule.Severity, span, message, fixes...)
}

// ReportAt records a finding with an explicit severity.
func (c *Context) ReportAt(sev diag.Severity, span source.Span, message string, fixes ...diag.Fix) *diag.Finding {
	c.findings = append(c.findings, diag.Finding{Rule: c.rule.ID, Severity: sev, Span: span, Message: message, Fixes: fixes})
	return &c.findings[len(c.findings)-1]
}

// Run checks a document with every rule, applies severity overrides and
// Metadata suppressions, and returns the findings in document order.
func Run(m *model.Model, overrides map[string]diag.Severity) []diag.Finding {
	ctx := &Context{Model: m}
	for _, r := range All() {
		if r.Check == nil || !appliesTo(r, m.Kind) {
			continue
		}
		if sev, ok := overrides[r.ID]; ok && sev == diag.SeverityOff {
			continue
		}
		ctx.rule = r
		r.Check(ctx)
	}
	out := ctx.findings[:0:0]
	for _, f := range ctx.findings {
		if sev, ok := overrides[f.Rule]; ok {
			f.Severity = sev
		}
		if suppressed(m, f) {
			continue
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Span.Start != out[j].Span.Start {
			return out[i].Span.Start < out[j].Span.Start
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

func appliesTo(r *Rule, k diag.Kind) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, x := range r.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// suppressed reports whether the finding lies in a resource whose Metadata
// says `iamlens: {ignore: [rule-id]}`.
func suppressed(m *model.Model, f diag.Finding) bool {
	if m.Template == nil {
		return false
	}
	r := m.Template.ResourceAt(f.Span.Start)
	if r == nil {
		return false
	}
	for _, it := range r.Metadata.Get("iamlens").Get("ignore").List() {
		if s, ok := it.Str(); ok && (s == f.Rule || s == "all") {
			return true
		}
	}
	return false
}
