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

var wildcardAction = register(&Rule{
	ID:       "wildcard-action",
	Severity: diag.Warning,
	Summary:  "Allow with Action \"*\" or \"s3:*\".",
	Doc: "An Allow statement grants `*` or `s3:*`: every S3 action, including `s3:DeleteBucket`, " +
		"`s3:PutBucketPolicy` and `s3:PutBucketPublicAccessBlock`. A Lambda function rarely needs more than " +
		"a handful of object actions; a bug or a stolen credential can then rewrite the bucket's policy or " +
		"turn Block Public Access off. List the actions the function uses (for example with the SAM " +
		"policy templates `S3ReadPolicy` or `S3CrudPolicy`).",
	Check: checkWildcardAction,
})

var wildcardResource = register(&Rule{
	ID:       "wildcard-resource",
	Severity: diag.Warning,
	Summary:  "Allow of S3 data actions on Resource \"*\": every bucket in the account.",
	Doc: "An Allow statement grants S3 actions that act on buckets or objects on `Resource: \"*\"`, so the " +
		"role can read or write every bucket in the account and any bucket in other accounts that trusts " +
		"it. Actions that only accept `*` (such as `s3:ListAllMyBuckets`) are never flagged. When the " +
		"template defines exactly one bucket, the fix scopes the Resource to it.",
	Check: checkWildcardResource,
})

func checkWildcardAction(c *Context) {
	for _, p := range c.Policies {
		if p.Synthetic || p.Kind == iam.Trust || p.Kind == iam.Endpoint {
			continue
		}
		for _, st := range p.Statements {
			if !st.Allow() || st.NotAction {
				continue
			}
			for _, e := range st.Actions {
				name, ok := e.Value.Literal()
				if !ok || e.Node == nil {
					continue
				}
				// Compared without lower-casing: four bytes that fold to
				// "s3:*" are ASCII, so EqualFold agrees with ToLower here.
				switch {
				case name == "*":
					c.Report(e.Node.Span, fmt.Sprintf("Action \"*\" in %s allows every action of every AWS service, not just S3. List the actions the function needs.", where(p)))
				case len(name) == 4 && strings.EqualFold(name, "s3:*"):
					c.Report(e.Node.Span, fmt.Sprintf("s3:* in %s allows every S3 action, including s3:DeleteBucket, s3:PutBucketPolicy and s3:PutBucketPublicAccessBlock. List the object and bucket actions the function needs.", where(p)))
				}
			}
		}
	}
}

// dataActions returns the S3 actions of a statement that act on buckets
// or objects (not the ones that only accept "*").
func dataActions(st *iam.Statement) (object, bucket []string) {
	seen := map[string]bool{}
	for _, e := range st.Actions {
		name, ok := e.Value.Literal()
		if !ok {
			continue
		}
		for _, a := range catalog.Match(name) {
			if a.Service != "s3" || a.WildcardOnly() || seen[a.FullName()] {
				continue
			}
			seen[a.FullName()] = true
			switch classOf(a) {
			case classObject:
				object = append(object, a.FullName())
			case classBucket:
				bucket = append(bucket, a.FullName())
			}
		}
	}
	sort.Strings(object)
	sort.Strings(bucket)
	return object, bucket
}

func checkWildcardResource(c *Context) {
	for _, p := range c.Policies {
		if p.Synthetic || p.Kind != iam.Identity {
			continue
		}
		for _, st := range p.Statements {
			if !st.Allow() || st.NotAction || st.NotResource {
				continue
			}
			for _, e := range st.Resources {
				if s, ok := e.Value.Literal(); !ok || s != "*" || e.Node == nil {
					continue
				}
				object, bucket := dataActions(st)
				if len(object)+len(bucket) == 0 {
					continue
				}
				all := append(append([]string{}, object...), bucket...)
				shown := strings.Join(all, ", ")
				if len(all) > 4 {
					shown = strings.Join(all[:4], ", ") + fmt.Sprintf(" and %d more", len(all)-4)
				}
				msg := fmt.Sprintf("Resource \"*\" lets %s use %s on every bucket in the account, not just the ones it needs. Scope it to the bucket ARN and its objects.", ownerName(p), shown)
				c.Report(e.Node.Span, msg, scopeToBucketFix(c, st, e, len(object) > 0, len(bucket) > 0)...)
			}
		}
	}
}

func ownerName(p *iam.Policy) string {
	if p.Owner == "" {
		return "this policy"
	}
	return p.Owner
}

// scopeToBucketFix replaces "*" with the template's only bucket.
func scopeToBucketFix(c *Context, st *iam.Statement, e iam.Element, object, bucket bool) []diag.Fix {
	if c.Template == nil || len(st.Resources) != 1 {
		return nil
	}
	buckets := c.Template.ResourcesOfType("AWS::S3::Bucket")
	if len(buckets) != 1 {
		return nil
	}
	b := buckets[0].ID
	style := c.Style()
	var exprs []edit.Expr
	if bucket {
		exprs = append(exprs, edit.GetAtt(b, "Arn"))
	}
	if object {
		exprs = append(exprs, edit.Sub("${"+b+".Arn}/*"))
	}
	var text string
	if len(exprs) == 1 {
		text = edit.Render(exprs[0], style)
	} else {
		text = "[" + edit.Render(exprs[0], style) + ", " + edit.Render(exprs[1], style) + "]"
	}
	return []diag.Fix{{
		Title:     fmt.Sprintf("Scope Resource to bucket %s", b),
		Edits:     []diag.Edit{edit.Replace(e.Node, text)},
		Preferred: true,
	}}
}
