package cfn

import (
	"strings"
	"sync"

	"github.com/iamlens/iamlens/analysis/cfn/managedpolicies"
	"github.com/iamlens/iamlens/analysis/cfn/samtemplates"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

// PolicyEntryKind is what one item of a serverless function's Policies is.
type PolicyEntryKind uint8

const (
	EntryUnknown     PolicyEntryKind = iota // an intrinsic or a value SAM does not accept
	EntryManaged                            // an AWS managed policy, by name or ARN
	EntryCustomerARN                        // a policy ARN that is not an AWS managed policy
	EntryTemplatePol                        // a managed policy of this template (!Ref MyPolicy)
	EntryInline                             // an inline policy document
	EntrySAMTemplate                        // a SAM policy template such as S3ReadPolicy
)

// PolicyEntry is one item of a serverless function's Policies, resolved.
type PolicyEntry struct {
	Node   *source.Node // the item as written
	Kind   PolicyEntryKind
	Name   string       // template or managed policy name; the ARN text for EntryCustomerARN
	Params *source.Node // a SAM template's parameter map
	// Policy is the document the entry grants: synthetic for managed
	// policies and SAM templates; nil for inline documents (they are in
	// Template.Policies) and for what cannot be resolved.
	Policy *iam.Policy
	// Resource is the template resource an EntryTemplatePol names.
	Resource string
}

// PolicyEntries resolves a serverless function's Policies the way SAM
// expands them. Inline documents are returned with Policy nil: they are
// among Template.Policies already.
func (t *Template) PolicyEntries(f *Function) []PolicyEntry {
	var out []PolicyEntry
	for _, it := range f.Prop("Policies").List() {
		out = append(out, t.policyEntry(f, it))
	}
	return out
}

func (t *Template) policyEntry(f *Function, it *source.Node) PolicyEntry {
	e := PolicyEntry{Node: it}
	if s, ok := it.Str(); ok {
		return t.managedEntry(e, s, f.ID, it.Span)
	}
	if fn, arg := it.Intrinsic(); fn != "" {
		if fn == "Ref" {
			if id, ok := arg.Str(); ok {
				if r, ok := t.Resources[id]; ok && r.Type == "AWS::IAM::ManagedPolicy" {
					e.Kind, e.Resource, e.Name = EntryTemplatePol, id, id
					return e
				}
			}
		}
		v := t.EvalOne(it)
		if s, ok := literalOrPartition(v.String()); ok {
			return t.managedEntry(e, s, f.ID, it.Span)
		}
		return e
	}
	if it.Kind != source.Mapping {
		return e
	}
	if it.Pair("Statement") != nil {
		e.Kind = EntryInline
		return e
	}
	if len(it.Pairs) == 1 {
		name := it.Pairs[0].Key
		if tmpl, ok := samtemplates.Lookup(name); ok {
			e.Kind, e.Name, e.Params = EntrySAMTemplate, name, it.Pairs[0].Value
			e.Policy = t.ExpandSAMTemplate(tmpl, e.Params, f.ID, it.Span)
		}
	}
	return e
}

// literalOrPartition accepts text whose only hole is ${AWS::Partition}.
func literalOrPartition(s string) (string, bool) {
	rest := strings.ReplaceAll(s, "${AWS::Partition}", "")
	return s, !strings.Contains(rest, "${")
}

func (t *Template) managedEntry(e PolicyEntry, s, owner string, anchor source.Span) PolicyEntry {
	mp, ok := managedpolicies.ByARN(s)
	if !ok && !strings.HasPrefix(s, "arn:") {
		mp, ok = managedpolicies.ByName(s)
	}
	if ok {
		e.Kind, e.Name = EntryManaged, mp.Name
		e.Policy = ManagedPolicy(mp, owner, anchor)
		return e
	}
	if strings.HasPrefix(s, "arn:") {
		e.Kind, e.Name = EntryCustomerARN, s
	}
	return e
}

// ResolveManagedARN resolves a ManagedPolicyArns (or PermissionsBoundary)
// value: an AWS managed policy, a managed policy of this template, or a
// policy from outside the template (ok false, name = the text).
func (t *Template) ResolveManagedARN(n *source.Node, owner string) (p *iam.Policy, templateRes string, name string) {
	if fn, arg := n.Intrinsic(); fn == "Ref" {
		if id, ok := arg.Str(); ok {
			if r, ok := t.Resources[id]; ok && r.Type == "AWS::IAM::ManagedPolicy" {
				return nil, id, id
			}
		}
	}
	s := t.EvalOne(n).String()
	if lit, ok := literalOrPartition(s); ok {
		if mp, ok := managedpolicies.ByARN(lit); ok {
			return ManagedPolicy(mp, owner, n.Span), "", mp.Name
		}
	}
	return nil, "", s
}

// parsedDocs caches the node trees of embedded documents (managed policies,
// SAM template definitions), parsed once per process. The trees are never
// modified: substitution copies the paths it changes.
var parsedDocs sync.Map // string -> *source.Node

func parsedDoc(key string, text []byte) *source.Node {
	if n, ok := parsedDocs.Load(key); ok {
		return n.(*source.Node)
	}
	n, err := source.ParseJSON(text)
	if err != nil {
		n = nil
	}
	parsedDocs.Store(key, n)
	return n
}

// ManagedPolicy makes the synthetic policy of an AWS managed policy, its
// statements pointing at anchor (the ManagedPolicyArns item or Policies
// entry that attaches it).
func ManagedPolicy(mp *managedpolicies.Policy, owner string, anchor source.Span) *iam.Policy {
	p := clonePolicy(managedProto(mp))
	p.Owner, p.Name = owner, mp.Name
	p.Synthetic, p.Origin, p.Anchor = true, "AWS managed policy "+mp.Name, anchor
	return p
}

// managedProtos caches the parse of each managed policy, which does not
// depend on who attaches it; templates attach the same few to every role.
var managedProtos sync.Map // ARN -> *iam.Policy, never handed out

func managedProto(mp *managedpolicies.Policy) *iam.Policy {
	if p, ok := managedProtos.Load(mp.ARN); ok {
		return p.(*iam.Policy)
	}
	p := iam.Parse(parsedDoc("managed:"+mp.ARN, mp.Document), iam.Identity, iam.LiteralEvaluator)
	managedProtos.Store(mp.ARN, p)
	return p
}

// clonePolicy copies a policy and its statements, so each attachment has
// statements of its own (the reasoner tells them apart); the elements,
// read-only, are shared.
func clonePolicy(proto *iam.Policy) *iam.Policy {
	p := *proto
	if proto.Statements == nil {
		return &p
	}
	sts := make([]iam.Statement, len(proto.Statements))
	p.Statements = make([]*iam.Statement, len(proto.Statements))
	for i, st := range proto.Statements {
		sts[i] = *st
		sts[i].Policy = &p
		p.Statements[i] = &sts[i]
	}
	return &p
}

// ManagedPolicyByName is ManagedPolicy for a name ("AWSLambdaBasicExecutionRole").
func ManagedPolicyByName(name, owner string, anchor source.Span) *iam.Policy {
	mp, ok := managedpolicies.ByName(name)
	if !ok {
		return nil
	}
	return ManagedPolicy(mp, owner, anchor)
}

// ExpandSAMTemplate expands a SAM policy template the way SAM does: every
// {"Ref": "<Parameter>"} of the definition is replaced by the value the
// user gave, and the result is evaluated with the template's evaluator, so
// `BucketName: !Ref ImagesBucket` stays the symbolic bucket name. A
// parameter the user left out stays unknown.
func (t *Template) ExpandSAMTemplate(tmpl *samtemplates.Template, params *source.Node, owner string, anchor source.Span) *iam.Policy {
	def := parsedDoc("sam:"+tmpl.Name, tmpl.Definition)
	doc := substituteParams(def, tmpl.Parameters, params)
	p := iam.Parse(doc, iam.Identity, t.Elements)
	p.Owner, p.Name = owner, tmpl.Name
	p.Synthetic, p.Anchor = true, anchor
	p.Origin = "SAM policy template " + tmpl.Name + t.paramSummary(tmpl, params)
	return p
}

// paramSummary renders "(BucketName: !Ref ImagesBucket)" from the text
// the user wrote.
func (t *Template) paramSummary(tmpl *samtemplates.Template, params *source.Node) string {
	var parts []string
	for _, name := range tmpl.Parameters {
		v := params.Get(name)
		if v == nil {
			continue
		}
		parts = append(parts, name+": "+t.SourceText(v))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// SourceText is a node as written, on one line, shortened when long.
func (t *Template) SourceText(n *source.Node) string {
	if n == nil {
		return ""
	}
	if s, ok := n.Str(); ok && n.Tag == "" {
		return s
	}
	if t.Doc == nil || n.Span.End > len(t.Doc.Text) || n.Span.Start >= n.Span.End {
		return t.EvalOne(n).String()
	}
	s := strings.Join(strings.Fields(string(t.Doc.Text[n.Span.Start:n.Span.End])), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// missingParam evaluates to an unknown value: an intrinsic no evaluator knows.
var missingParam = &source.Node{Kind: source.Mapping, Pairs: []source.Pair{{Key: "Fn::MissingParameter", Value: &source.Node{Kind: source.Scalar}}}}

func substituteParams(n *source.Node, names []string, params *source.Node) *source.Node {
	if n == nil {
		return nil
	}
	if fn, arg := n.Intrinsic(); fn == "Ref" {
		if name, ok := arg.Str(); ok {
			for _, p := range names {
				if p == name {
					if v := params.Get(name); v != nil {
						return v
					}
					return missingParam
				}
			}
		}
		return n
	}
	switch n.Kind {
	case source.Mapping:
		var out *source.Node
		for i, p := range n.Pairs {
			v := substituteParams(p.Value, names, params)
			if v != p.Value && out == nil {
				cp := *n
				cp.Pairs = append([]source.Pair(nil), n.Pairs...)
				out = &cp
			}
			if out != nil {
				out.Pairs[i].Value = v
			}
		}
		if out != nil {
			return out
		}
	case source.Sequence:
		var out *source.Node
		for i, it := range n.Items {
			v := substituteParams(it, names, params)
			if v != it && out == nil {
				cp := *n
				cp.Items = append([]*source.Node(nil), n.Items...)
				out = &cp
			}
			if out != nil {
				out.Items[i] = v
			}
		}
		if out != nil {
			return out
		}
	}
	return n
}

// ImplicitManagedPolicies names the AWS managed policies SAM attaches to
// the role it generates for a function: basic execution always, VPC access
// with VpcConfig, X-Ray write access when Tracing is set and not Disabled.
func ImplicitManagedPolicies(f *Function) []string {
	out := []string{"AWSLambdaBasicExecutionRole"}
	if f.Prop("VpcConfig") != nil {
		out = append(out, "AWSLambdaVPCAccessExecutionRole")
	}
	if tr := f.Prop("Tracing"); tr != nil {
		if s, ok := tr.Str(); !ok || s != "Disabled" {
			out = append(out, "AWSXrayWriteOnlyAccess")
		}
	}
	return out
}
