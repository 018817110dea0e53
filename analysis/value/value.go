// Package value is the symbolic string that CloudFormation intrinsics
// evaluate to: literal text mixed with typed holes for what only deployment
// knows ("the name of bucket DataBucket", "parameter Stage", "the account id").
// Rules match ARNs against these values, so `!GetAtt DataBucket.Arn` and
// `!Sub '${DataBucket.Arn}/*'` are understood without deploying anything.
package value

import "strings"

// HoleKind is what a hole stands for.
type HoleKind uint8

const (
	Unknown      HoleKind = iota // nothing is known about the text
	ResourceRef                  // Ref of a resource: its physical id (bucket name, role name, key id ...)
	ResourceAttr                 // Fn::GetAtt of a resource attribute other than those resolved structurally
	Parameter                    // Ref of a template parameter
	Pseudo                       // AWS::AccountId, AWS::Region, AWS::Partition, AWS::StackName ...
	Import                       // Fn::ImportValue
)

// Part is literal text or a hole.
type Part struct {
	Lit  string   // literal text when Hole is false
	Hole bool     // true for a hole
	Kind HoleKind // what the hole stands for
	Ref  string   // logical id, parameter name or pseudo parameter name
	Attr string   // attribute for ResourceAttr
	Type string   // resource type of Ref, when known ("AWS::S3::Bucket")
}

// Str is a symbolic string: the concatenation of its parts.
type Str struct{ Parts []Part }

// Lit makes a literal value.
func Lit(s string) Str { return Str{Parts: []Part{{Lit: s}}} }

// Hole makes a one-hole value.
func HoleOf(p Part) Str { p.Hole = true; return Str{Parts: []Part{p}} }

// UnknownStr is a value about which nothing is known.
func UnknownStr() Str { return HoleOf(Part{Kind: Unknown}) }

// Concat joins values, merging adjacent literals.
func Concat(vs ...Str) Str {
	var out Str
	for _, v := range vs {
		for _, p := range v.Parts {
			out.add(p)
		}
	}
	return out
}

func (s *Str) add(p Part) { s.Parts = AppendParts(s.Parts, p) }

// AppendParts appends parts the way Concat joins values: empty literals
// are dropped and adjacent literals merged. Appending to a value Concat has
// joined gives what Concat would give for the whole, without copying the
// value built so far at every step.
func AppendParts(out []Part, parts ...Part) []Part {
	for _, p := range parts {
		if !p.Hole {
			if p.Lit == "" {
				continue
			}
			if n := len(out); n > 0 && !out[n-1].Hole {
				out[n-1].Lit += p.Lit
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// Literal returns the text and true when the value has no holes.
func (s Str) Literal() (string, bool) {
	switch len(s.Parts) {
	case 0:
		return "", true
	case 1:
		if !s.Parts[0].Hole {
			return s.Parts[0].Lit, true
		}
	}
	return "", false
}

// HasHoles reports whether any part is unknown until deployment.
func (s Str) HasHoles() bool {
	for _, p := range s.Parts {
		if p.Hole {
			return true
		}
	}
	return false
}

// String renders the value for people: holes as ${...}, the way !Sub writes them.
func (s Str) String() string {
	if len(s.Parts) == 1 && !s.Parts[0].Hole {
		return s.Parts[0].Lit // the usual literal, without copying it
	}
	var b strings.Builder
	for _, p := range s.Parts {
		if !p.Hole {
			b.WriteString(p.Lit)
			continue
		}
		b.WriteString(p.Display())
	}
	return b.String()
}

// Key is a string that identifies the value exactly (unlike String, holes
// of different kinds never collide with each other or with literal text),
// for use as a map key.
func (s Str) Key() string { return s.key(false) }

// ShapeKey identifies the value up to which resources its holes name:
// two values that differ only in the logical ids of resources of the same
// type share it. Matching against ARN formats depends on nothing more.
func (s Str) ShapeKey() string { return s.key(true) }

func (s Str) key(shape bool) string {
	if len(s.Parts) == 1 && !s.Parts[0].Hole {
		return s.Parts[0].Lit
	}
	// Sized first: rules ask for the key of every Resource element.
	n := 0
	for _, p := range s.Parts {
		n += len(p.Lit) + 5 + len(p.Ref) + len(p.Attr) + len(p.Type)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range s.Parts {
		if !p.Hole {
			b.WriteString(p.Lit)
			continue
		}
		b.WriteByte(0)
		b.WriteByte(byte('0' + p.Kind))
		if !shape || p.Kind == Pseudo {
			b.WriteString(p.Ref)
		}
		b.WriteByte(1)
		if !shape {
			b.WriteString(p.Attr)
		}
		b.WriteByte(1)
		b.WriteString(p.Type)
		b.WriteByte(0)
	}
	return b.String()
}

// Display renders one hole.
func (p Part) Display() string {
	switch p.Kind {
	case ResourceRef, Parameter, Pseudo:
		return "${" + p.Ref + "}"
	case ResourceAttr:
		return "${" + p.Ref + "." + p.Attr + "}"
	case Import:
		return "${ImportValue " + p.Ref + "}"
	}
	return "${?}"
}

// Tri is a three-valued truth: what the template proves true, proves false,
// or leaves to deployment.
type Tri uint8

const (
	False Tri = iota
	True
	Maybe
)

func (t Tri) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

// Not negates a three-valued truth.
func (t Tri) Not() Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return Maybe
}

// And is the three-valued conjunction.
func And(a, b Tri) Tri {
	if a == False || b == False {
		return False
	}
	if a == True && b == True {
		return True
	}
	return Maybe
}

// Or is the three-valued disjunction.
func Or(a, b Tri) Tri {
	if a == True || b == True {
		return True
	}
	if a == False && b == False {
		return False
	}
	return Maybe
}
