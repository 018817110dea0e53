package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
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
		if fp.Endpoint == nil || fp.Endpoint.Policy == nil || fa == nil || !fa.UsesS3 || fa.Role == nil {
			continue
		}
		ep := policies[fp.Endpoint.ID]
		if ep == nil {
			continue
		}
		for _, b := range c.Access.Buckets {
			var refused []string
			var related []diag.Related
			seen := map[*iam.Statement]bool{}
			for _, d := range roleNamedActions(fa, b) {
				ok, deny := endpointMayAllow(ep, b, d)
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
					Message: fmt.Sprintf("No statement of %s's policy allows %s on %s.", fp.Endpoint.ID, joinAnd(refused), b.ID)})
			}
			sort.Strings(refused)
			kind := "gateway"
			if !fp.Endpoint.Gateway {
				kind = "interface"
			}
			msg := fmt.Sprintf("%s's role allows %s on %s, but the policy of S3 %s endpoint %s, which the function's requests go through, does not: "+
				"%s with AccessDenied. Add %s on %s to the endpoint policy.",
				id, joinAnd(refused), b.ID, kind, fp.Endpoint.ID, plural(len(refused), "that call fails", "those calls fail"),
				plural(len(refused), "the action", "the actions"), b.ID)
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

// roleNamedActions are the S3 actions the function's role names one by one
// (no wildcards) in Allow statements without conditions that certainly
// cover the bucket, when no Deny or boundary of the role could interfere.
// The access report drops actions nothing allows, and the endpoint policy is
// part of "allows", so it cannot list what the endpoint refuses.
// TODO(access): read decisions kept with RoleAllows and the endpoint's
// verdict instead.
func roleNamedActions(fa *access.FunctionAccess, b *access.Bucket) []access.Decision {
	if fa.Role.Boundary != nil || fa.Role.BoundaryUnknown || len(fa.Role.Unknown) > 0 {
		return nil
	}
	var out []access.Decision
	seen := map[string]bool{}
	for _, p := range fa.Role.Identity {
		for _, st := range p.Statements {
			if st.Effect != "Allow" {
				if st.Effect == "Deny" {
					return nil
				}
				continue
			}
			if st.NotAction || len(st.Conditions) > 0 {
				continue
			}
			for _, e := range st.Actions {
				name, ok := e.Value.Literal()
				if !ok || strings.ContainsAny(name, "*?") || !strings.HasPrefix(strings.ToLower(name), "s3:") {
					continue
				}
				a, ok := catalog.Lookup(name)
				if !ok || seen[a.FullName()] {
					continue
				}
				object := classOf(a) == classObject
				res := b.ARN
				if object {
					res = value.Concat(b.ARN, value.Lit("/"))
				}
				if classOf(a) == classOther || statementResource(st, res, object) != value.True {
					continue
				}
				seen[a.FullName()] = true
				out = append(out, access.Decision{Action: a.FullName(), Object: object, RoleAllows: true})
			}
		}
	}
	return out
}
