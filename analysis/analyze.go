// Package analysis turns the text of an IAM policy or a CloudFormation/SAM
// template into findings, hovers and an access report. It knows nothing of
// LSP or JSON-RPC: everything is in byte spans of the document text.
//
// Analyze is the one entry point; the CLI, the language server and the tests
// all call it.
package analysis

import (
	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/rules"
	"github.com/iamlens/iamlens/analysis/source"
)

// Re-exported so callers need only this package.
type (
	Finding  = diag.Finding
	Fix      = diag.Fix
	Edit     = diag.Edit
	Related  = diag.Related
	Severity = diag.Severity
	Kind     = diag.Kind
	Span     = source.Span
)

// Options tune one analysis.
type Options struct {
	// Rules overrides rule severities by rule id; SeverityOff turns a rule off.
	Rules map[string]Severity
}

// Result is everything one analysis found out about a document.
type Result struct {
	*model.Model
	Findings []Finding
}

// Analyze parses and checks one document. It never panics on bad input and
// returns quickly on huge input; a document of unknown kind has no findings.
func Analyze(path string, text []byte, opts Options) *Result {
	doc := source.Parse(path, text)
	m := &model.Model{Path: path, Doc: doc, Kind: diag.KindUnknown, Eval: iam.LiteralEvaluator}
	r := &Result{Model: m}
	if doc.Err != nil {
		m.Kind = guessKind(path, text)
		if m.Kind != diag.KindUnknown {
			r.Findings = append(r.Findings, rules.SyntaxError(doc))
		}
		return r
	}
	m.Kind = DetectKind(doc.Root)
	switch {
	case m.Kind.IsTemplate():
		m.Template = cfn.Build(doc)
		m.Eval = m.Template.Elements
		m.Policies = collectTemplatePolicies(m)
		m.Network = network.Build(m.Template)
		m.Access = access.Build(m.Template, m.Policies, m.Network)
	case m.Kind == diag.KindIdentityPolicy:
		m.Policies = []*iam.Policy{iam.Parse(doc.Root, iam.Identity, m.Eval)}
	case m.Kind == diag.KindResourcePolicy:
		m.Policies = []*iam.Policy{iam.Parse(doc.Root, iam.Resource, m.Eval)}
	}
	if m.Kind != diag.KindUnknown {
		r.Findings = rules.Run(m, opts.Rules)
	}
	return r
}
