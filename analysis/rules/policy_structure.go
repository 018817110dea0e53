package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

var policyStructure = register(&Rule{
	ID:       "policy-structure",
	Severity: diag.Error,
	Summary:  "A policy document is malformed: IAM or S3 rejects it.",
	Doc: "Checks the shape of every policy document: a `Statement` must be present; each statement needs " +
		"an `Effect` of `Allow` or `Deny`, an `Action` (or `NotAction`) and, outside trust policies, a " +
		"`Resource` (or `NotResource`); identity policies (a Lambda execution role's) must not name a " +
		"`Principal`, while bucket policies must; `Allow` with `NotPrincipal` is refused; policy variables " +
		"such as `${aws:username}` need `Version: 2012-10-17`, or they are read as literal text; unknown " +
		"keys are refused. CloudFormation fails the stack with `MalformedPolicyDocument` or S3 answers " +
		"`MalformedPolicy` at deploy.",
	Check: checkPolicyStructure,
})

var statementKeys = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true, "Action": true,
	"NotAction": true, "Resource": true, "NotResource": true, "Condition": true,
}

var documentKeys = map[string]bool{"Version": true, "Id": true, "Statement": true}

// policyVariable matches IAM policy variables such as ${aws:username}.
var policyVariable = regexp.MustCompile(`\$\{(aws|s3|ec2|iam|sts|saml|www\.amazon\.com|graph\.facebook\.com|accounts\.google\.com|cognito-identity\.amazonaws\.com):[^}]*\}`)

func checkPolicyStructure(c *Context) {
	for _, p := range c.Policies {
		if p.Synthetic || p.Node == nil {
			continue
		}
		checkDocument(c, p)
		for _, st := range p.Statements {
			checkStatement(c, p, st)
		}
	}
}

func where(p *iam.Policy) string {
	if p.Owner == "" {
		return "this " + p.Kind.String()
	}
	return fmt.Sprintf("the %s of %s", p.Kind, p.Owner)
}

func checkDocument(c *Context, p *iam.Policy) {
	for _, kp := range p.Node.Pairs {
		if !documentKeys[kp.Key] {
			c.Report(kp.KeySpan, fmt.Sprintf("Unknown key %q in %s: a policy document has only Version, Id and Statement, so IAM rejects it with MalformedPolicyDocument. Remove it or move it into a statement.", kp.Key, where(p)))
		}
	}
	if p.VersionNode != nil && p.Version != "2012-10-17" && p.Version != "2008-10-17" {
		if f, _ := p.VersionNode.Intrinsic(); f == "" {
			c.Report(p.VersionNode.Span, fmt.Sprintf("Version %q is not a policy language version: use \"2012-10-17\".", p.Version),
				replaceFix("Set Version to 2012-10-17", p.VersionNode, "2012-10-17", c))
		}
	}
	if p.StatementKey == nil {
		c.Report(firstLine(c, p.Node.Span), fmt.Sprintf("%s has no Statement, so it grants and denies nothing, and IAM rejects it at deploy. Add a Statement list.", capitalize(where(p))))
	}
}

func checkStatement(c *Context, p *iam.Policy, st *iam.Statement) {
	n := st.Node
	if n.Kind != source.Mapping {
		c.Report(n.Span, fmt.Sprintf("Statement %d of %s is not an object: each statement needs Effect, Action and Resource keys.", st.Index+1, where(p)))
		return
	}
	if f, _ := n.Intrinsic(); f != "" {
		return
	}
	// Named only for a finding: most statements have none.
	name := func() string { return statementName(st) }
	for _, kp := range n.Pairs {
		if !statementKeys[kp.Key] {
			msg := fmt.Sprintf("Unknown key %q in %s of %s: IAM rejects the policy with MalformedPolicyDocument.", kp.Key, name(), where(p))
			if s := closestKey(kp.Key); s != "" {
				msg += fmt.Sprintf(" Did you mean %q?", s)
			}
			c.Report(kp.KeySpan, msg)
		}
	}
	switch {
	case st.EffectNode == nil:
		c.Report(statementStart(c, n), fmt.Sprintf("%s of %s has no Effect: add `Effect: Allow` or `Effect: Deny`; IAM rejects a statement without one.", capitalize(name()), where(p)))
	case st.Effect != "Allow" && st.Effect != "Deny":
		if f, _ := st.EffectNode.Intrinsic(); f == "" {
			msg := fmt.Sprintf("Effect %q in %s is neither Allow nor Deny (the words are case-sensitive); IAM rejects the policy.", st.Effect, name())
			var fixes []diag.Fix
			switch strings.ToLower(st.Effect) {
			case "allow":
				fixes = append(fixes, replaceFix("Write Effect as Allow", st.EffectNode, "Allow", c))
			case "deny":
				fixes = append(fixes, replaceFix("Write Effect as Deny", st.EffectNode, "Deny", c))
			}
			c.Report(st.EffectNode.Span, msg, fixes...)
		}
	}
	if n.Pair("Action") != nil && n.Pair("NotAction") != nil {
		c.Report(n.Pair("NotAction").KeySpan, fmt.Sprintf("%s has both Action and NotAction; a statement takes one of them.", capitalize(name())))
	} else if st.ActionKey == nil {
		c.Report(statementStart(c, n), fmt.Sprintf("%s of %s has no Action: it matches no request, and IAM rejects the policy. Add the actions it should allow or deny.", capitalize(name()), where(p)))
	}
	if n.Pair("Resource") != nil && n.Pair("NotResource") != nil {
		c.Report(n.Pair("NotResource").KeySpan, fmt.Sprintf("%s has both Resource and NotResource; a statement takes one of them.", capitalize(name())))
	} else if st.ResourceKey == nil && p.Kind != iam.Trust {
		c.Report(statementStart(c, n), fmt.Sprintf("%s of %s has no Resource: IAM rejects the policy. Name the bucket or object ARNs it applies to.", capitalize(name()), where(p)))
	}
	if st.PrincipalKey != nil && (p.Kind == iam.Identity || p.Kind == iam.Boundary) {
		c.Report(st.PrincipalKey.KeySpan, fmt.Sprintf("%s is in an identity policy, which applies to the role it is attached to and cannot name a %s; IAM rejects it with MalformedPolicyDocument. Remove it, or put the statement in a bucket policy.", st.PrincipalKey.Key, st.PrincipalKey.Key))
	}
	if st.PrincipalKey == nil && (p.Kind == iam.Bucket || p.Kind == iam.KeyPolicy || p.Kind == iam.Trust || p.Kind == iam.Resource) {
		c.Report(statementStart(c, n), fmt.Sprintf("%s of %s has no Principal: a resource policy must say whom it applies to, and S3 rejects it with MalformedPolicy.", capitalize(name()), where(p)))
	}
	if st.NotPrincipal && st.Effect == "Allow" {
		c.Report(st.PrincipalKey.KeySpan, fmt.Sprintf("Allow with NotPrincipal in %s grants access to everyone except the principals listed, anonymous users included. Name the principals to allow with Principal instead.", name()))
	}
	if p.Version != "2012-10-17" {
		checkVariables(c, p, st)
	}
}

// checkVariables reports policy variables in a document without Version
// 2012-10-17: IAM then reads "${aws:username}" as literal text.
func checkVariables(c *Context, p *iam.Policy, st *iam.Statement) {
	check := func(els []iam.Element) {
		for _, e := range els {
			if e.Node == nil {
				continue
			}
			if loc := policyVariable.FindStringIndex(e.Value.String()); loc != nil {
				v := e.Value.String()[loc[0]:loc[1]]
				msg := fmt.Sprintf("Policy variable %s needs Version \"2012-10-17\"; without it IAM compares the literal text %q, so this element matches nothing.", v, v)
				c.Report(e.Node.Span, msg)
			}
		}
	}
	check(st.Resources)
	for _, cond := range st.Conditions {
		check(cond.Values)
	}
}

func statementName(st *iam.Statement) string {
	if st.Sid != "" {
		return "statement " + strconv.Quote(st.Sid) // as %q writes it
	}
	return "statement " + strconv.Itoa(st.Index+1)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func closestKey(k string) string {
	lk := strings.ToLower(k)
	for s := range statementKeys {
		if strings.ToLower(s) == lk || strings.TrimSuffix(lk, "s") == strings.ToLower(s) {
			return s
		}
	}
	return ""
}

// statementStart is where a finding about a whole statement goes: its
// first key, or the first line of the statement.
func statementStart(c *Context, n *source.Node) source.Span {
	if n.Kind == source.Mapping && len(n.Pairs) > 0 {
		return n.Pairs[0].KeySpan
	}
	return firstLine(c, n.Span)
}

// firstLine narrows a span to its first line, so that a finding about a
// whole block underlines only where the block starts.
func firstLine(c *Context, sp source.Span) source.Span {
	text := c.Doc.Text
	end := sp.Start
	for end < sp.End && end < len(text) && text[end] != '\n' && text[end] != '\r' {
		end++
	}
	if end == sp.Start && sp.End > sp.Start {
		end = sp.Start + 1
	}
	return source.Span{Start: sp.Start, End: end}
}
