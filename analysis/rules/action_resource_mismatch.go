package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
)

var actionResourceMismatch = register(&Rule{
	ID:       "action-resource-mismatch",
	Severity: diag.Error,
	Summary:  "S3 actions listed on resources they can never apply to: the statement grants nothing for them.",
	Doc: "An Allow statement lists S3 actions for which none of its resources can match the action's " +
		"resource type. The classic case: `s3:GetObject` or `s3:PutObject` on the bucket ARN " +
		"`arn:aws:s3:::bucket` (or `!GetAtt Bucket.Arn`) — object actions need the object ARN " +
		"`arn:aws:s3:::bucket/*`; and the mirror case, `s3:ListBucket` or `s3:GetBucketLocation` only on " +
		"`bucket/*`. In an identity policy, such as a Lambda execution role's, the statement silently " +
		"grants nothing and the function's calls fail with AccessDenied at run time; in a bucket policy S3 " +
		"rejects the whole document at deploy with `MalformedPolicy: Action does not apply to any " +
		"resource(s) in statement`. The check sees through `!GetAtt`, `!Sub`, `!Join` and SAM. Fixes add " +
		"the missing ARN next to the existing one, or scope the Resource to it, in the document's own style.",
	Check: checkActionResourceMismatch,
})

// resourceClass says what an S3 action acts on.
type resourceClass uint8

const (
	classObject resourceClass = iota + 1
	classBucket
	classOther
)

func classOf(a *catalog.Action) resourceClass {
	object, bucket := false, false
	for _, rt := range a.ResourceTypes {
		switch rt.Name {
		case "object", "accesspointobject":
			object = true
		case "bucket":
			bucket = true
		}
	}
	switch {
	case object && !bucket:
		return classObject
	case bucket && !object:
		return classBucket
	}
	return classOther
}

// canApply reports whether some instantiation of any resource of the list
// could be a resource the action accepts. Unknown parts count as possible:
// the rule reports only what the template proves. keys are the resources'
// value keys, computed once per statement.
func canApply(c *Context, a *catalog.Action, resources []iam.Element, keys []string) bool {
	for i, e := range resources {
		for _, rt := range a.ResourceTypes {
			t, ok := catalog.Resource(a.Service, rt.Name)
			if !ok {
				return true
			}
			if c.canMatchFormat(e.Value, keys[i], t.ARN) {
				return true
			}
		}
	}
	return false
}

func checkActionResourceMismatch(c *Context) {
	for _, p := range c.Policies {
		if p.Synthetic || (p.Kind != iam.Identity && p.Kind != iam.Bucket && p.Kind != iam.Resource && p.Kind != iam.Boundary) {
			continue
		}
		for _, st := range p.Statements {
			if !st.Allow() || st.NotAction || st.NotResource || st.ResourceKey == nil || len(st.Resources) == 0 {
				continue
			}
			checkMismatch(c, p, st)
		}
	}
}

func checkMismatch(c *Context, p *iam.Policy, st *iam.Statement) {
	var objectMiss, bucketMiss []string
	keys := make([]string, len(st.Resources))
	for i, e := range st.Resources {
		keys[i] = e.Value.ShapeKey()
	}
	usable := 0 // actions of the statement that some resource serves
	for _, e := range st.Actions {
		name, ok := e.Value.Literal()
		// "s3:" in any case, without lower-casing the name: three bytes
		// that fold to it are ASCII, so EqualFold agrees with ToLower.
		if !ok || len(name) < 3 || !strings.EqualFold(name[:3], "s3:") {
			usable++
			continue
		}
		var acts []*catalog.Action
		if strings.ContainsAny(name, "*?") {
			acts = catalog.Match(name)
		} else if a, ok := catalog.Lookup(name); ok {
			acts = []*catalog.Action{a}
		}
		if len(acts) == 0 {
			continue
		}
		if strings.ContainsAny(name, "*?") {
			// A wildcard is fine as long as it serves some action here.
			served := false
			for _, a := range acts {
				if a.WildcardOnly() || canApply(c, a, st.Resources, keys) {
					served = true
					break
				}
			}
			if served {
				usable++
			}
			continue
		}
		a := acts[0]
		if a.WildcardOnly() || canApply(c, a, st.Resources, keys) {
			usable++
			continue
		}
		switch classOf(a) {
		case classObject:
			objectMiss = append(objectMiss, a.FullName())
		case classBucket:
			bucketMiss = append(bucketMiss, a.FullName())
		default:
			usable++
		}
	}
	if len(objectMiss) == 0 && len(bucketMiss) == 0 {
		return
	}
	span := st.ResourceKey.Value.Span
	if len(st.Resources) == 1 && st.Resources[0].Node != nil {
		span = st.Resources[0].Node.Span
	}
	only := usable == 0 && (len(objectMiss) == 0 || len(bucketMiss) == 0)
	if len(objectMiss) > 0 {
		msg := mismatchMessage(c, p, st, objectMiss, "objects", "the bucket, not its objects", "object ARN", "/*")
		c.Report(span, msg, mismatchFixes(c, st, objectExpr, "object", only)...)
	}
	if len(bucketMiss) > 0 {
		msg := mismatchMessage(c, p, st, bucketMiss, "the bucket itself", "objects, not the bucket", "bucket ARN", "")
		c.Report(span, msg, mismatchFixes(c, st, bucketExpr, "bucket", only)...)
	}
}

func mismatchMessage(c *Context, p *iam.Policy, st *iam.Statement, actions []string, actsOn, names, need, suffix string) string {
	sort.Strings(actions)
	var res []string
	for _, e := range st.Resources {
		res = append(res, display(c, e))
	}
	verb := "acts"
	if len(actions) > 1 {
		verb = "act"
	}
	msg := fmt.Sprintf("%s %s on %s, but Resource %s names %s, so the statement grants nothing for %s.",
		strings.Join(actions, ", "), verb, actsOn, strings.Join(res, ", "), names, plural(len(actions), "it", "them"))
	switch p.Kind {
	case iam.Bucket, iam.Resource:
		msg += " S3 rejects this bucket policy at deploy: MalformedPolicy, \"Action does not apply to any resource(s) in statement\"."
	default:
		msg += " " + runtimeConsequence(c, p)
	}
	if suffix != "" {
		msg += " Object actions need the object ARN, e.g. arn:aws:s3:::bucket/*."
	} else {
		msg += " Bucket actions need the bucket ARN, e.g. arn:aws:s3:::bucket."
	}
	_ = need
	return msg
}

// runtimeConsequence says whose calls fail when an identity statement
// grants nothing.
func runtimeConsequence(c *Context, p *iam.Policy) string {
	if c.Template != nil && p.Owner != "" {
		if r := c.Template.Resources[p.Owner]; r != nil {
			switch r.Type {
			case "AWS::Serverless::Function", "AWS::Lambda::Function":
				return p.Owner + "'s calls fail with AccessDenied at run time."
			case "AWS::IAM::Role":
				return "Calls signed by role " + p.Owner + " fail with AccessDenied at run time."
			}
			return "Calls from the roles " + p.Owner + " is attached to fail with AccessDenied at run time."
		}
	}
	return "Calls that rely on it fail with AccessDenied at run time."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mismatchFixes offers "Add the object ARN ..." (keeps the existing ARN for
// the actions it serves) and "Scope Resource to ..." (replaces it); the
// replacement is preferred when nothing in the statement uses the old ARN.
func mismatchFixes(c *Context, st *iam.Statement, derive func(iam.Element) (edit.Expr, bool), what string, only bool) []diag.Fix {
	if len(st.Resources) != 1 || st.Resources[0].Node == nil || st.Resources[0].Alternative {
		return nil
	}
	e := st.Resources[0]
	expr, ok := derive(e)
	if !ok {
		return nil
	}
	style := c.Style()
	shown := expr.Text
	add := diag.Fix{
		Title:     fmt.Sprintf("Add the %s ARN %s", what, shown),
		Edits:     []diag.Edit{edit.AppendToList(c.Doc, st.ResourceKey, expr)},
		Preferred: !only,
	}
	scope := diag.Fix{
		Title:     fmt.Sprintf("Scope Resource to %s", shown),
		Edits:     []diag.Edit{edit.Replace(e.Node, edit.Render(expr, style))},
		Preferred: only,
	}
	if only {
		return []diag.Fix{scope, add}
	}
	return []diag.Fix{add, scope}
}
