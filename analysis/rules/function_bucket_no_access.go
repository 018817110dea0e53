package rules

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
)

var functionBucketNoAccess = register(&Rule{
	ID:       "function-bucket-no-access",
	Severity: diag.Warning,
	Summary:  "A function is handed a bucket but its role allows no S3 action on it.",
	Doc: "A Lambda function receives a bucket's name or ARN — in an environment variable or another property " +
		"that uses `!Ref`, `!GetAtt` or `!Sub` of the bucket — but nothing in its role (identity policies, " +
		"managed policies, SAM policy templates) or in the bucket policy allows any S3 action on that bucket. " +
		"Its calls will fail with AccessDenied. The rule stays silent when the role or one of its policies is " +
		"outside the template. Fix: add `S3ReadPolicy` or `S3CrudPolicy` with `BucketName: !Ref Bucket` (SAM), " +
		"or a statement on the bucket ARN and `bucket/*`.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkFunctionBucketNoAccess,
})

func checkFunctionBucketNoAccess(c *Context) {
	if c.Access == nil {
		return
	}
	for _, fa := range c.Access.Functions {
		if !fa.Known() || fa.Role.External {
			continue
		}
		reported := map[string]bool{}
		for _, ref := range fa.Refs {
			ba := fa.Access(ref.Bucket)
			if ba == nil || reported[ref.Bucket] || len(ba.Decisions) > 0 {
				continue
			}
			reported[ref.Bucket] = true
			msg := fmt.Sprintf("%s is handed bucket %s (%s), but its role %s allows no S3 action on it: if the function reads or writes it, the calls fail with AccessDenied. "+
				"Grant access with S3ReadPolicy or S3CrudPolicy (SAM) or a statement on the bucket and its objects.",
				fa.ID, ref.Bucket, ref.Path, fa.Role.ID)
			c.Report(ref.Node.Span, msg, samPolicyFixes(c, fa, ref.Bucket)...)
		}
	}
}

// samTemplateItem is a Policies entry "<Template>: {<Param>: !Ref <id>}".
func samTemplateItem(template, param, id string) edit.Value {
	return edit.Map(edit.Field{Key: template, Value: edit.Map(edit.Field{Key: param, Value: edit.RefTo(id)})})
}

// addPolicyFix appends policy templates to a SAM function's Policies (or
// adds Policies) when SAM builds its role.
func addPolicyFix(c *Context, fa *access.FunctionAccess, title string, preferred bool, items ...edit.Value) (diag.Fix, bool) {
	if !fa.Role.Implicit {
		return diag.Fix{}, false
	}
	var e diag.Edit
	var ok bool
	if pp := fa.Function.Props.Pair("Policies"); pp != nil {
		e, ok = edit.AppendItems(c.Doc, pp.Value, items...)
	} else {
		e, ok = edit.InsertEntry(c.Doc, fa.Function.Properties, "Policies", edit.List(items...))
	}
	if !ok {
		return diag.Fix{}, false
	}
	return diag.Fix{Title: title, Edits: []diag.Edit{e}, Preferred: preferred}, true
}

func samPolicyFixes(c *Context, fa *access.FunctionAccess, bucket string) []diag.Fix {
	var out []diag.Fix
	if fx, ok := addPolicyFix(c, fa, fmt.Sprintf("Add S3ReadPolicy for %s to %s", bucket, fa.ID), true,
		samTemplateItem("S3ReadPolicy", "BucketName", bucket)); ok {
		out = append(out, fx)
	}
	if fx, ok := addPolicyFix(c, fa, fmt.Sprintf("Add S3CrudPolicy for %s to %s", bucket, fa.ID), false,
		samTemplateItem("S3CrudPolicy", "BucketName", bucket)); ok {
		out = append(out, fx)
	}
	return out
}
