package iam

import (
	"github.com/iamlens/iamlens/analysis/source"
)

// Parse reads a policy document node. It never fails: missing or malformed
// elements are left empty for the policy-structure rule to report.
func Parse(doc *source.Node, kind PolicyKind, eval Evaluator) *Policy {
	p := &Policy{Kind: kind, Node: doc}
	if doc == nil || doc.Kind != source.Mapping {
		return p
	}
	if v := doc.Get("Version"); v != nil {
		p.VersionNode = v
		p.Version, _ = v.Str()
	}
	p.StatementKey = doc.Pair("Statement")
	if p.StatementKey == nil {
		return p
	}
	nodes := statementNodes(p.StatementKey.Value)
	if len(nodes) > 0 {
		// The statements in one allocation, listed in one more.
		p.Statements = make([]*Statement, len(nodes))
		slab := make([]Statement, len(nodes))
		for i, sn := range nodes {
			p.Statements[i] = &slab[i]
			parseStatement(&slab[i], p, i, sn, eval)
		}
	}
	return p
}

// statementNodes accepts a single statement object or a list of them
// (IAM allows both); Fn::If around a statement yields both branches.
func statementNodes(n *source.Node) []*source.Node {
	if n != nil && n.Kind == source.Sequence && !hasIf(n.Items) {
		return n.Items // the usual list of statements, read only
	}
	var out []*source.Node
	for _, it := range n.List() {
		if fn, arg := it.Intrinsic(); fn == "Fn::If" {
			if arg.Kind == source.Sequence && len(arg.Items) == 3 {
				for _, br := range arg.Items[1:] {
					if br.Kind == source.Mapping {
						if f, _ := br.Intrinsic(); f == "" {
							out = append(out, br)
						}
					}
				}
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

// hasIf reports whether some statement is written with Fn::If.
func hasIf(items []*source.Node) bool {
	for _, it := range items {
		if fn, _ := it.Intrinsic(); fn == "Fn::If" {
			return true
		}
	}
	return false
}

// parseStatement reads statement number i of p from n into s.
func parseStatement(s *Statement, p *Policy, i int, n *source.Node, eval Evaluator) {
	*s = Statement{Policy: p, Index: i, Node: n}
	if n.Kind != source.Mapping {
		return
	}
	if v := n.Get("Sid"); v != nil {
		s.Sid, _ = v.Str()
	}
	if v := n.Get("Effect"); v != nil {
		s.EffectNode = v
		s.Effect, _ = v.Str()
	}
	if kp := n.Pair("Action"); kp != nil {
		s.ActionKey = kp
	} else if kp := n.Pair("NotAction"); kp != nil {
		s.ActionKey, s.NotAction = kp, true
	}
	if s.ActionKey != nil {
		s.Actions = eval(s.ActionKey.Value)
	}
	if kp := n.Pair("Resource"); kp != nil {
		s.ResourceKey = kp
	} else if kp := n.Pair("NotResource"); kp != nil {
		s.ResourceKey, s.NotResource = kp, true
	}
	if s.ResourceKey != nil {
		s.Resources = eval(s.ResourceKey.Value)
	}
	if kp := n.Pair("Principal"); kp != nil {
		s.PrincipalKey = kp
	} else if kp := n.Pair("NotPrincipal"); kp != nil {
		s.PrincipalKey, s.NotPrincipal = kp, true
	}
	if s.PrincipalKey != nil {
		s.Principals = parsePrincipals(s.PrincipalKey.Value, eval)
	}
	if kp := n.Pair("Condition"); kp != nil {
		s.ConditionKey = kp
		s.Conditions = parseConditions(kp.Value, eval)
	}
}

// parsePrincipals reads "*" or {"AWS": ..., "Service": ...}.
func parsePrincipals(n *source.Node, eval Evaluator) []Principal {
	if s, ok := n.Str(); ok {
		return []Principal{{Type: "*", Element: Element{Node: n, Value: litOf(s)}}}
	}
	if n == nil || n.Kind != source.Mapping {
		return nil
	}
	if f, _ := n.Intrinsic(); f != "" {
		return []Principal{{Type: "AWS", Element: Element{Node: n, Value: unknownOf()}}}
	}
	var out []Principal
	for _, pr := range n.Pairs {
		for _, e := range eval(pr.Value) {
			out = append(out, Principal{Type: pr.Key, Element: e})
		}
	}
	return out
}

// parseConditions reads {"Operator": {"key": value-or-list}}.
func parseConditions(n *source.Node, eval Evaluator) []Condition {
	if n == nil || n.Kind != source.Mapping {
		return nil
	}
	var out []Condition
	for _, op := range n.Pairs {
		if op.Value == nil || op.Value.Kind != source.Mapping {
			continue
		}
		for _, kv := range op.Value.Pairs {
			out = append(out, Condition{
				Operator: op.Key, OpSpan: op.KeySpan,
				Key: kv.Key, KeySpan: kv.KeySpan,
				Values: eval(kv.Value),
			})
		}
	}
	return out
}
