package cfn

import (
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// maxAlternatives bounds the values one expression may evaluate to, so that
// nested Fn::If inside Fn::Join cannot explode.
const maxAlternatives = 16

// maxDepth bounds recursion through nested intrinsics.
const maxDepth = 32

// Eval evaluates a scalar-valued expression to its possible values: one for
// plain text, one per branch of Fn::If. It never returns an empty slice for
// a non-nil node; AWS::NoValue evaluates to no values.
func (t *Template) Eval(n *source.Node) []value.Str {
	return t.eval(n, nil, 0)
}

// EvalOne evaluates an expression and returns its only value, or an unknown
// value when it has none or several.
func (t *Template) EvalOne(n *source.Node) value.Str {
	vs := t.Eval(n)
	if len(vs) == 1 {
		return vs[0]
	}
	return value.UnknownStr()
}

// Elements is the iam.Evaluator for templates: a list-valued policy element
// (a sequence, a single value, or Fn::If choosing between lists) becomes one
// Element per value, with the node each value was written at.
func (t *Template) Elements(n *source.Node) []iam.Element {
	if n == nil {
		return nil
	}
	// Most elements are a scalar or a list of them, each one value: size
	// the result for that, and give the literals one shared backing array
	// rather than a slice each (every policy of a template comes here).
	size := 1
	switch n.Kind {
	case source.Sequence:
		size = len(n.Items)
	case source.Scalar:
		// A lone literal, the most common element: one allocation.
		box := &struct {
			e [1]iam.Element
			p [1]value.Part
		}{}
		box.p[0].Lit = n.Value
		box.e[0] = iam.Element{Node: n, Value: value.Str{Parts: box.p[:]}}
		return box.e[:]
	}
	b := elemBuf{out: make([]iam.Element, 0, size), hint: size}
	t.elements(n, false, 0, &b)
	if len(b.out) == 0 {
		return nil
	}
	return b.out
}

// elemBuf gathers the Elements of one policy element.
type elemBuf struct {
	out  []iam.Element
	lits []value.Part // backing for literal values, allocated on first use
	hint int          // how many values are expected
}

// lit appends a literal value: what eval gives a scalar, without its
// one-value slice. Each value gets a one-part window of lits, capped so
// that appending to it copies (values are never extended in place).
func (b *elemBuf) lit(n *source.Node, alt bool) {
	if len(b.lits) == cap(b.lits) {
		b.lits = make([]value.Part, 0, max(b.hint, 2*cap(b.lits), 1))
	}
	i := len(b.lits)
	b.lits = append(b.lits, value.Part{Lit: n.Value})
	b.out = append(b.out, iam.Element{Node: n, Value: value.Str{Parts: b.lits[i : i+1 : i+1]}, Alternative: alt})
}

func (t *Template) elements(n *source.Node, alt bool, depth int, b *elemBuf) {
	if n == nil || depth > maxDepth {
		return
	}
	switch n.Kind {
	case source.Sequence:
		for _, it := range n.Items {
			t.elements(it, alt, depth+1, b)
		}
		return
	case source.Scalar:
		b.lit(n, alt)
		return
	}
	fn, arg := n.Intrinsic()
	switch fn {
	case "Fn::If":
		if arg.Kind == source.Sequence && len(arg.Items) == 3 {
			t.elements(arg.Items[1], true, depth+1, b)
			t.elements(arg.Items[2], true, depth+1, b)
			return
		}
	case "Ref":
		name, ok := arg.Str()
		if name == "AWS::NoValue" {
			return
		}
		if ok {
			b.out = append(b.out, iam.Element{Node: n, Value: t.Ref(name), Alternative: alt})
			return
		}
	case "Fn::GetAtt":
		if id, attr, ok := GetAttTarget(arg); ok {
			b.out = append(b.out, iam.Element{Node: n, Value: t.GetAtt(id, attr), Alternative: alt})
			return
		}
	case "Fn::Split", "Fn::GetAZs", "Fn::Cidr":
		// A list whose items deployment decides.
		b.out = append(b.out, iam.Element{Node: n, Value: value.UnknownStr(), Alternative: alt})
		return
	}
	vs := t.eval(n, nil, depth)
	for _, v := range vs {
		b.out = append(b.out, iam.Element{Node: n, Value: v, Alternative: alt || len(vs) > 1})
	}
}

func (t *Template) eval(n *source.Node, vars map[string]*source.Node, depth int) []value.Str {
	if n == nil {
		return nil
	}
	if depth > maxDepth {
		return []value.Str{value.UnknownStr()}
	}
	switch n.Kind {
	case source.Scalar:
		return litValues(n.Value)
	case source.Sequence:
		return []value.Str{value.UnknownStr()}
	}
	fn, arg := n.Intrinsic()
	switch fn {
	case "Ref":
		name, ok := arg.Str()
		if !ok {
			return []value.Str{value.UnknownStr()}
		}
		if name == "AWS::NoValue" {
			return nil
		}
		return []value.Str{t.Ref(name)}
	case "Fn::GetAtt":
		id, attr, ok := GetAttTarget(arg)
		if !ok {
			return []value.Str{value.UnknownStr()}
		}
		return []value.Str{t.GetAtt(id, attr)}
	case "Fn::Sub":
		return t.evalSub(arg, depth)
	case "Fn::Join":
		return t.evalJoin(arg, depth)
	case "Fn::Select":
		return t.evalSelect(arg, depth)
	case "Fn::If":
		if arg.Kind == source.Sequence && len(arg.Items) == 3 {
			out := append(t.eval(arg.Items[1], vars, depth+1), t.eval(arg.Items[2], vars, depth+1)...)
			if len(out) > maxAlternatives {
				return []value.Str{value.UnknownStr()}
			}
			return out
		}
	case "Fn::FindInMap":
		return t.evalFindInMap(arg, depth)
	case "Fn::ImportValue":
		name := t.EvalOne(arg)
		return []value.Str{value.HoleOf(value.Part{Kind: value.Import, Ref: name.String()})}
	}
	return []value.Str{value.UnknownStr()}
}

// litValues is []value.Str{value.Lit(s)} in one allocation instead of
// two: every scalar a template evaluates becomes one.
func litValues(s string) []value.Str {
	b := &struct {
		v [1]value.Str
		p [1]value.Part
	}{}
	b.p[0].Lit = s
	b.v[0].Parts = b.p[:]
	return b.v[:]
}

// Pseudo parameters CloudFormation fills in.
var pseudoParams = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// IsPseudo reports whether name is a pseudo parameter (AWS::NoValue included).
func IsPseudo(name string) bool { return pseudoParams[name] || name == "AWS::NoValue" }

// Ref is the value of `Ref name`: a parameter, a pseudo parameter or the
// physical id of a resource.
func (t *Template) Ref(name string) value.Str {
	return value.Str{Parts: []value.Part{t.refPart(name)}}
}

// refPart is the one part of Ref's value, which GetAtt builds ARNs around
// without allocating the value itself.
func (t *Template) refPart(name string) value.Part {
	if pseudoParams[name] {
		return value.Part{Hole: true, Kind: value.Pseudo, Ref: name}
	}
	if p, ok := t.Parameters[name]; ok {
		return value.Part{Hole: true, Kind: value.Parameter, Ref: name, Type: p.Type}
	}
	if r, ok := t.Resources[name]; ok {
		if r.Type == "AWS::S3::Bucket" {
			if s, ok := t.literalBucketName(r); ok {
				return value.Part{Lit: s}
			}
		}
		return value.Part{Hole: true, Kind: value.ResourceRef, Ref: name, Type: r.Type}
	}
	return value.Part{Hole: true, Kind: value.Unknown}
}

// literalBucketName is a bucket's BucketName when it is plain text; a
// BucketName built from !Sub stays symbolic as the bucket's Ref hole, so the
// bucket keeps its identity in ARN matching.
func (t *Template) literalBucketName(r *Resource) (string, bool) {
	if s, ok := r.Prop("BucketName").Str(); ok && s != "" {
		return s, true
	}
	return "", false
}

// GetAtt is the value of `Fn::GetAtt [id, attr]`. ARNs of the resources the
// reasoner follows are spelled out structurally.
//
// Templates name the same few ARNs over and over (every policy of a
// bucket's readers), so each value is built once per template and shared:
// values are never changed in place.
func (t *Template) GetAtt(id, attr string) value.Str {
	k := getAttKey{id, attr}
	t.getAttMu.Lock()
	defer t.getAttMu.Unlock()
	if v, ok := t.getAtts[k]; ok {
		return v
	}
	if t.getAtts == nil {
		t.getAtts = map[getAttKey]value.Str{}
	}
	v := t.getAtt(id, attr)
	t.getAtts[k] = v
	return v
}

type getAttKey struct{ id, attr string }

func (t *Template) getAtt(id, attr string) value.Str {
	r, ok := t.Resources[id]
	if !ok {
		return value.UnknownStr()
	}
	ref := t.refPart(id)
	switch {
	case r.Type == "AWS::S3::Bucket" && attr == "Arn":
		return arnOf(ref, lit("arn:"), pseudoPart("AWS::Partition"), lit(":s3:::"))
	case r.Type == "AWS::IAM::Role" && attr == "Arn":
		path := "/"
		if s, ok := r.Prop("Path").Str(); ok && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
			path = s
		}
		return arnOf(ref, lit("arn:"), pseudoPart("AWS::Partition"), lit(":iam::"), pseudoPart("AWS::AccountId"), lit(":role"+path))
	case r.Type == "AWS::KMS::Key" && attr == "Arn":
		return arnOf(ref, lit("arn:"), pseudoPart("AWS::Partition"), lit(":kms:"), pseudoPart("AWS::Region"), lit(":"), pseudoPart("AWS::AccountId"), lit(":key/"))
	case r.Type == "AWS::KMS::Key" && attr == "KeyId",
		r.Type == "AWS::EC2::VPCEndpoint" && attr == "Id",
		r.Type == "AWS::EC2::RouteTable" && attr == "RouteTableId",
		r.Type == "AWS::EC2::Subnet" && attr == "SubnetId",
		r.Type == "AWS::EC2::VPC" && attr == "VpcId",
		r.Type == "AWS::EC2::SecurityGroup" && attr == "GroupId":
		return value.Str{Parts: []value.Part{ref}}
	case (r.Type == "AWS::Lambda::Function" || r.Type == "AWS::Serverless::Function") && attr == "Arn":
		return arnOf(ref, lit("arn:"), pseudoPart("AWS::Partition"), lit(":lambda:"), pseudoPart("AWS::Region"), lit(":"), pseudoPart("AWS::AccountId"), lit(":function:"))
	}
	return value.HoleOf(value.Part{Kind: value.ResourceAttr, Ref: id, Attr: attr, Type: r.Type})
}

// GetAttTarget reads the argument of Fn::GetAtt: ["Id", "Attr"] or "Id.Attr".
func GetAttTarget(arg *source.Node) (id, attr string, ok bool) {
	if s, isStr := arg.Str(); isStr {
		id, attr, ok = strings.Cut(s, ".")
		return id, attr, ok && id != ""
	}
	if arg != nil && arg.Kind == source.Sequence && len(arg.Items) == 2 {
		id, ok1 := arg.Items[0].Str()
		attr, ok2 := arg.Items[1].Str()
		return id, attr, ok1 && ok2 && id != ""
	}
	return "", "", false
}

// evalSub evaluates Fn::Sub: "${Name}" is a Ref, "${Name.Attr}" a GetAtt,
// "${!Literal}" the literal "${Literal}", and the optional second argument
// maps names to values first.
func (t *Template) evalSub(arg *source.Node, depth int) []value.Str {
	var tmpl string
	var vars *source.Node
	if s, ok := arg.Str(); ok {
		tmpl = s
	} else if arg != nil && arg.Kind == source.Sequence && len(arg.Items) >= 1 {
		s, ok := arg.Items[0].Str()
		if !ok {
			return []value.Str{value.UnknownStr()}
		}
		tmpl = s
		if len(arg.Items) > 1 {
			vars = arg.Items[1]
		}
	} else {
		return []value.Str{value.UnknownStr()}
	}
	segs := SplitSub(tmpl)
	// Room for the usual single value: a variable is most often an ARN
	// of four parts ("arn:", partition, ":s3:::", name).
	results := []value.Str{{}}
	if len(segs) > 0 {
		results[0].Parts = make([]value.Part, 0, 4*len(segs))
	}
	for _, seg := range segs {
		if !seg.Var && len(results) == 1 {
			// One value so far, the common case: extend it in place. Every
			// value in results is built here and shared with nobody.
			results[0].Parts = value.AppendParts(results[0].Parts, value.Part{Lit: seg.Text})
			continue
		}
		var next []value.Str
		switch {
		case !seg.Var:
			next = []value.Str{value.Lit(seg.Text)}
		default:
			if v := vars.Get(seg.Text); v != nil {
				next = t.eval(v, nil, depth+1)
			} else if id, attr, ok := strings.Cut(seg.Text, "."); ok {
				next = []value.Str{t.GetAtt(id, attr)}
			} else {
				next = []value.Str{t.Ref(seg.Text)}
			}
		}
		if len(results) == 1 && len(next) == 1 {
			results[0].Parts = value.AppendParts(results[0].Parts, next[0].Parts...)
			continue
		}
		results = product(results, next)
	}
	for i := range results {
		results[i] = joined(results[i].Parts)
	}
	return results
}

// arnOf is value.Concat(head..., ref), allocated once: GetAtt builds an
// ARN for every reference to a bucket, role, key or function.
func arnOf(ref value.Part, head ...value.Part) value.Str {
	out := make([]value.Part, 0, len(head)+1)
	return value.Str{Parts: value.AppendParts(value.AppendParts(out, head...), ref)}
}

// joined is the value of parts built by appendParts; no parts is the
// empty value as value.Concat makes it (nil Parts).
func joined(parts []value.Part) value.Str {
	if len(parts) == 0 {
		return value.Str{}
	}
	return value.Str{Parts: parts}
}

func lit(s string) value.Part { return value.Part{Lit: s} }

func pseudoPart(name string) value.Part { return value.Part{Hole: true, Kind: value.Pseudo, Ref: name} }

// SubSegment is literal text or a ${...} variable of an Fn::Sub string.
type SubSegment struct {
	Text   string
	Var    bool
	Offset int // byte offset of Text inside the template string
}

// SplitSub splits an Fn::Sub template into literal text and variables.
func SplitSub(s string) []SubSegment {
	var out []SubSegment
	lit := subLit{s: s}
	litStart := 0
	flush := func() {
		if lit.len() > 0 {
			out = append(out, SubSegment{Text: lit.text(), Offset: litStart})
			lit = subLit{s: s}
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "${") {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				break
			}
			inner := s[i+2 : i+end]
			if strings.HasPrefix(inner, "!") {
				if lit.len() == 0 {
					litStart = i
				}
				lit.add("${" + inner[1:] + "}")
			} else {
				flush()
				out = append(out, SubSegment{Text: strings.TrimSpace(inner), Var: true, Offset: i + 2})
			}
			i += end + 1
			litStart = i
			continue
		}
		if lit.len() == 0 {
			litStart = i
		}
		// Plain text up to the next "${", in one step.
		j := len(s)
		if k := strings.Index(s[i+1:], "${"); k >= 0 {
			j = i + 1 + k
		}
		lit.addRun(i, j)
		i = j
	}
	// An unterminated "${" is kept as text, as CloudFormation would reject it anyway.
	if i := strings.LastIndex(s, "${"); i >= 0 && !strings.Contains(s[i:], "}") {
		if lit.len() == 0 {
			litStart = i
		}
		lit.add(s[i:])
	}
	flush()
	return out
}

// subLit gathers the literal text of an Fn::Sub segment. Most literals are
// one run of the template, which it returns without copying; only an
// escape ("${!Literal}") makes it build the text.
type subLit struct {
	s        string
	from, to int    // the text is s[from:to] while buf is nil
	buf      []byte // the text, once it is not one run of s
}

func (l *subLit) len() int {
	if l.buf != nil {
		return len(l.buf)
	}
	return l.to - l.from
}

// addRun appends s[i:j].
func (l *subLit) addRun(i, j int) {
	switch {
	case l.buf == nil && l.from == l.to:
		l.from, l.to = i, j
	case l.buf == nil && l.to == i:
		l.to = j
	default:
		l.add(l.s[i:j])
	}
}

// add appends text that is not where the run ends.
func (l *subLit) add(text string) {
	if l.buf == nil {
		l.buf = append(make([]byte, 0, l.to-l.from+len(text)), l.s[l.from:l.to]...)
	}
	l.buf = append(l.buf, text...)
}

func (l *subLit) text() string {
	if l.buf != nil {
		return string(l.buf)
	}
	return l.s[l.from:l.to]
}

func product(a, b []value.Str) []value.Str {
	if len(b) == 0 {
		return a
	}
	if len(a)*len(b) > maxAlternatives {
		return []value.Str{value.UnknownStr()}
	}
	out := make([]value.Str, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			parts := make([]value.Part, 0, len(x.Parts)+len(y.Parts))
			out = append(out, joined(value.AppendParts(value.AppendParts(parts, x.Parts...), y.Parts...)))
		}
	}
	return out
}

func (t *Template) evalJoin(arg *source.Node, depth int) []value.Str {
	if arg == nil || arg.Kind != source.Sequence || len(arg.Items) != 2 {
		return []value.Str{value.UnknownStr()}
	}
	delim, ok := arg.Items[0].Str()
	if !ok {
		return []value.Str{value.UnknownStr()}
	}
	list := arg.Items[1]
	if list.Kind != source.Sequence {
		return []value.Str{value.UnknownStr()}
	}
	results := []value.Str{{}}
	first := true
	for _, it := range list.Items {
		vs := t.eval(it, nil, depth+1)
		if len(vs) == 0 { // AWS::NoValue drops the item
			continue
		}
		if !first {
			results = product(results, []value.Str{value.Lit(delim)})
		}
		first = false
		results = product(results, vs)
	}
	return results
}

func (t *Template) evalSelect(arg *source.Node, depth int) []value.Str {
	if arg == nil || arg.Kind != source.Sequence || len(arg.Items) != 2 {
		return []value.Str{value.UnknownStr()}
	}
	idx, ok := arg.Items[0].Str()
	list := arg.Items[1]
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || list.Kind != source.Sequence || i < 0 || i >= len(list.Items) {
		return []value.Str{value.UnknownStr()}
	}
	return t.eval(list.Items[i], nil, depth+1)
}

func (t *Template) evalFindInMap(arg *source.Node, depth int) []value.Str {
	if arg == nil || arg.Kind != source.Sequence || len(arg.Items) < 3 {
		return []value.Str{value.UnknownStr()}
	}
	n := t.Mappings
	for _, k := range arg.Items[:3] {
		key, ok := k.Str()
		if !ok {
			return []value.Str{value.UnknownStr()}
		}
		n = n.Get(key)
	}
	if n == nil {
		return []value.Str{value.UnknownStr()}
	}
	return t.eval(n, nil, depth+1)
}
