package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// engine holds what one Build computes once and reuses: compiled
// statements, Action pattern matches and Resource matches.
type engine struct {
	t        *cfn.Template
	net      *network.Report
	uni      *universe
	patterns patternCache
	stmts    map[*iam.Statement]*compiled
	covers   map[coverKey]coverVal
	roles    *roleIndex
	r        *Report

	endpointPolicies map[string]*iam.Policy  // endpoint id -> policy
	restrictiveEPs   bool                    // some endpoint of the template has a policy
	byName           map[string]*Bucket      // template buckets by literal name
	byAlt            map[string]*Bucket      // template buckets by BucketName expression (strKey)
	grantsTo         map[string][]*Bucket    // role id -> buckets whose policy allows that role by name
	decisions        []Decision              // scratch buffer of decide
	policyStmts      map[*Bucket][]*compiled // see bucketStatements
}

func newEngine(t *cfn.Template, policies []*iam.Policy, net *network.Report) *engine {
	e := &engine{t: t, net: net, uni: s3Universe(), patterns: patternCache{},
		stmts: map[*iam.Statement]*compiled{}, covers: map[coverKey]coverVal{}, policyStmts: map[*Bucket][]*compiled{},
		endpointPolicies: map[string]*iam.Policy{}, byName: map[string]*Bucket{}, byAlt: map[string]*Bucket{}}
	e.r = &Report{t: t, byID: map[string]*FunctionAccess{}, bucket: map[string]*Bucket{},
		served: map[*iam.Statement][]Use{}, KMSKeys: map[string]*KMSKey{}}
	e.roles = newRoleIndex(t, policies)
	for _, id := range t.Order {
		res := t.Resources[id]
		switch res.Type {
		case "AWS::S3::Bucket":
			b := readBucket(t, res)
			b.pos = len(e.r.Buckets)
			e.r.Buckets = append(e.r.Buckets, b)
			e.r.bucket[b.ID] = b
			if s, ok := b.Name.Literal(); ok {
				e.byName[s] = b
			}
			if b.hasAlt {
				k, _ := strKey(b.altName)
				e.byAlt[k] = b
			}
		case "AWS::KMS::Key":
			e.r.KMSKeys[id] = &KMSKey{ID: id, Resource: res}
		}
	}
	for _, p := range policies {
		switch p.Kind {
		case iam.Bucket:
			r := t.Resources[p.Owner]
			if r == nil || r.Type != "AWS::S3::BucketPolicy" {
				continue
			}
			if id, ok := bucketOfPolicy(t, r, e.byName); ok {
				b := e.r.bucket[id]
				b.Policies = append(b.Policies, p)
			}
		case iam.Endpoint:
			e.endpointPolicies[p.Owner] = p
			e.restrictiveEPs = true
		case iam.KeyPolicy:
			if k := e.r.KMSKeys[p.Owner]; k != nil {
				k.Policy = p
			}
		}
	}
	e.grantsTo = map[string][]*Bucket{}
	for _, b := range e.r.Buckets {
		publicStatus(b)
		for _, p := range b.Policies {
			for _, st := range p.Statements {
				if !st.Allow() || st.NotPrincipal {
					continue
				}
				for _, pr := range st.Principals {
					if id, ok := roleHole(pr.Element.Value); ok && pr.Type == "AWS" {
						e.grantsTo[id] = append(e.grantsTo[id], b)
					}
				}
			}
		}
	}
	return e
}

func (e *engine) run() *Report {
	for _, f := range e.t.Functions() {
		fa := &FunctionAccess{ID: f.ID, Function: f}
		fa.Role = e.roles.resolve(f)
		if e.net != nil {
			fa.Network = e.net.Functions[f.ID]
		}
		fa.Refs = e.bucketRefs(f)
		e.function(fa)
		e.r.Functions = append(e.r.Functions, fa)
		e.r.byID[f.ID] = fa
	}
	e.r.Synthetic = e.roles.synthetic
	return e.r
}

// function decides every bucket that matters to a function: those its
// identity statements name, those whose policy names its role, and those
// it is handed.
func (e *engine) function(fa *FunctionAccess) {
	role := fa.Role
	fa.Unknown = append(fa.Unknown, role.Unknown...)
	var ident []*compiled
	for _, p := range role.Identity {
		for _, st := range p.Statements {
			c := e.compile(st, iam.Identity)
			if !c.maybe.empty() {
				ident = append(ident, c)
			}
		}
	}
	if len(ident) > 0 || len(fa.Refs) > 0 {
		fa.UsesS3 = true
	}
	cand := e.candidates(fa, ident)
	fixed := e.requestContext(fa)
	for _, b := range cand {
		ba := e.decide(fa, b, ident, fixed)
		referenced := false
		for _, ref := range fa.Refs {
			if ref.Bucket == b.ID {
				referenced = true
			}
		}
		ba.Referenced = referenced
		if !referenced && !b.External && !b.specific(fa) && !ba.hasCertain() {
			continue
		}
		e.keep(ba)
		e.kms(fa, ba)
		fa.Buckets = append(fa.Buckets, ba)
		e.index(fa, ba)
	}
	if len(fa.Buckets) > 0 {
		fa.UsesS3 = true
	}
	if fa.Network != nil && fa.Network.Path == network.Unknown && fa.UsesS3 {
		fa.Unknown = append(fa.Unknown, "its network path to S3 is unknown, so conditions on aws:SourceVpce or aws:SourceIp cannot be decided")
	}
}

func (ba *BucketAccess) hasCertain() bool {
	for _, d := range ba.Decisions {
		if d.Verdict == Allowed || d.Verdict == Denied {
			return true
		}
	}
	return false
}

// specific reports whether some statement of the function names this
// bucket in particular (set while choosing candidates).
func (b *Bucket) specific(fa *FunctionAccess) bool { return b.namedBy[fa.ID] }

// candidates lists the buckets to decide for a function, in template
// order, then the external ones.
func (e *engine) candidates(fa *FunctionAccess, ident []*compiled) []*Bucket {
	seen := map[*Bucket]bool{}
	general := false
	mark := func(b *Bucket) {
		seen[b] = true
		if b.namedBy == nil {
			b.namedBy = map[string]bool{}
		}
		b.namedBy[fa.ID] = true
	}
	for _, c := range ident {
		for i, el := range c.st.Resources {
			if c.st.NotResource {
				general = true
				continue
			}
			// compile has read each element (c.res): reuse its split
			// rather than split the ARN again for every function.
			in := &c.res[i]
			if !in.isS3 {
				if in.star || !in.other {
					general = true
				}
				continue
			}
			switch tgt := in.target; {
			case strings.HasPrefix(tgt, "ref:"):
				if b := e.r.bucket[tgt[4:]]; b != nil {
					mark(b)
				}
			case strings.HasPrefix(tgt, "name:") && e.byName[tgt[5:]] != nil:
				mark(e.byName[tgt[5:]])
			default:
				if b := e.byAlt[in.altKey]; in.altKey != "" && b != nil {
					mark(b)
					continue
				}
				bp, _, _, _ := s3Parts(el.Value)
				if name, ok := externalName(bp); ok {
					mark(e.external(name, el.Value))
				} else {
					general = true
				}
			}
		}
	}
	for _, b := range e.grantsTo[fa.Role.ID] {
		if !fa.Role.External {
			mark(b)
		}
	}
	for _, ref := range fa.Refs {
		if b := e.r.bucket[ref.Bucket]; b != nil {
			seen[b] = true
		}
	}
	// Template buckets in template order, then the external ones: sort
	// the few seen rather than scan every bucket of the template for
	// every function.
	var out, ext []*Bucket
	if general {
		out = slices.Clone(e.r.Buckets)
	}
	for b := range seen {
		switch {
		case b.External:
			ext = append(ext, b)
		case !general:
			out = append(out, b)
		}
	}
	byPos := func(a, b *Bucket) int { return a.pos - b.pos }
	if !general {
		slices.SortFunc(out, byPos)
	}
	slices.SortFunc(ext, byPos)
	return append(out, ext...)
}

func isStar(p iam.Principal) bool {
	s, ok := p.Element.Value.Literal()
	return ok && s == "*"
}

// external returns the bucket outside the template with this name,
// creating it on first sight.
func (e *engine) external(name string, pattern value.Str) *Bucket {
	if b := e.r.bucket[name]; b != nil {
		return b
	}
	bp, _, _, _ := s3Parts(pattern)
	arnV := value.Concat(value.Lit("arn:"), value.HoleOf(value.Part{Kind: value.Pseudo, Ref: "AWS::Partition"}), value.Lit(":s3:::"), bp)
	b := &Bucket{ID: name, External: true, Name: bp, ARN: arnV, Public: value.Maybe}
	b.objects = value.Concat(arnV, value.Lit("/"))
	b.key = "name:" + name
	if _, lit := bp.Literal(); !lit {
		b.key = "ext:" + name
	}
	b.pos = len(e.r.External)
	e.r.External = append(e.r.External, b)
	e.r.bucket[name] = b
	return b
}

// bucketRefs finds where a function is handed a template bucket: any
// property but Role, Policies and Events that Refs, GetAtts or Subs it.
func (e *engine) bucketRefs(f *cfn.Function) []BucketRef {
	var out []BucketRef
	var path []byte
	for _, p := range f.Props.Pairs {
		switch p.Key {
		case "Role", "Policies", "Events":
			continue
		}
		path = append(path[:0], p.Key...)
		e.refsIn(p.Value, path, &out)
	}
	return out
}

// refsIn finds bucket references under n, whose path ("Environment.
// Variables.BUCKET") is built in a buffer and made a string only for a
// reference: most properties hold none.
func (e *engine) refsIn(n *source.Node, path []byte, out *[]BucketRef) {
	if n == nil {
		return
	}
	if fn, _ := n.Intrinsic(); fn != "" {
		start := len(*out)
		for _, v := range e.t.Eval(n) {
			for _, p := range v.Parts {
				if p.Hole && p.Type == "AWS::S3::Bucket" && !hasRef((*out)[start:], p.Ref) {
					*out = append(*out, BucketRef{Bucket: p.Ref, Node: n, Path: string(path)})
				}
			}
		}
		if len(*out) == start {
			e.literalBucketRefs(n, path, out)
		}
		return
	}
	for _, p := range n.Pairs {
		e.refsIn(p.Value, append(append(path, '.'), p.Key...), out)
	}
	for i, it := range n.Items {
		e.refsIn(it, fmt.Appendf(path, "[%d]", i), out)
	}
}

// hasRef reports whether refs name bucket id.
func hasRef(refs []BucketRef, id string) bool {
	for _, r := range refs {
		if r.Bucket == id {
			return true
		}
	}
	return false
}

// literalBucketRefs catches !Ref / !GetAtt of buckets with a literal
// BucketName, whose values evaluate to plain text.
func (e *engine) literalBucketRefs(n *source.Node, path []byte, out *[]BucketRef) {
	fn, arg := n.Intrinsic()
	id := ""
	switch fn {
	case "Ref":
		id, _ = arg.Str()
	case "Fn::GetAtt":
		id, _, _ = cfn.GetAttTarget(arg)
	case "Fn::Sub":
		s, _ := arg.Str()
		if arg != nil && arg.Kind == source.Sequence && len(arg.Items) > 0 {
			s, _ = arg.Items[0].Str()
		}
		for _, seg := range cfn.SplitSub(s) {
			if seg.Var {
				name, _, _ := strings.Cut(seg.Text, ".")
				if b := e.r.bucket[name]; b != nil && !b.External {
					*out = append(*out, BucketRef{Bucket: name, Node: n, Path: string(path)})
					return
				}
			}
		}
	}
	if b := e.r.bucket[id]; b != nil && !b.External {
		*out = append(*out, BucketRef{Bucket: id, Node: n, Path: string(path)})
	}
}

// index records which decisions each statement takes part in.
func (e *engine) index(fa *FunctionAccess, ba *BucketAccess) {
	// A bucket access involves few statements: count each one's actions
	// in first-use order, by a scan of those seen rather than a map, then
	// fill each Use's actions in one allocation.
	var stBuf [8]*iam.Statement
	var nBuf [8]int
	sts, counts := stBuf[:0], nBuf[:0]
	var pos map[*iam.Statement]int // past a few statements, scans would cost too much
	at := func(st *iam.Statement) int {
		if pos != nil {
			if i, ok := pos[st]; ok {
				return i
			}
		} else {
			for i, s := range sts {
				if s == st {
					return i
				}
			}
		}
		sts, counts = append(sts, st), append(counts, 0)
		if len(sts) == len(stBuf) {
			pos = make(map[*iam.Statement]int, 2*len(sts))
			for i, s := range sts {
				pos[s] = i
			}
		} else if pos != nil {
			pos[st] = len(sts) - 1
		}
		return len(sts) - 1
	}
	for _, d := range ba.Decisions {
		for _, st := range d.By {
			counts[at(st)]++
		}
		if d.DeniedBy != nil {
			counts[at(d.DeniedBy)]++
		}
	}
	uses := make([]Use, len(sts))
	for i := range uses {
		uses[i] = Use{Function: fa.ID, Bucket: ba.Bucket.ID, Actions: make([]string, 0, counts[i])}
	}
	add := func(st *iam.Statement, action string, deny bool) {
		u := &uses[at(st)]
		if len(u.Actions) == 0 {
			u.Denies = deny // as the statement's first use says
		}
		u.Actions = append(u.Actions, action)
	}
	for _, d := range ba.Decisions {
		for _, st := range d.By {
			add(st, d.Action, false)
		}
		if d.DeniedBy != nil {
			add(d.DeniedBy, d.Action, true)
		}
	}
	for i, st := range sts {
		e.r.served[st] = append(e.r.served[st], uses[i])
	}
}
