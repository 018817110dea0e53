package arn

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iamlens/iamlens/analysis/value"
)

// Symbolic matching: a policy Resource and the ARN of a template resource
// are both value.Str, literal text with holes that only deployment fills
// in. The questions are three-valued: True when every deployment matches,
// False when none can, Maybe otherwise. Callers turn only True or False
// into findings, so each answer errs towards Maybe.
//
// What a hole may stand for (assumptions, by kind):
//
//   - AWS::Partition is "aws": templates are checked as deployed in the
//     commercial partition. A policy hard-coding "aws-cn" therefore does
//     not match ${AWS::Partition}.
//   - Other pseudo parameters are one fixed value per stack: the same hole
//     on both sides is equal; against literals the answer is Maybe.
//     AWS::AccountId, Region, StackName and URLSuffix contain neither '/'
//     nor ':'; the others (StackId, NotificationARNs) may contain anything.
//   - A ResourceRef is the physical id of one template resource: equal to
//     the same Ref, never equal to the Ref of another resource (two
//     resources of a template are distinct), Maybe against literal text.
//     For types whose Ref is a plain name (see nameRefTypes) it contains
//     neither '/' nor ':' and is not empty.
//   - Parameter, Import, ResourceAttr and Unknown holes may hold any text.
//     In a policy pattern that text may contain * and ?, so such a hole
//     can match anything at all (Maybe), never certainly.
//
// Matching of the Resource element is a glob over the whole ARN (see
// MatchGlob): "*" may cross ':' and '/'.

// cset is the set of characters a step can read.
type cset uint8

const (
	csOne  cset = iota // exactly one rune
	csAny              // any character
	csName             // any character except '/' and ':'
)

type tkind uint8

const (
	tChar  tkind = iota // a literal character
	tQuest              // '?' in a pattern
	tStar               // '*' in a pattern, or '*' in a format
	tHole               // a hole: text from cls, at least min characters
)

type token struct {
	// src is the hole's part of the value (nil for none or an unknown
	// hole): two holes are the same value when sameID says so.
	src  *value.Part
	r    rune
	kind tkind
	cls  cset
	min  uint8
	ref  bool // the hole is a ResourceRef
	wild bool // pattern hole whose text may hold wildcards
}

// sameID reports whether two holes stand for the same value: the same
// pseudo parameter, resource Ref, parameter, import or resource attribute.
// Holes without identity (unknown ones) equal nothing.
func sameID(a, b token) bool {
	x, y := a.src, b.src
	if x == nil || y == nil {
		return false
	}
	return x.Kind == y.Kind && x.Ref == y.Ref && (x.Kind != value.ResourceAttr || x.Attr == y.Attr)
}

// nameRefTypes are resource types whose Ref is a plain name or id,
// without '/' or ':' (CloudFormation "Return values" of each type:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values
// and the same section of the other types' pages). Types not listed
// (SNS topics and SQS queues return an ARN or URL, log groups may hold
// '/') may hold any text.
var nameRefTypes = map[string]bool{
	"AWS::S3::Bucket":              true,
	"AWS::S3::AccessPoint":         true,
	"AWS::IAM::Role":               true,
	"AWS::IAM::User":               true,
	"AWS::IAM::Group":              true,
	"AWS::IAM::InstanceProfile":    true,
	"AWS::Lambda::Function":        true,
	"AWS::KMS::Key":                true,
	"AWS::DynamoDB::Table":         true,
	"AWS::Kinesis::Stream":         true,
	"AWS::EC2::VPC":                true,
	"AWS::EC2::Subnet":             true,
	"AWS::EC2::SecurityGroup":      true,
	"AWS::EC2::VPCEndpoint":        true,
	"AWS::Serverless::Function":    true,
	"AWS::Serverless::SimpleTable": true,
}

// holeToken describes a hole; partition holes are expanded by the caller.
// The token points at p, which must outlive it.
func holeToken(p *value.Part) token {
	t := token{kind: tHole, cls: csAny, src: p}
	switch p.Kind {
	case value.Pseudo:
		switch p.Ref {
		case "AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::URLSuffix":
			t.cls, t.min = csName, 1
		}
	case value.ResourceRef:
		t.ref, t.min = true, 1
		if nameRefTypes[p.Type] {
			t.cls = csName
		}
	case value.Parameter, value.Import, value.ResourceAttr:
		t.wild = true
	default: // Unknown: no identity, two unknowns are unrelated
		t.src, t.wild = nil, true
	}
	return t
}

func isPartition(p value.Part) bool {
	return p.Hole && p.Kind == value.Pseudo && p.Ref == "AWS::Partition"
}

func appendChars(toks []token, s string, pattern bool) []token {
	for _, r := range s {
		switch {
		case pattern && r == '*':
			toks = append(toks, token{kind: tStar})
		case pattern && r == '?':
			toks = append(toks, token{kind: tQuest})
		default:
			toks = append(toks, token{kind: tChar, r: r})
		}
	}
	return toks
}

// tokens appends a value's steps to toks; in a pattern, * and ? are
// wildcards. Hole tokens point into v.Parts.
func tokens(toks []token, v value.Str, pattern bool) []token {
	for i := range v.Parts {
		switch p := &v.Parts[i]; {
		case !p.Hole:
			toks = appendChars(toks, p.Lit, pattern)
		case isPartition(*p):
			toks = appendChars(toks, "aws", false)
		default:
			toks = append(toks, holeToken(p))
		}
	}
	return toks
}

// nameVars are format variables that name something without '/' or ':'
// (S3 bucket and access point names: "Bucket names can consist only of
// lowercase letters, numbers, periods, and hyphens",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
// Variables in the first five parts of an ARN never hold those either.
// Every other variable may hold any text: names such as LogGroupName
// contain '/', and too narrow a guess would prove false findings.
var nameVars = map[string]bool{"BucketName": true, "AccessPointName": true, "AccessPointAlias": true}

// formatTokens reads a catalog ARN format: ${Var} is one or more
// characters, '*' any run of characters, everything else literal.
func formatTokens(format string) []token {
	if t, ok := formatCache.Load(format); ok {
		return t.([]token)
	}
	toks := parseFormat(format)
	formatCache.Store(format, toks)
	return toks
}

// formatCache memoizes parsed catalog formats: there are a few thousand,
// all fixed data, and rules ask about the same ones for every statement.
var formatCache sync.Map

// clash reports whether the literal text both sides start with differs:
// then no deployment can make them match, whatever follows.
func clash(p, r []token) bool {
	for i := 0; i < len(p) && i < len(r); i++ {
		if p[i].kind != tChar || r[i].kind != tChar {
			return false
		}
		if p[i].r != r[i].r {
			return true
		}
	}
	return false
}

func parseFormat(format string) []token {
	var toks []token
	colons := 0
	for i := 0; i < len(format); {
		if strings.HasPrefix(format[i:], "${") {
			if end := strings.IndexByte(format[i:], '}'); end > 0 {
				name := format[i+2 : i+end]
				cls := csAny
				if colons < 5 || nameVars[name] {
					cls = csName
				}
				toks = append(toks, token{kind: tHole, cls: cls, min: 1})
				i += end + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(format[i:])
		switch r {
		case '*':
			toks = append(toks, token{kind: tStar})
		case ':':
			colons++
			fallthrough
		default:
			toks = append(toks, token{kind: tChar, r: r})
		}
		i += n
	}
	return toks
}

// Covers reports whether a policy Resource pattern (IAM wildcards in its
// literal text, and holes) matches a resource's ARN (literal text and
// holes; its '*' and '?' are plain characters).
func Covers(pattern, resource value.Str) value.Tri {
	m := getMatcher()
	defer m.release()
	p, r := m.tokens(pattern, resource)
	if clash(p, r) {
		return value.False
	}
	if m.certain(p, r, func(i int) bool { return i == len(p) }) {
		return value.True
	}
	if m.possible(p, r, nil) {
		return value.Maybe
	}
	return value.False
}

// CoversAll reports whether the pattern matches the ARN of every object
// whose ARN starts with prefix, that is prefix followed by any non-empty
// key: "arn:aws:s3:::${B}/" asks about all objects of bucket B,
// "arn:aws:s3:::${B}/logs/" about all objects under logs/. Use it where a
// grant must reach all keys (a function reading arbitrary keys).
func CoversAll(pattern, prefix value.Str) value.Tri {
	m := getMatcher()
	defer m.release()
	p, r := m.tokens(pattern, prefix)
	if clash(p, r) {
		return value.False
	}
	if m.certain(p, r, func(i int) bool { return universalTail(p[i:], false) }) {
		return value.True
	}
	if m.possible(p, r, func(i int) bool { return universalTail(p[i:], true) }) {
		return value.Maybe
	}
	return value.False
}

// CoversSome reports whether the pattern matches the ARN of at least one
// object whose ARN is prefix followed by a non-empty key. False proves a
// statement grants nothing under prefix (say, s3:GetObject on the bucket
// ARN instead of its objects).
func CoversSome(pattern, prefix value.Str) value.Tri {
	m := getMatcher()
	defer m.release()
	p, r := m.tokens(pattern, prefix)
	if clash(p, r) {
		return value.False
	}
	if m.certain(p, r, func(i int) bool { return producibleTail(p[i:]) }) {
		return value.True
	}
	key := token{kind: tHole, cls: csAny, min: 1}
	m.r = append(r, key)
	if m.possible(p, m.r, nil) {
		return value.Maybe
	}
	return value.False
}

// CanMatchFormat reports whether some deployment of a policy Resource
// (wildcards and holes) can match some ARN of a catalog resource type's
// format ("arn:${Partition}:s3:::${BucketName}/${ObjectName}"). False is a
// proof that no resource of that type is covered, so every doubt (a
// Parameter anywhere, an unknown hole) answers true.
//
// "arn:aws:s3:::b" cannot match the object format (no '/'), nor
// "arn:aws:s3:::b/*" the bucket format (a bucket name has no '/'); "*"
// and "arn:aws:s3:::*" match both.
func CanMatchFormat(resource value.Str, format string) bool {
	m := getMatcher()
	defer m.release()
	m.p = tokens(m.p, resource, true)
	p, f := m.p, formatTokens(format)
	if clash(p, f) {
		return false
	}
	return m.possible(p, f, nil)
}

// universalTail reports whether the rest of a pattern matches every
// non-empty string: only wildcards, with at least one '*' and at most one
// '?' ("*", "?*"). With holes, a hole that may hold wildcards counts as
// '*' (possibly true); otherwise a hole makes the answer no.
func universalTail(p []token, holesAsStars bool) bool {
	star, quest := false, 0
	for _, t := range p {
		switch {
		case t.kind == tStar, t.kind == tHole && t.wild && holesAsStars:
			star = true
		case t.kind == tQuest:
			quest++
		default:
			return false
		}
	}
	return star && quest <= 1
}

// producibleTail reports whether, whatever the holes hold, some non-empty
// key makes the rest of the pattern match: the key can be the rest itself
// with its wildcards filled in, as long as that cannot be empty.
func producibleTail(p []token) bool {
	for _, t := range p {
		if t.kind != tHole || t.min > 0 {
			return true
		}
	}
	return false
}

// certain reports whether the pattern matches the resource in every
// deployment. It looks for one alignment whose every step holds whatever
// the holes contain: equal characters, '?' on a character, '*' taking
// whole tokens (a hole included), or a hole against the same hole. accept
// says which pattern positions may meet the end of the resource.
func (mt *matcher) certain(p, r []token, accept func(i int) bool) bool {
	n, m := len(p), len(r)
	mt.reset((n + 1) * (m + 1))
	push := func(i, j int) { mt.push(i*(m+1) + j) }
	push(0, 0)
	for len(mt.stack) > 0 {
		k := mt.pop()
		i, j := k/(m+1), k%(m+1)
		if j == m && accept(i) {
			return true
		}
		if i == n {
			continue
		}
		pt := p[i]
		if pt.kind == tStar {
			push(i+1, j)
			if j < m {
				push(i, j+1)
			}
			continue
		}
		if j == m {
			continue
		}
		rt := r[j]
		switch {
		case pt.kind == tChar && rt.kind == tChar && pt.r == rt.r,
			pt.kind == tQuest && rt.kind == tChar,
			pt.kind == tHole && rt.kind == tHole && sameID(pt, rt):
			push(i+1, j+1)
		}
	}
	return false
}

// A step reads one character from a set: exactly r (csOne) or a class.
type step struct {
	cls cset
	r   rune
}

func overlap(a, b step) bool {
	switch {
	case a.cls == csOne && b.cls == csOne:
		return a.r == b.r
	case a.cls == csOne:
		return b.cls == csAny || a.r != '/' && a.r != ':'
	case b.cls == csOne:
		return a.cls == csAny || b.r != '/' && b.r != ':'
	}
	return true
}

// possible reports whether some deployment makes the pattern match the
// resource: a search of the product of two automata, one per side, over
// states "before token i" (2i) and "inside hole i" (2i+1). A pattern hole
// that may hold wildcards acts as '*'. With accept nil the pattern must
// end with the resource; otherwise accept says which pattern positions
// may meet the resource's end.
func (mt *matcher) possible(p, r []token, accept func(i int) bool) bool {
	n, m := len(p), len(r)
	w := 2*m + 1
	mt.reset((2*n + 1) * w)
	push := func(a, b int) { mt.push(a*w + b) }
	push(0, 0)
	for len(mt.stack) > 0 {
		k := mt.pop()
		a, b := k/w, k%w
		if b == 2*m {
			if accept == nil && a == 2*n || accept != nil && a%2 == 0 && accept(a/2) {
				return true
			}
		}
		// Moves that read nothing, on either side.
		if a2, ok := epsilon(p, a, true); ok {
			push(a2, b)
		}
		if b2, ok := epsilon(r, b, false); ok {
			push(a, b2)
		}
		// A hole against the same hole: the whole value, at once.
		if a%2 == 0 && b%2 == 0 && a < 2*n && b < 2*m && p[a/2].kind == tHole &&
			r[b/2].kind == tHole && sameID(p[a/2], r[b/2]) {
			push(a+2, b+2)
		}
		// Moves that read one character on both sides.
		ps, pnext, ok := read(p, a, true)
		if !ok {
			continue
		}
		rs, rnext, ok := read(r, b, false)
		if !ok || !overlap(ps, rs) {
			continue
		}
		// Two different template resources never share a name.
		if pt, rt := p[a/2], r[b/2]; pt.kind == tHole && !pt.wild && pt.ref &&
			rt.kind == tHole && rt.ref && !sameID(pt, rt) {
			continue
		}
		push(pnext, rnext)
	}
	return false
}

// epsilon gives the state reached from state s without reading, if any
// (there is at most one).
func epsilon(toks []token, s int, pattern bool) (int, bool) {
	i := s / 2
	if i >= len(toks) {
		return 0, false
	}
	t := toks[i]
	if s%2 == 1 { // inside a hole: it may end here
		return s + 1, true
	}
	switch {
	case t.kind == tStar, t.kind == tHole && (t.min == 0 || pattern && t.wild):
		return s + 2, true
	}
	return 0, false
}

// read gives the character set that state s reads next and the state it
// moves to.
func read(toks []token, s int, pattern bool) (step, int, bool) {
	i := s / 2
	if i >= len(toks) {
		return step{}, 0, false
	}
	t := toks[i]
	switch {
	case s%2 == 1:
		return step{cls: t.cls}, s, true
	case t.kind == tChar:
		return step{cls: csOne, r: t.r}, s + 2, true
	case t.kind == tQuest:
		return step{cls: csAny}, s + 2, true
	case t.kind == tStar, t.kind == tHole && pattern && t.wild:
		return step{cls: csAny}, s, true
	}
	return step{cls: t.cls}, s + 1, true // enter the hole
}
