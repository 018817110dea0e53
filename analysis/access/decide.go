package access

import (
	mathbits "math/bits"
	"slices"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/value"
)

// side is one statement as it meets one function × bucket: its Resource
// match, whether its Principal names the role, and its condition when that
// does not depend on the action.
type side struct {
	c    *compiled
	rm   resMatch
	prin value.Tri
	cond value.Tri // for statements without s3: condition keys
}

// groups of policies in one decision.
type groups struct {
	identity, bucket, boundary, endpoint []side
}

// decide decides every action of one function × bucket. The decisions
// live in a buffer the next call reuses: call keep to retain them.
func (e *engine) decide(fa *FunctionAccess, b *Bucket, ident []*compiled, fixed map[string]iam.KeyValue) *BucketAccess {
	ctx := bucketContext(fixed, b)
	base := ctx(nil)
	mk := func(c *compiled, prin value.Tri) (side, bool) {
		s := side{c: c, prin: prin}
		if prin == value.False {
			return s, false
		}
		s.rm = e.match(c, b)
		if s.rm.bucket == value.False && s.rm.some == value.False && s.rm.all == value.False {
			return s, false
		}
		if !c.s3Keys {
			s.cond = iam.EvalConditions(c.st.Conditions, base, choiceFor(c.allow))
			if s.cond == value.False {
				return s, false
			}
		}
		return s, true
	}
	var g groups
	for _, c := range ident {
		if s, ok := mk(c, value.True); ok {
			g.identity = append(g.identity, s)
		}
	}
	for _, c := range e.bucketStatements(b) {
		if s, ok := mk(c, principalMatch(c.st, fa.Role, c.allow)); ok {
			g.bucket = append(g.bucket, s)
		}
	}
	role := fa.Role
	if role.Boundary != nil {
		for _, st := range role.Boundary.Statements {
			c := e.compile(st, iam.Boundary)
			if s, ok := mk(c, value.True); ok {
				g.boundary = append(g.boundary, s)
			}
		}
	}
	ep, epKnown := e.endpointPolicy(fa)
	if ep != nil {
		for _, st := range ep.Statements {
			c := e.compile(st, iam.Endpoint)
			if s, ok := mk(c, principalMatch(st, role, false)); ok {
				g.endpoint = append(g.endpoint, s)
			}
		}
	}
	ba := &BucketAccess{Bucket: b}
	live := g.granted(len(e.uni.actions), len(fa.Role.Unknown) > 0 || b.External)
	// Decisions collect in a buffer reused across buckets: most
	// candidates are dropped, and function copies out those it keeps.
	ds := e.decisions[:0]
	for w, bits := range live {
		for ; bits != 0; bits &= bits - 1 {
			i := w*64 + mathbits.TrailingZeros64(bits)
			d, keep := e.decideAction(i, &e.uni.actions[i], fa, b, &g, ctx, ep != nil, epKnown)
			if keep {
				ds = append(ds, d)
			}
		}
	}
	if len(ds) > 0 {
		ba.Decisions = ds
	}
	e.decisions = ds
	return ba
}

// bucketStatements are the compiled statements of a bucket's policies
// that may match some S3 action, in order; listed once per bucket, not
// once per function that may reach it.
func (e *engine) bucketStatements(b *Bucket) []*compiled {
	if cs, ok := e.policyStmts[b]; ok {
		return cs
	}
	var cs []*compiled
	for _, p := range b.Policies {
		for _, st := range p.Statements {
			if c := e.compile(st, iam.Bucket); !c.maybe.empty() {
				cs = append(cs, c)
			}
		}
	}
	e.policyStmts[b] = cs
	return cs
}

// keep gives ba its own copy of the decisions decide left in the shared
// buffer.
func (e *engine) keep(ba *BucketAccess) {
	if len(ba.Decisions) > 0 {
		ba.Decisions = slices.Clone(ba.Decisions)
	}
}

// granted is the set of actions worth deciding, in universe order. An
// action that no Allow of the role or of the bucket policy may match has
// no evidence, and decideAction drops it, unless something unknown (a role
// policy not in the template, an external bucket) may grant anything; so
// most of the universe is skipped without evaluating a statement.
func (g *groups) granted(n int, anything bool) actionSet {
	if anything {
		return fullSet(n)
	}
	var s actionSet
	for _, grp := range [][]side{g.identity, g.bucket} {
		for _, sd := range grp {
			if sd.c.allow {
				s = s.or(sd.c.maybe)
			}
		}
	}
	return s
}

func choiceFor(allow bool) value.Tri {
	if allow {
		return value.True
	}
	return value.False
}

// applies decides whether a statement covers action i of the bucket.
func applies(s side, i int, act *s3Action, ctx func(*s3Action) iam.RequestContext) value.Tri {
	a := triIn(s.c.sure, s.c.maybe, i)
	if a == value.False {
		return value.False
	}
	r := s.rm.bucket
	if act.object {
		if s.c.allow {
			r = s.rm.some
		} else {
			r = s.rm.all
		}
	}
	if r == value.False {
		return value.False
	}
	cond := s.cond
	if s.c.s3Keys {
		cond = iam.EvalConditions(s.c.st.Conditions, ctx(act), choiceFor(s.c.allow))
	}
	return value.And(value.And(a, r), value.And(s.prin, cond))
}

// grants collects the Allow statements that certainly grant an action, from
// the identity and the bucket policies alike.
type grants struct {
	by      []*iam.Statement
	full    bool     // some grant covers every object
	regions []string // key prefixes the object grants are limited to
}

// allow is whether the Allow statements of one side grant the action
// (three-valued), recording the certain grants.
func (gr *grants) allow(sides []side, i int, act *s3Action, ctx func(*s3Action) iam.RequestContext) value.Tri {
	t := value.False
	for _, s := range sides {
		if !s.c.allow {
			continue
		}
		m := applies(s, i, act, ctx)
		t = value.Or(t, m)
		if m == value.True {
			gr.by = append(gr.by, s.c.st)
			if act.object && s.rm.all == value.True {
				gr.full = true
			}
			gr.regions = append(gr.regions, s.rm.regions...)
		}
	}
	return t
}

func (e *engine) decideAction(i int, act *s3Action, fa *FunctionAccess, b *Bucket, g *groups,
	ctx func(*s3Action) iam.RequestContext, hasEP, epKnown bool) (Decision, bool) {
	d := Decision{Action: act.full, Object: act.object}
	var gr grants
	identity := gr.allow(g.identity, i, act, ctx)
	d.RoleAllows = identity == value.True
	evidence := identity
	if len(fa.Role.Unknown) > 0 {
		identity = value.Or(identity, value.Maybe)
	}
	bucket := gr.allow(g.bucket, i, act, ctx)
	evidence = value.Or(evidence, bucket)
	by, full, regions := gr.by, gr.full, gr.regions
	if evidence == value.False && len(fa.Role.Unknown) == 0 && !b.External {
		return d, false
	}
	if b.External {
		// Its bucket policy is not in the template: it may grant or deny.
		bucket = value.Or(bucket, value.Maybe)
	}
	allow := value.Or(identity, bucket)
	boundary := value.True
	if fa.Role.Boundary != nil {
		boundary = value.False
		for _, s := range g.boundary {
			if s.c.allow {
				boundary = value.Or(boundary, applies(s, i, act, ctx))
			}
		}
	} else if fa.Role.BoundaryUnknown {
		boundary = value.Maybe
	}
	endpoint := value.True
	switch {
	case hasEP:
		endpoint = value.False
		for _, s := range g.endpoint {
			if s.c.allow {
				endpoint = value.Or(endpoint, applies(s, i, act, ctx))
			}
		}
	case !epKnown:
		endpoint = value.Maybe
	}
	allow = value.And(allow, value.And(boundary, endpoint))
	deny := value.False
	for _, grp := range [][]side{g.identity, g.bucket, g.boundary, g.endpoint} {
		for _, s := range grp {
			if s.c.allow {
				continue
			}
			m := applies(s, i, act, ctx)
			if m == value.True && d.DeniedBy == nil {
				d.DeniedBy = s.c.st
			}
			deny = value.Or(deny, m)
		}
	}
	if b.External {
		deny = value.Or(deny, value.Maybe)
	}
	switch {
	case deny == value.True:
		d.Verdict = Denied
		d.By = by // what would allow it without the Deny
	case allow == value.True && deny == value.False:
		d.Verdict = Allowed
		d.By = by
		if act.object && !full {
			d.Regions = dedupe(regions)
		}
	case allow == value.False:
		// Allowed by the role or the bucket policy but not by the VPC
		// endpoint the request goes through: AccessDenied at run time.
		if hasEP && endpoint == value.False && value.Or(identity, bucket) == value.True && boundary != value.False && fa.Network != nil && fa.Network.Endpoint != nil {
			d.Verdict, d.By, d.Endpoint = Denied, by, fa.Network.Endpoint.ID
			return d, true
		}
		return d, false
	case evidence == value.False:
		// Nothing written in the template grants it: an unknown role or
		// bucket policy might, but that is no fact worth listing.
		return d, false
	default:
		d.Verdict = Unknown
		d.By = by
	}
	return d, true
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// endpointPolicy returns the policy of the VPC endpoint the function's
// requests go through (nil: none, or full access), and whether the
// template settles that.
func (e *engine) endpointPolicy(fa *FunctionAccess) (*iam.Policy, bool) {
	path := e.path(fa)
	switch path {
	case network.GatewayEndpoint, network.InterfaceEndpoint:
		if fa.Network != nil && fa.Network.Endpoint != nil {
			return e.endpointPolicies[fa.Network.Endpoint.ID], true
		}
		return nil, !e.restrictiveEPs
	case network.Unknown:
		return nil, !e.restrictiveEPs
	}
	return nil, true
}

// path is the function's network path; without a network report a
// function outside any VPC uses AWS's network.
func (e *engine) path(fa *FunctionAccess) network.PathKind {
	if fa.Network != nil {
		return fa.Network.Path
	}
	if fa.Function.Prop("VpcConfig") == nil {
		return network.AWSNetwork
	}
	return network.Unknown
}

// sdkContext is what every function's requests carry, whatever its role
// and network; shared, read-only.
var sdkContext = map[string]iam.KeyValue{
	// AWS SDKs call S3 over HTTPS.
	"aws:securetransport": {State: iam.KeyPresent, Values: []value.Str{value.Lit("true")}},
	"aws:principaltype":   {State: iam.KeyPresent, Values: []value.Str{value.Lit("AssumedRole")}},
	"aws:viaawsservice":   {State: iam.KeyPresent, Values: []value.Str{value.Lit("false")}},
	"aws:username":        {State: iam.KeyAbsent},
	"aws:userid":          {State: iam.KeyPresent},
	"aws:requestedregion": {State: iam.KeyPresent},
	"aws:currenttime":     {State: iam.KeyPresent},
	"aws:epochtime":       {State: iam.KeyPresent},
}

// requestContext says what the function's requests carry, whatever the
// bucket and action, beyond sdkContext.
func (e *engine) requestContext(fa *FunctionAccess) map[string]iam.KeyValue {
	fixed := make(map[string]iam.KeyValue, 6)
	role := fa.Role
	if !role.External {
		acct := value.HoleOf(value.Part{Kind: value.Pseudo, Ref: "AWS::AccountId"})
		fixed["aws:principalarn"] = iam.KeyValue{State: iam.KeyPresent, Values: []value.Str{role.ARN}}
		fixed["aws:principalaccount"] = iam.KeyValue{State: iam.KeyPresent, Values: []value.Str{acct}}
	} else {
		fixed["aws:principalarn"] = iam.KeyValue{State: iam.KeyPresent, Values: rolePresentValue(role)}
		fixed["aws:principalaccount"] = iam.KeyValue{State: iam.KeyPresent}
	}
	// Network keys exist only on the side of a VPC endpoint they belong
	// to: aws:SourceVpce/SourceVpc/VpcSourceIp through an endpoint,
	// aws:SourceIp otherwise (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce).
	switch e.path(fa) {
	case network.GatewayEndpoint, network.InterfaceEndpoint:
		vpce, vpc := iam.KeyValue{State: iam.KeyPresent}, iam.KeyValue{State: iam.KeyPresent}
		if fa.Network != nil && fa.Network.Endpoint != nil {
			vpce.Values = []value.Str{e.t.Ref(fa.Network.Endpoint.ID)}
		}
		if fa.Network != nil && fa.Network.VpcID != "" {
			vpc.Values = []value.Str{e.t.Ref(fa.Network.VpcID)}
		}
		fixed["aws:sourcevpce"], fixed["aws:sourcevpc"] = vpce, vpc
		fixed["aws:vpcsourceip"] = iam.KeyValue{State: iam.KeyPresent}
		fixed["aws:sourceip"] = iam.KeyValue{State: iam.KeyAbsent}
	case network.AWSNetwork, network.NAT:
		fixed["aws:sourcevpce"] = iam.KeyValue{State: iam.KeyAbsent}
		fixed["aws:sourcevpc"] = iam.KeyValue{State: iam.KeyAbsent}
		fixed["aws:vpcsourceip"] = iam.KeyValue{State: iam.KeyAbsent}
		fixed["aws:sourceip"] = iam.KeyValue{State: iam.KeyPresent}
	}
	return fixed
}

var stackAccount = iam.KeyValue{State: iam.KeyPresent, Values: []value.Str{value.HoleOf(value.Part{Kind: value.Pseudo, Ref: "AWS::AccountId"})}}

// bucketContext adds what depends on the bucket (its account) and the
// action (the s3: keys it carries). Called with a nil action it answers for
// keys that do not depend on the action.
func bucketContext(fixed map[string]iam.KeyValue, b *Bucket) func(*s3Action) iam.RequestContext {
	return func(act *s3Action) iam.RequestContext {
		return func(key string) iam.KeyValue {
			if strings.HasPrefix(key, "s3:") {
				if act == nil {
					return iam.KeyValue{State: iam.KeyUnknown}
				}
				if key == "s3:resourceaccount" && !b.External {
					return stackAccount
				}
				if act.keys[key] || prefixKey(act, key) {
					return iam.KeyValue{State: iam.KeyChoice}
				}
				return iam.KeyValue{State: iam.KeyAbsent}
			}
			if key == "aws:resourceaccount" && !b.External {
				return stackAccount
			}
			if kv, ok := fixed[key]; ok {
				return kv
			}
			if kv, ok := sdkContext[key]; ok {
				return kv
			}
			return iam.KeyValue{State: iam.KeyUnknown}
		}
	}
}

// prefixKey matches keys with a template part such as
// s3:ExistingObjectTag/<key>.
func prefixKey(act *s3Action, key string) bool {
	for k := range act.keys {
		if i := strings.IndexAny(k, "<$"); i > 0 && strings.HasPrefix(key, k[:i]) {
			return true
		}
	}
	return false
}

func rolePresentValue(role *Role) []value.Str {
	if len(role.ARN.Parts) == 0 {
		return nil
	}
	return []value.Str{role.ARN}
}

// publicStatus decides whether a bucket's policy is public.
func publicStatus(b *Bucket) {
	b.Public = value.False
	for _, p := range b.Policies {
		for _, st := range p.Statements {
			v := iam.StatementPublic(st)
			if v.Public == value.True {
				b.PublicStatements = append(b.PublicStatements, st)
				b.PublicReasons = append(b.PublicReasons, v.Reason)
			}
			b.Public = value.Or(b.Public, v.Public)
		}
	}
}
