package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

var subIAMVariable = register(&Rule{
	ID:       "sub-iam-variable",
	Severity: diag.Error,
	Summary:  "An IAM policy variable such as ${aws:username} written unescaped inside Fn::Sub: the stack fails to deploy.",
	Doc: "`Fn::Sub` replaces every `${Name}` with a parameter, resource or pseudo parameter, so an IAM policy " +
		"variable written inside it — `!Sub 'arn:aws:s3:::${Bucket}/${aws:username}/*'` — is read as a " +
		"template variable that does not exist, and CloudFormation rejects the template (\"Unresolved resource " +
		"dependencies\"). Write it as `${!aws:username}`: Fn::Sub then leaves `${aws:username}` in the policy " +
		"for IAM to fill in at request time.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkSubIAMVariable,
})

func checkSubIAMVariable(c *Context) {
	source.Walk(c.Doc.Root, func(n *source.Node) bool {
		fn, arg := n.Intrinsic()
		if fn != "Fn::Sub" {
			return true
		}
		tmpl, vars := arg, (*source.Node)(nil)
		if arg != nil && arg.Kind == source.Sequence && len(arg.Items) > 0 {
			tmpl = arg.Items[0]
			if len(arg.Items) > 1 {
				vars = arg.Items[1]
			}
		}
		text, ok := tmpl.Str()
		if !ok {
			return true
		}
		for _, seg := range cfn.SplitSub(text) {
			if !seg.Var || !isPolicyVariable(seg.Text) || vars.Get(seg.Text) != nil {
				continue
			}
			v := "${" + seg.Text + "}"
			msg := fmt.Sprintf("%s inside Fn::Sub is read by CloudFormation as a template variable, and there is none by that name: the stack fails with \"Unresolved resource dependencies [%s]\". Write ${!%s} so that IAM receives the policy variable.", v, seg.Text, seg.Text)
			span, fixes := tmpl.Span, subEscapeFix(c, tmpl, v, seg.Text)
			if len(fixes) > 0 {
				span = source.Span{Start: fixes[0].Edits[0].Span.Start - 2, End: fixes[0].Edits[0].Span.Start - 2 + len(v)}
			}
			c.Report(span, msg, fixes...)
		}
		return false
	})
}

// isPolicyVariable tells an IAM policy variable (aws:username, s3:prefix,
// aws:PrincipalTag/team) from a template variable or a pseudo parameter
// (AWS::Region), by the prefixes IAM defines.
func isPolicyVariable(name string) bool {
	return policyVariable.MatchString("${" + name + "}")
}

// subEscapeFix inserts the "!" of "${!name}" where the variable is written,
// when the scalar's text holds it as is (no escapes in between).
func subEscapeFix(c *Context, tmpl *source.Node, v, name string) []diag.Fix {
	raw := string(c.Doc.Text[tmpl.Span.Start:tmpl.Span.End])
	i := strings.Index(raw, v)
	if i < 0 || strings.Count(raw, v) != 1 {
		return nil
	}
	at := tmpl.Span.Start + i + 2
	return []diag.Fix{{
		Title:     fmt.Sprintf("Escape it as ${!%s}", name),
		Edits:     []diag.Edit{{Span: source.Span{Start: at, End: at}, NewText: "!"}},
		Preferred: true,
	}}
}
