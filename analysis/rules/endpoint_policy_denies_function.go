package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

var endpointPolicyDeniesFunction = register(&Rule{
	ID:       "endpoint-policy-denies-function",
	Severity: diag.Error,
	Summary:  "The S3 endpoint a function's requests go through has a policy that refuses an action the function's role allows.",
	Doc: "A VPC endpoint's `PolicyDocument` is one more policy every request through the endpoint must pass: " +
		"it never grants anything, but when it does not allow an action on a bucket (or denies it), the request " +
		"fails with AccessDenied even though the function's role and the bucket policy allow it. Endpoint " +
		"policies usually list specific buckets and actions, so a new bucket or a new action in the role is " +
		"easy to forget there. The rule reports the actions a function's role names and certainly allows " +
		"on a bucket while the endpoint policy certainly refuses them; statements with conditions or " +
		"principals that cannot be decided count as allowing. Fix: add the actions and the bucket to the " +
		"endpoint policy.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkEndpointPolicyDeniesFunction,
})

// maxBucketsNamed bounds how many buckets one message lists.
const maxBucketsNamed = 3

func checkEndpointPolicyDeniesFunction(c *Context) {
	if c.Network == nil || c.Access == nil {
		return
	}
	for _, fa := range c.Access.Functions {
		fp := fa.Network
		if fp == nil || fp.Endpoint == nil {
			continue
		}
		var parts []string
		var related []diag.Related
		grant := endpointGrant{}
		seenDeny := map[*iam.Statement]bool{}
		refusedBuckets := 0
		for _, ba := range fa.Buckets {
			var refused []string
			for i := range ba.Decisions {
				d := &ba.Decisions[i]
				if d.Verdict != access.Denied || !d.RoleAllows || !namedByRole(d) {
					continue
				}
				switch {
				case d.Endpoint == fp.Endpoint.ID:
				case d.DeniedBy != nil && d.DeniedBy.Policy.Kind == iam.Endpoint:
					if !seenDeny[d.DeniedBy] {
						seenDeny[d.DeniedBy] = true
						related = append(related, diag.Related{Span: d.DeniedBy.Span(), Message: fmt.Sprintf("This statement of %s's policy denies %s.", fp.Endpoint.ID, d.Action)})
					}
				default:
					continue
				}
				refused = append(refused, d.Action)
				grant.add(ba.Bucket, d)
			}
			if len(refused) == 0 {
				continue
			}
			refusedBuckets++
			if refusedBuckets <= maxBucketsNamed {
				parts = append(parts, fmt.Sprintf("%s on %s", joinAnd(refused), ba.Bucket.ID))
			}
		}
		if len(parts) == 0 {
			continue
		}
		if refusedBuckets > maxBucketsNamed {
			parts = append(parts, fmt.Sprintf("actions on %d more buckets", refusedBuckets-maxBucketsNamed))
		}
		if len(related) == 0 && fp.Endpoint.Policy != nil {
			related = append(related, diag.Related{Span: fp.Endpoint.Policy.Span, Message: fmt.Sprintf("No statement of %s's policy allows these requests.", fp.Endpoint.ID)})
		}
		kind := "gateway"
		if !fp.Endpoint.Gateway {
			kind = "interface"
		}
		msg := fmt.Sprintf("%s's role allows %s, but the policy of S3 %s endpoint %s, which the function's requests go through, does not: "+
			"those calls fail with AccessDenied at run time. Add the actions and buckets to %s's PolicyDocument.",
			fa.ID, strings.Join(parts, "; "), kind, fp.Endpoint.ID, fp.Endpoint.ID)
		var fixes []diag.Fix
		if fx, ok := grant.fix(c, fp.Endpoint.ID); ok {
			fixes = append(fixes, fx)
		}
		f := c.Report(vpcConfigSpan(fp), msg, fixes...)
		f.Related = related
	}
}

// namedByRole reports whether an allowing identity statement names the
// action itself rather than through a wildcard: what the author wrote is
// what the function uses, while s3:* would list every S3 action.
func namedByRole(d *access.Decision) bool {
	for _, st := range d.By {
		if st.Policy.Kind != iam.Identity {
			continue
		}
		for _, e := range st.Actions {
			if s, ok := e.Value.Literal(); ok && strings.EqualFold(s, d.Action) {
				return true
			}
		}
	}
	return false
}

// endpointGrant collects what an endpoint policy must add for a function:
// the refused actions and, per template bucket, its ARN (bucket actions)
// and its objects' ARN (object actions). Values are written only when the
// fix is made.
type endpointGrant struct {
	actions   []string
	seen      map[string]bool
	resources []string // "B" for the bucket ARN, "B/*" for its objects
	res       map[string]bool
	external  bool
}

func (g *endpointGrant) add(b *access.Bucket, d *access.Decision) {
	if g.seen == nil {
		g.seen, g.res = map[string]bool{}, map[string]bool{}
	}
	if !g.seen[d.Action] {
		g.seen[d.Action] = true
		g.actions = append(g.actions, d.Action)
	}
	if b.External {
		g.external = true
		return
	}
	key := b.ID
	if d.Object {
		key += "/*"
	}
	if !g.res[key] {
		g.res[key] = true
		g.resources = append(g.resources, key)
	}
}

// fix appends one statement to the endpoint policy that allows the refused
// actions on the function's buckets. Buckets outside the template have no
// ARN to write here, so then there is no fix.
func (g *endpointGrant) fix(c *Context, endpoint string) (diag.Fix, bool) {
	r := c.Template.Resources[endpoint]
	if g.external || len(g.resources) == 0 || r == nil {
		return diag.Fix{}, false
	}
	list := r.Prop("PolicyDocument").Get("Statement")
	if list == nil || list.Kind != source.Sequence {
		return diag.Fix{}, false
	}
	var actions []edit.Value
	for _, a := range g.actions {
		actions = append(actions, edit.Str(a))
	}
	var resources []edit.Value
	for _, r := range g.resources {
		if id, ok := strings.CutSuffix(r, "/*"); ok {
			resources = append(resources, edit.Val(edit.Sub("${"+id+".Arn}/*")))
		} else {
			resources = append(resources, edit.Val(edit.GetAtt(r, "Arn")))
		}
	}
	stmt := edit.Map(
		edit.Field{Key: "Effect", Value: edit.Str("Allow")},
		edit.Field{Key: "Principal", Value: edit.Str("*")},
		edit.Field{Key: "Action", Value: edit.List(actions...)},
		edit.Field{Key: "Resource", Value: edit.List(resources...)},
	)
	e, ok := edit.AppendItems(c.Doc, list, stmt)
	if !ok {
		return diag.Fix{}, false
	}
	return diag.Fix{Title: fmt.Sprintf("Allow %s in %s's policy", joinAnd(g.actions), endpoint), Edits: []diag.Edit{e}, Preferred: true}, true
}
