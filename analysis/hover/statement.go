package hover

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// statementSection says what a statement grants, in words, and what S3
// Block Public Access does to it.
func statementSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetStatement {
		return
	}
	st := t.Statement
	name := st.Sid
	if name == "" {
		name = fmt.Sprintf("Statement %d", st.Index+1)
	}
	w.Title(fmt.Sprintf("%s — %s", name, where(w, m, st.Policy)))
	w.Para(grant(w, st))
	for _, c := range st.Conditions {
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, v.Value.String())
		}
		w.Bullet(fmt.Sprintf("only when %s %s %s", w.Code(c.Key), c.Operator, names(w, vals)))
	}
	if fns := functionsOf(m, st.Policy); len(fns) > 0 {
		w.Para(fmt.Sprintf("Functions using this policy's role: %s.", names(w, fns)))
	}
	switch st.Policy.Kind {
	case iam.Identity, iam.Boundary:
		w.Para(fmt.Sprintf("Block Public Access does not change this statement: it blocks anonymous and public access to buckets, never requests signed with %s credentials.", roleOf(w, m, st.Policy)))
	case iam.Bucket:
		bucketPolicyBPA(w, m, st)
	}
}

// where names the policy a statement belongs to.
func where(w *Writer, m *model.Model, p *iam.Policy) string {
	if p.Owner == "" {
		return "in this " + p.Kind.String()
	}
	owner := w.Code(p.Owner)
	if m.Template != nil {
		if r := m.Template.Resources[p.Owner]; r != nil {
			switch r.Type {
			case "AWS::Serverless::Function":
				return "in a policy of function " + owner + " (SAM adds it to the function's execution role)"
			case "AWS::IAM::Role":
				if p.Name != "" {
					return fmt.Sprintf("in inline policy %s of role %s", w.Code(p.Name), owner)
				}
				return fmt.Sprintf("in the %s of role %s", p.Kind, owner)
			}
		}
	}
	if p.Name != "" {
		return fmt.Sprintf("in %s %s (%s)", p.Kind, w.Code(p.Name), owner)
	}
	return fmt.Sprintf("in the %s %s", p.Kind, owner)
}

// grant renders "Allows a, b on x to y" in words.
func grant(w *Writer, st *iam.Statement) string {
	verb := "Allows"
	if !st.Allow() {
		verb = "Denies"
	}
	var b strings.Builder
	b.WriteString(verb + " ")
	acts := elementNames(st.Actions)
	switch {
	case st.NotAction:
		fmt.Fprintf(&b, "every action except %s", names(w, acts))
	case len(acts) == 0:
		b.WriteString("no action")
	default:
		b.WriteString(names(w, acts))
	}
	res := elementNames(st.Resources)
	switch {
	case st.NotResource:
		fmt.Fprintf(&b, " on every resource except %s", names(w, res))
	case len(res) > 0:
		fmt.Fprintf(&b, " on %s", names(w, res))
	}
	if len(st.Principals) > 0 {
		var ps []string
		for _, p := range st.Principals {
			ps = append(ps, principalText(p))
		}
		if st.NotPrincipal {
			fmt.Fprintf(&b, " to everyone except %s", names(w, ps))
		} else {
			fmt.Fprintf(&b, " to %s", names(w, ps))
		}
	}
	b.WriteString(".")
	return b.String()
}

func elementNames(es []iam.Element) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Value.String())
	}
	if len(out) > maxListed {
		out = append(out[:maxListed:maxListed], fmt.Sprintf("%d more", len(out)-maxListed))
	}
	return out
}

// roleOf names the role whose credentials sign a policy's requests.
func roleOf(w *Writer, m *model.Model, p *iam.Policy) string {
	if m.Template != nil && p.Owner != "" {
		if r := m.Template.Resources[p.Owner]; r != nil {
			switch r.Type {
			case "AWS::IAM::Role":
				return "role " + w.Code(p.Owner) + "'s"
			case "AWS::Serverless::Function":
				return "function " + w.Code(p.Owner) + "'s execution role"
			}
		}
	}
	return "the role's"
}

// functionsOf lists the functions whose execution role holds the policy.
func functionsOf(m *model.Model, p *iam.Policy) []string {
	t := m.Template
	if t == nil || p.Owner == "" {
		return nil
	}
	owner := t.Resources[p.Owner]
	if owner == nil || owner.Type != "AWS::IAM::Role" {
		return nil
	}
	var out []string
	for _, fn := range t.ResourcesOfType("AWS::Lambda::Function", "AWS::Serverless::Function") {
		if refersTo(t, fn.Prop("Role"), owner.ID) {
			out = append(out, fn.ID)
		}
	}
	return out
}

// refersTo reports whether an expression's values mention resource id, as
// !GetAtt Role.Arn and !Sub ${Role.Arn} do.
func refersTo(t *cfn.Template, n *source.Node, id string) bool {
	if n == nil {
		return false
	}
	for _, v := range t.Eval(n) {
		for _, p := range v.Parts {
			if p.Hole && p.Ref == id {
				return true
			}
		}
	}
	return false
}

// bucketPolicyBPA explains what Block Public Access does to a statement of
// a bucket policy.
func bucketPolicyBPA(w *Writer, m *model.Model, st *iam.Statement) {
	if !st.Allow() {
		w.Para("Block Public Access does not affect Deny statements.")
		return
	}
	pub := iam.StatementPublic(st)
	bucket, flags, known := policyBucket(m, st.Policy)
	switch pub.Public {
	case value.False:
		w.Para(fmt.Sprintf("Not public by S3's definition (%s): Block Public Access leaves it alone.", pub.Reason))
		return
	case value.Maybe:
		w.Para(fmt.Sprintf("May be public by S3's definition: %s.", pub.Reason))
	default:
		w.Para(fmt.Sprintf("Public by S3's definition: %s.", pub.Reason))
	}
	if !known {
		w.Bullet("With BlockPublicPolicy on (the default for new buckets since April 2023), S3 rejects this policy: the stack fails at deploy with " + w.Code("API: s3:PutBucketPolicy Access Denied") + ".")
		w.Bullet("With RestrictPublicBuckets on, only AWS service principals and users of the bucket owner's account keep access through this policy; cross-account grants stop working, even to named accounts.")
		return
	}
	b := w.Code(bucket.ID)
	switch flags.get(blockPublicPolicy) {
	case value.True:
		w.Bullet(fmt.Sprintf("Bucket %s has BlockPublicPolicy on (%s): S3 rejects this policy, and the stack fails at deploy with %s.", b, flags.why(blockPublicPolicy), w.Code("API: s3:PutBucketPolicy Access Denied")))
	case value.False:
		w.Bullet(fmt.Sprintf("Bucket %s has BlockPublicPolicy off (%s): S3 accepts this policy, unless Block Public Access of the account refuses it.", b, flags.why(blockPublicPolicy)))
	default:
		w.Bullet(fmt.Sprintf("Bucket %s's BlockPublicPolicy is decided at deploy: when on, the stack fails with %s.", b, w.Code("API: s3:PutBucketPolicy Access Denied")))
	}
	switch flags.get(restrictPublicBuckets) {
	case value.True:
		w.Bullet(fmt.Sprintf("RestrictPublicBuckets is on (%s): only AWS service principals and users of the bucket owner's account get access through this policy; cross-account grants stop working.", flags.why(restrictPublicBuckets)))
	case value.False:
		w.Bullet(fmt.Sprintf("RestrictPublicBuckets is off (%s): this statement gives access to anyone it names, anonymous users included.", flags.why(restrictPublicBuckets)))
	}
}
