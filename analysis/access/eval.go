package access

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/value"
)

// The decision for one function × bucket × action follows the IAM
// evaluation logic for a same-account request
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny in any policy wins; otherwise an Allow in the identity
// policy or in the bucket policy is enough, and the permissions boundary
// and the VPC endpoint policy must each allow too.

// compiled is a statement with its Action element matched once.
type compiled struct {
	st          *iam.Statement
	kind        iam.PolicyKind
	allow       bool
	sure, maybe actionSet
	s3Keys      bool // conditions name s3: keys, decided per action
	// res describes each Resource element once, so matching it against
	// many buckets skips the ones it cannot name.
	res []elemInfo
	// The last match computed: a bucket policy's statements meet their
	// bucket again for every function that may reach it.
	lastB  *Bucket
	lastRM resMatch
}

// compiledSmall holds a compiled statement of few Resource elements
// together with them.
type compiledSmall struct {
	c   compiled
	res [2]elemInfo
}

// elemInfo is a Resource element read once.
type elemInfo struct {
	key    string // memo key, "" when the value has an unknown hole
	keyed  bool   // key is set
	star   bool   // "*"
	other  bool   // another service's ARN: matches no bucket
	isS3   bool
	target string // bucketTarget of the bucket part
	altKey string // strKey of the bucket part
	region string // the key part ("incoming/*"), when there is one
	hasKey bool
	// std: "arn:aws:s3:::" or "arn:${AWS::Partition}:s3:::" before the
	// bucket part, so a pattern naming one bucket is decided without
	// symbolic matching.
	std bool
}

// readElem reads a Resource element. Its memo key is made when first
// needed (most elements are decided without the memo), and the key of its
// bucket part only when some bucket has a BucketName expression to match
// (withAlt).
func readElem(v value.Str, withAlt bool) elemInfo {
	var in elemInfo
	if s, ok := v.Literal(); ok && s == "*" {
		in.star = true
		return in
	}
	bucketPart, keyPart, hasKey, isS3 := s3Parts(v)
	in.isS3 = isS3
	if !isS3 {
		in.other = otherService(v)
		return in
	}
	in.target = bucketTarget(bucketPart)
	if withAlt {
		in.altKey, _ = strKey(bucketPart)
	}
	in.hasKey = hasKey
	if hasKey {
		in.region = keyPart.String()
	}
	in.std = standardHead(v)
	return in
}

// resMatch is how a statement's Resource meets one bucket.
type resMatch struct {
	bucket value.Tri // the bucket's own ARN
	some   value.Tri // at least one object
	all    value.Tri // every object
	// regions are the object keys a grant is limited to ("incoming/*"),
	// when it does not cover every object.
	regions []string
}

func (e *engine) compile(st *iam.Statement, kind iam.PolicyKind) *compiled {
	if c, ok := e.stmts[st]; ok && c.kind == kind {
		return c
	}
	var c *compiled
	if n := len(st.Resources); n <= len(compiledSmall{}.res) {
		// Most statements name a resource or two: one allocation for
		// the statement and its elements.
		box := &compiledSmall{}
		c = &box.c
		c.res = box.res[:n:n]
	} else {
		c = &compiled{res: make([]elemInfo, n)}
	}
	c.st, c.kind, c.allow = st, kind, st.Allow()
	c.sure, c.maybe = actionMatch(e.uni, e.patterns, st)
	for _, cd := range st.Conditions {
		// "s3:" in any case, without lower-casing every key.
		if k := cd.Key; len(k) >= 3 && (k[0] == 's' || k[0] == 'S') && k[1] == '3' && k[2] == ':' {
			c.s3Keys = true
		}
	}
	for i, el := range st.Resources {
		c.res[i] = readElem(el.Value, len(e.byAlt) > 0)
	}
	if st.Effect != "Allow" && st.Effect != "Deny" {
		c.sure, c.maybe = actionSet{}, actionSet{}
	}
	e.stmts[st] = c
	return c
}

// strKey identifies a symbolic string, holes included, for memo tables;
// ok is false when it holds an unknown hole, which equals nothing else.
func strKey(v value.Str) (string, bool) {
	for _, p := range v.Parts {
		if p.Hole && p.Kind == value.Unknown {
			return "", false
		}
	}
	return v.Key(), true
}

type coverKey struct {
	pattern string
	bucket  *Bucket
}

type coverVal struct {
	bucket, some, all value.Tri
	region            string
}

// elementCovers matches one Resource element against a bucket, memoized.
func (e *engine) elementCovers(el iam.Element, in *elemInfo, b *Bucket) coverVal {
	switch {
	case in.star:
		return coverVal{value.True, value.True, value.True, ""}
	case in.other:
		return coverVal{}
	case in.isS3 && in.target != "" && in.target != b.key && !(b.nameless && strings.HasPrefix(in.target, "name:")):
		return coverVal{} // names another bucket
	case in.isS3 && in.altKey != "" && e.byAlt[in.altKey] != nil && e.byAlt[in.altKey] != b:
		return coverVal{} // another template bucket's name: two buckets never share one
	}
	if in.std && in.target != "" && in.target == b.key {
		return sameBucket(in)
	}
	if !in.keyed {
		in.key, _ = strKey(el.Value)
		in.keyed = true
	}
	if in.key == "" {
		return e.computeCovers(el.Value, in, b)
	}
	key := coverKey{in.key, b}
	if v, ok := e.covers[key]; ok {
		return v
	}
	v := e.computeCovers(el.Value, in, b)
	e.covers[key] = v
	return v
}

func (e *engine) computeCovers(pat value.Str, in *elemInfo, b *Bucket) coverVal {
	var v coverVal
	if !in.hasKey {
		v.bucket = arn.Covers(pat, b.ARN)
	}
	// A pattern with "/" after the bucket never names the bucket itself.
	v.some = arn.CoversSome(pat, b.objects)
	if v.some != value.False {
		v.all = arn.CoversAll(pat, b.objects)
	}
	if b.hasAlt {
		// Two spellings of one name: a definite answer from either holds.
		if !in.hasKey && v.bucket == value.Maybe {
			v.bucket = sharpen(v.bucket, arn.Covers(pat, b.altARN))
		}
		if v.some == value.Maybe {
			v.some = sharpen(v.some, arn.CoversSome(pat, b.altObjects))
		}
		if v.all == value.Maybe {
			v.all = sharpen(v.all, arn.CoversAll(pat, b.altObjects))
		}
	}
	if in.region != "" && v.some == value.True && v.all != value.True {
		v.region = in.region
	}
	return v
}

// sameBucket decides a pattern "arn:aws:s3:::<this bucket>[/key]"
// directly: the bucket ARN without a key part, objects with one.
func sameBucket(in *elemInfo) coverVal {
	if !in.hasKey {
		return coverVal{bucket: value.True}
	}
	v := coverVal{some: value.True, all: value.False, region: in.region}
	if strings.Trim(in.region, "*") == "" && in.region != "" {
		v.all, v.region = value.True, ""
	}
	if in.region == "" {
		v.some = value.False // "bucket/" names no object
	}
	return v
}

// standardHead reports whether an S3 pattern starts "arn:aws:s3:::" or
// "arn:${AWS::Partition}:s3:::".
func standardHead(v value.Str) bool {
	if len(v.Parts) == 0 || v.Parts[0].Hole {
		return false
	}
	if strings.HasPrefix(v.Parts[0].Lit, "arn:aws:s3:::") {
		return true
	}
	return v.Parts[0].Lit == "arn:" && len(v.Parts) > 2 && isPartition(v.Parts[1]) &&
		!v.Parts[2].Hole && strings.HasPrefix(v.Parts[2].Lit, ":s3:::")
}

func isPartition(p value.Part) bool {
	return p.Hole && p.Kind == value.Pseudo && p.Ref == "AWS::Partition"
}

func sharpen(a, b value.Tri) value.Tri {
	if a == value.Maybe {
		return b
	}
	return a
}

// otherService reports whether a pattern's literal text names a service
// other than S3 ("arn:aws:dynamodb:..."), so it cannot match a bucket.
func otherService(v value.Str) bool {
	if len(v.Parts) == 0 {
		return true
	}
	first := v.Parts[0]
	if first.Hole {
		return false
	}
	s := first.Lit
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return !strings.ContainsAny(s, "*?")
	}
	if len(v.Parts) > 1 && v.Parts[1].Hole && v.Parts[1].Kind == value.Pseudo && v.Parts[1].Ref == "AWS::Partition" && rest == "" {
		if len(v.Parts) > 2 && !v.Parts[2].Hole {
			rest = "p" + v.Parts[2].Lit
		} else {
			return false
		}
	}
	segs := strings.SplitN(rest, ":", 3)
	if len(segs) < 3 {
		return false
	}
	svc := segs[1]
	return svc != "s3" && !strings.ContainsAny(svc, "*?")
}

// match computes a statement's Resource (or NotResource) against a bucket.
func (e *engine) match(c *compiled, b *Bucket) resMatch {
	if c.lastB != b {
		c.lastB, c.lastRM = b, e.computeMatch(c, b)
	}
	return c.lastRM
}

func (e *engine) computeMatch(c *compiled, b *Bucket) resMatch {
	st := c.st
	if st.ResourceKey == nil {
		// A resource policy may leave Resource out only by mistake; an
		// identity statement without Resource grants nothing.
		return resMatch{}
	}
	var bk, some, all value.Tri = value.False, value.False, value.False
	var regions []string
	full := false
	for i, el := range st.Resources {
		v := e.elementCovers(el, &c.res[i], b)
		if el.Alternative {
			v.bucket, v.some, v.all = capMaybe(v.bucket), capMaybe(v.some), capMaybe(v.all)
		}
		bk, some, all = value.Or(bk, v.bucket), value.Or(some, v.some), value.Or(all, v.all)
		if v.all == value.True {
			full = true
		} else if v.region != "" && v.some == value.True {
			regions = append(regions, v.region)
		}
	}
	if st.NotResource {
		// NotResource matches what no listed ARN covers.
		return resMatch{bucket: bk.Not(), some: all.Not(), all: some.Not()}
	}
	if full {
		regions = nil
	}
	return resMatch{bucket: bk, some: some, all: all, regions: regions}
}

func capMaybe(t value.Tri) value.Tri {
	if t == value.True {
		return value.Maybe
	}
	return t
}

// principalMatch decides whether a resource-policy statement's Principal
// names the function's role. allow says which question: an Allow grants the
// role directly only when it names the role (a grant to the account hands
// the decision to IAM); a Deny to the account applies to all its roles.
func principalMatch(st *iam.Statement, role *Role, allow bool) value.Tri {
	if st.PrincipalKey == nil {
		return value.False
	}
	any := value.False
	for _, p := range st.Principals {
		any = value.Or(any, onePrincipal(p, role, allow && !st.NotPrincipal))
	}
	if st.NotPrincipal {
		return any.Not()
	}
	return any
}

func onePrincipal(p iam.Principal, role *Role, directOnly bool) value.Tri {
	v := p.Element.Value
	s, lit := v.Literal()
	switch p.Type {
	case "*":
		return value.True
	case "AWS":
	default:
		return value.False // services, web identities, canonical users
	}
	if lit && s == "*" {
		return value.True
	}
	var m value.Tri
	if id, ok := roleHole(v); ok && !role.External && role.ID != "" {
		// A template role's ARN: the same role or certainly another one.
		if id != role.ID {
			return value.False
		}
		if iam.Equal(v, role.ARN, false) == value.True {
			return capIf(value.True, p.Element.Alternative)
		}
	}
	if acct, ok := accountPrincipal(v); ok {
		if directOnly {
			return value.False
		}
		if role.External {
			return value.Maybe
		}
		m = acct
	} else if len(role.ARN.Parts) == 0 {
		m = value.Maybe
	} else {
		m = arn.Covers(v, role.ARN)
	}
	if p.Element.Alternative {
		m = capMaybe(m)
	}
	return m
}

func capIf(t value.Tri, alt bool) value.Tri {
	if alt {
		return capMaybe(t)
	}
	return t
}

// roleHole finds the template role a principal value is built from.
func roleHole(v value.Str) (string, bool) {
	for _, p := range v.Parts {
		if p.Hole && p.Type == "AWS::IAM::Role" && (p.Kind == value.ResourceRef || p.Kind == value.ResourceAttr) {
			return p.Ref, true
		}
	}
	return "", false
}

// accountPrincipal recognises a principal that names a whole account: a
// 12-digit id, arn:...:iam::ACCOUNT:root, or the stack's own account.
// The Tri says whether it is the stack's account.
func accountPrincipal(v value.Str) (value.Tri, bool) {
	if s, ok := v.Literal(); ok {
		if isAccountID(s) {
			return value.Maybe, true
		}
		if strings.HasPrefix(s, "arn:") && strings.HasSuffix(s, ":root") && strings.Contains(s, ":iam::") {
			return value.Maybe, true
		}
		return value.False, false
	}
	if len(v.Parts) == 1 && v.Parts[0].Kind == value.Pseudo && v.Parts[0].Ref == "AWS::AccountId" {
		return value.True, true
	}
	str := v.String()
	if strings.HasSuffix(str, ":root") && strings.Contains(str, ":iam::") {
		if strings.Contains(str, ":iam::${AWS::AccountId}:root") {
			return value.True, true
		}
		return value.Maybe, true
	}
	return value.False, false
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
