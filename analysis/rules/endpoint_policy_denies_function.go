package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/value"
)

var endpointPolicyDeniesFunction = register(&Rule{
	ID:       "endpoint-policy-denies-function",
	Severity: diag.Error,
	Summary:  "The S3 endpoint a function's requests go through has a policy that refuses an action the function's role allows.",
	Doc: "A VPC endpoint's `PolicyDocument` is one more policy every request through the endpoint must pass: " +
		"it never grants anything, but when it does not allow an action on a bucket (or denies it), the request " +
		"fails with AccessDenied even though the function's role and the bucket policy allow it. Endpoint " +
		"policies usually list specific buckets and actions, so a new bucket or a new action in the role is " +
		"easy to forget there. The rule reports actions that the function's role allows on a bucket while " +
		"no statement of the endpoint policy can allow them (or a Deny certainly refuses them); statements with " +
		"conditions or principals it cannot decide count as allowing. Fix: add the action and the bucket to the " +
		"endpoint policy.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkEndpointPolicyDeniesFunction,
})

func checkEndpointPolicyDeniesFunction(c *Context) {
	if c.Network == nil || c.Access == nil {
		return
	}
	var policies = map[string]*iam.Policy{}
	for _, p := range c.Policies {
		if p.Kind == iam.Endpoint {
			policies[p.Owner] = p
		}
	}
	for _, id := range c.Network.Order {
		fp := c.Network.Functions[id]
		fa := c.Access.Function(id)
		if fp.Endpoint == nil || fp.Endpoint.Policy == nil || fa == nil || !fa.UsesS3 {
			continue
		}
		ep := policies[fp.Endpoint.ID]
		if ep == nil {
			continue
		}
		for _, ba := range fa.Buckets {
			var refused []string
			var related []diag.Related
			seen := map[*iam.Statement]bool{}
			for _, d := range ba.Decisions {
				if !d.RoleAllows {
					continue
				}
				ok, deny := endpointMayAllow(ep, ba.Bucket, d)
				if ok {
					continue
				}
				refused = append(refused, d.Action)
				if deny != nil && !seen[deny] {
					seen[deny] = true
					related = append(related, diag.Related{Span: deny.Span(), Message: "This statement of " + fp.Endpoint.ID + "'s policy denies " + d.Action + "."})
				}
			}
			if len(refused) == 0 {
				continue
			}
			if len(related) == 0 {
				span := fp.Endpoint.Policy.Span
				if ep.StatementKey != nil {
					span = ep.StatementKey.KeySpan
				}
				related = append(related, diag.Related{Span: span,
					Message: fmt.Sprintf("No statement of %s's policy allows %s on %s.", fp.Endpoint.ID, joinAnd(refused), ba.Bucket.ID)})
			}
			sort.Strings(refused)
			kind := "gateway"
			if !fp.Endpoint.Gateway {
				kind = "interface"
			}
			msg := fmt.Sprintf("%s's role allows %s on %s, but the policy of S3 %s endpoint %s, which the function's requests go through, does not: "+
				"%s fail with AccessDenied. Add %s on %s to the endpoint policy.",
				id, joinAnd(refused), ba.Bucket.ID, kind, fp.Endpoint.ID, plural(len(refused), "that call", "those calls"),
				plural(len(refused), "the action", "the actions"), ba.Bucket.ID)
			f := c.Report(vpcConfigSpan(fp), msg)
			f.Related = related
		}
	}
}

// endpointMayAllow decides whether the endpoint policy may let one action
// on a bucket through: false only when every Allow statement certainly
// misses the action or the resource, or a Deny without conditions certainly
// covers them (returned for related information).
func endpointMayAllow(p *iam.Policy, b *access.Bucket, d access.Decision) (bool, *iam.Statement) {
	res := b.ARN
	if d.Object {
		res = value.Concat(b.ARN, value.Lit("/"))
	}
	allowed := false
	for _, st := range p.Statements {
		act := statementAction(st, d.Action)
		if act == value.False {
			continue
		}
		cov := statementResource(st, res, d.Object)
		if st.Effect == "Deny" {
			if act == value.True && cov == value.True && len(st.Conditions) == 0 && principalAll(st) && !d.Object {
				return false, st
			}
			continue
		}
		if st.Effect == "Allow" && cov != value.False {
			allowed = true
		}
	}
	return allowed, nil
}

// statementAction says whether a statement's Action (or NotAction) covers an action.
func statementAction(st *iam.Statement, action string) value.Tri {
	out := value.False
	for _, e := range st.Actions {
		s, ok := e.Value.Literal()
		switch {
		case !ok:
			out = value.Or(out, value.Maybe)
		case arn.MatchGlobFold(s, action):
			out = value.Or(out, value.True)
		}
	}
	if st.NotAction {
		return out.Not()
	}
	if st.ActionKey == nil {
		return value.Maybe
	}
	return out
}

// statementResource says whether a statement's Resource covers the bucket
// (or some object of it, for object actions).
func statementResource(st *iam.Statement, res value.Str, object bool) value.Tri {
	if st.ResourceKey == nil {
		return value.True // endpoint policies may leave Resource out: every resource
	}
	out := value.False
	for _, e := range st.Resources {
		var t value.Tri
		if object {
			t = arn.CoversSome(e.Value, res)
		} else {
			t = arn.Covers(e.Value, res)
		}
		out = value.Or(out, t)
	}
	if st.NotResource {
		return value.Maybe
	}
	return out
}

// principalAll reports whether a statement applies to every principal.
func principalAll(st *iam.Statement) bool {
	if st.NotPrincipal {
		return false
	}
	if st.PrincipalKey == nil {
		return true
	}
	for _, p := range st.Principals {
		if s, ok := p.Element.Value.Literal(); ok && s == "*" {
			return true
		}
	}
	return false
}

var _ = strings.TrimSpace
var _ = network.None
