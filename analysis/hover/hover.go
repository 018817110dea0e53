// Package hover writes what the editor shows when the pointer rests on part
// of a policy or template: an IAM action, a statement, a resource ARN, a
// bucket's Block Public Access flag, a resource's logical id. It speaks
// byte offsets; the server converts them and picks the format the client
// reads (markdown, or plain text for eglot without markdown-mode).
//
// To add to hovers, write a Section (see sections) and list it there: each
// section looks at the Target and writes nothing when it has nothing to say.
package hover

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// Format is the markup of the hover text.
type Format uint8

const (
	Markdown Format = iota
	PlainText
)

// Result is a hover: its text and the span it is about.
type Result struct {
	Text string
	Span source.Span
}

// TargetKind is what the pointer is on.
type TargetKind uint8

const (
	TargetAction      TargetKind = iota + 1 // an entry of Action / NotAction
	TargetResourceARN                       // an entry of Resource / NotResource
	TargetStatement                         // a statement's Sid or Effect, or its braces
	TargetBucketFlag                        // PublicAccessBlockConfiguration or one of its keys
	TargetResource                          // a resource's logical id
	TargetVpcConfig                         // a function's VpcConfig key
)

// Target is what a hover is about, found once and read by every section.
type Target struct {
	Kind      TargetKind
	Span      source.Span
	Statement *iam.Statement // for Action, ResourceARN and Statement
	Element   *iam.Element   // the action or resource entry
	Resource  *cfn.Resource  // for BucketFlag and Resource
	Flag      string         // the flag's key; "" for the whole block
	FlagValue *source.Node
}

// Section writes part of a hover. It must write nothing when the target is
// not its business.
type Section func(w *Writer, m *model.Model, t *Target)

// sections are written in this order. The access facts of the reasoner
// (which functions reach which bucket) belong after statementSection and
// resourceSection.
var sections = []Section{
	actionSection,
	arnSection,
	statementSection,
	accessStatementSection,
	flagSection,
	resourceSection,
	vpcConfigSection,
}

// At returns the hover for offset, if there is anything to say there.
func At(m *model.Model, offset int, f Format) (Result, bool) {
	t, ok := Find(m, offset)
	if !ok {
		return Result{}, false
	}
	w := NewWriter(f)
	for _, s := range sections {
		s(w, m, t)
	}
	text := w.String()
	if text == "" {
		return Result{}, false
	}
	return Result{Text: text, Span: t.Span}, true
}

// Find works out what is at offset.
func Find(m *model.Model, offset int) (*Target, bool) {
	if m == nil || m.Doc == nil || m.Doc.Root == nil {
		return nil, false
	}
	for _, p := range m.Policies {
		if p.Synthetic || p.Node == nil || !p.Node.Span.Contains(offset) {
			continue
		}
		for _, st := range p.Statements {
			if t, ok := inStatement(st, offset); ok {
				return t, true
			}
		}
	}
	if m.Template == nil {
		return nil, false
	}
	r := m.Template.ResourceAt(offset)
	if r == nil {
		return nil, false
	}
	if r.KeySpan.Contains(offset) {
		return &Target{Kind: TargetResource, Span: r.KeySpan, Resource: r}, true
	}
	if vp := r.Properties.Pair("VpcConfig"); vp != nil && vp.KeySpan.Contains(offset) &&
		(r.Type == "AWS::Serverless::Function" || r.Type == "AWS::Lambda::Function") {
		return &Target{Kind: TargetVpcConfig, Span: vp.KeySpan, Resource: r}, true
	}
	if r.Type == "AWS::S3::Bucket" {
		if pab := r.Properties.Pair(pabKey); pab != nil {
			if pab.KeySpan.Contains(offset) {
				return &Target{Kind: TargetBucketFlag, Span: pab.KeySpan, Resource: r}, true
			}
			if pab.Value != nil {
				for i := range pab.Value.Pairs {
					fp := &pab.Value.Pairs[i]
					if fp.KeySpan.Contains(offset) || (fp.Value != nil && fp.Value.Span.Contains(offset)) {
						sp := fp.KeySpan
						if fp.Value != nil {
							sp.End = max(sp.End, fp.Value.Span.End)
						}
						return &Target{Kind: TargetBucketFlag, Span: sp, Resource: r, Flag: fp.Key, FlagValue: fp.Value}, true
					}
				}
			}
		}
	}
	return nil, false
}

// inStatement finds an action, a resource, or the statement itself at offset.
func inStatement(st *iam.Statement, offset int) (*Target, bool) {
	if st.Node == nil || !st.Node.Span.Contains(offset) {
		return nil, false
	}
	for i := range st.Actions {
		e := &st.Actions[i]
		if e.Node != nil && e.Node.Span.Contains(offset) {
			return &Target{Kind: TargetAction, Span: e.Node.Span, Statement: st, Element: e}, true
		}
	}
	for i := range st.Resources {
		e := &st.Resources[i]
		if e.Node != nil && e.Node.Span.Contains(offset) {
			return &Target{Kind: TargetResourceARN, Span: e.Node.Span, Statement: st, Element: e}, true
		}
	}
	for _, key := range []string{"Sid", "Effect"} {
		if p := st.Node.Pair(key); p != nil {
			sp := p.KeySpan
			if p.Value != nil {
				sp.End = max(sp.End, p.Value.Span.End)
			}
			if sp.Contains(offset) {
				return &Target{Kind: TargetStatement, Span: sp, Statement: st}, true
			}
		}
	}
	// The braces of a flow (JSON) statement.
	if sp := st.Node.Span; st.Node.Style == source.Flow && (offset == sp.Start || offset == sp.End-1) {
		return &Target{Kind: TargetStatement, Span: sp, Statement: st}, true
	}
	return nil, false
}

// Writer builds hover text in markdown or plain text.
type Writer struct {
	f      Format
	b      strings.Builder
	inList bool
}

// NewWriter starts an empty hover.
func NewWriter(f Format) *Writer { return &Writer{f: f} }

// Code marks up a name or a value.
func (w *Writer) Code(s string) string {
	if w.f == PlainText {
		return s
	}
	fence := "`"
	if strings.Contains(s, "`") {
		fence = "`` "
		return fence + s + " ``"
	}
	return fence + s + fence
}

// Title starts a section with a heading line.
func (w *Writer) Title(s string) {
	w.block()
	if w.f == Markdown {
		s = "**" + s + "**"
	}
	w.b.WriteString(s)
	w.b.WriteString("\n")
}

// Para writes a paragraph.
func (w *Writer) Para(s string) {
	if s == "" {
		return
	}
	w.block()
	w.b.WriteString(s)
	w.b.WriteString("\n")
}

// Bullet writes a list item.
func (w *Writer) Bullet(s string) {
	if !w.inList {
		w.block()
	}
	w.inList = true
	w.b.WriteString("- ")
	w.b.WriteString(s)
	w.b.WriteString("\n")
}

// Rule separates sections.
func (w *Writer) Rule() {
	if w.b.Len() == 0 {
		return
	}
	w.block()
	if w.f == Markdown {
		w.b.WriteString("---\n")
	}
}

// block ends the previous block with a blank line.
func (w *Writer) block() {
	if w.b.Len() > 0 {
		w.b.WriteString("\n")
	}
	w.inList = false
}

// Raw writes text already marked up for this writer's format as a block.
func (w *Writer) Raw(s string) {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return
	}
	w.block()
	w.b.WriteString(s)
	w.b.WriteString("\n")
}

// Markdown reports whether the writer writes markdown.
func (w *Writer) Markdown() bool { return w.f == Markdown }

// String is the text written so far.
func (w *Writer) String() string { return strings.TrimRight(w.b.String(), "\n") }

// names joins marked-up names: "a", "a and b", "a, b and c".
func names(w *Writer, items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = w.Code(s)
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
