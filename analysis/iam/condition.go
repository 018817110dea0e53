package iam

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/value"
)

// KeyState is what a request is known to carry for one condition key.
type KeyState uint8

const (
	// KeyUnknown: the key may or may not be in the request.
	KeyUnknown KeyState = iota
	// KeyAbsent: the request certainly does not carry the key.
	KeyAbsent
	// KeyPresent: the request carries the key; Values holds its values
	// when the template fixes them, otherwise they are unknown.
	KeyPresent
	// KeyChoice: the caller picks the value (an s3: request header, the
	// object it names): some requests satisfy a condition, others do not.
	KeyChoice
)

// KeyValue is a condition key as a request carries it.
type KeyValue struct {
	State  KeyState
	Values []value.Str // for KeyPresent; nil means the values are unknown
}

// RequestContext answers, for a lower-cased condition key name, what the
// request carries.
type RequestContext func(key string) KeyValue

// EvalConditions decides a statement's Condition block for a request: all
// entries must hold (AND). choice is the answer for keys the caller picks:
// True when asking "can some request satisfy it" (an Allow), False when
// asking "must every request satisfy it" (a Deny).
func EvalConditions(conds []Condition, ctx RequestContext, choice value.Tri) value.Tri {
	out := value.True
	for i := range conds {
		out = value.And(out, EvalCondition(&conds[i], ctx, choice))
		if out == value.False {
			return out
		}
	}
	return out
}

// operator is a condition operator split into its parts.
type operator struct {
	base      string // "StringEquals", "ArnLike", "Null" ...
	ifExists  bool
	forAll    bool
	forAny    bool
	negated   bool
	ignoreCas bool
}

func parseOperator(op string) operator {
	var o operator
	if rest, ok := strings.CutPrefix(op, "ForAllValues:"); ok {
		o.forAll, op = true, rest
	} else if rest, ok := strings.CutPrefix(op, "ForAnyValue:"); ok {
		o.forAny, op = true, rest
	}
	if rest, ok := strings.CutSuffix(op, "IfExists"); ok {
		o.ifExists, op = true, rest
	}
	o.base = op
	switch op {
	case "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike",
		"NotIpAddress", "NumericNotEquals", "DateNotEquals":
		o.negated = true
	}
	o.ignoreCas = strings.HasSuffix(op, "IgnoreCase")
	return o
}

// EvalCondition decides one operator/key entry. The rules for a key the
// request does not carry follow the IAM reference: a positive operator is
// false, a negated one (StringNotEquals, ArnNotLike, NotIpAddress) is true,
// ...IfExists is true, ForAllValues is true and ForAnyValue false on an
// empty set, Null compares presence
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
func EvalCondition(c *Condition, ctx RequestContext, choice value.Tri) value.Tri {
	o := parseOperator(c.Operator)
	kv := ctx(strings.ToLower(c.Key))
	if o.base == "Null" {
		want, known := boolValue(c.Values)
		if !known {
			return value.Maybe
		}
		switch kv.State {
		case KeyAbsent:
			return triOf(want)
		case KeyPresent:
			return triOf(!want)
		case KeyChoice:
			return choice
		}
		return value.Maybe
	}
	switch kv.State {
	case KeyChoice:
		return choice
	case KeyUnknown:
		return value.Maybe
	case KeyAbsent:
		switch {
		case o.ifExists, o.forAll:
			return value.True
		case o.forAny:
			return value.False
		case o.negated:
			return value.True
		}
		return value.False
	}
	if kv.Values == nil {
		return value.Maybe
	}
	// A single-valued key: the condition holds when the value matches any
	// of the policy's values (negated: none of them).
	var any value.Tri = value.False
	for _, rv := range kv.Values {
		for _, pv := range c.Values {
			m := match(o, pv.Value, rv)
			if pv.Alternative && m == value.True {
				m = value.Maybe
			}
			any = value.Or(any, m)
		}
	}
	if o.negated {
		return any.Not()
	}
	return any
}

func triOf(b bool) value.Tri {
	if b {
		return value.True
	}
	return value.False
}

// boolValue reads "true"/"false" from a condition's values.
func boolValue(vs []Element) (bool, bool) {
	if len(vs) != 1 {
		return false, false
	}
	s, ok := vs[0].Value.Literal()
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// match compares a policy value with a request value for the positive form
// of the operator.
func match(o operator, policy, request value.Str) value.Tri {
	if hasVariable(policy) {
		return value.Maybe
	}
	switch {
	case strings.HasPrefix(o.base, "String") && strings.Contains(o.base, "Like"),
		strings.HasPrefix(o.base, "Arn"):
		if o.base == "ArnLike" || o.base == "ArnNotLike" || o.base == "ArnEquals" || o.base == "ArnNotEquals" {
			p, pok := policy.Literal()
			r, rok := request.Literal()
			if pok && rok {
				return triOf(arn.ArnLike(p, r))
			}
		}
		return arn.Covers(policy, request)
	case strings.HasPrefix(o.base, "String"):
		return Equal(policy, request, o.ignoreCas)
	case o.base == "Bool":
		p, pok := policy.Literal()
		r, rok := request.Literal()
		if pok && rok {
			return triOf(strings.EqualFold(p, r))
		}
	}
	return value.Maybe
}

// hasVariable reports whether a policy value holds a policy variable such
// as ${aws:username}, which only the request fills in.
func hasVariable(v value.Str) bool {
	for _, p := range v.Parts {
		if !p.Hole && strings.Contains(p.Lit, "${") {
			return true
		}
	}
	return false
}

// Equal compares two symbolic strings exactly: literals by text, the same
// hole with itself; two different template resources never share a
// physical id.
func Equal(a, b value.Str, fold bool) value.Tri {
	as, aok := a.Literal()
	bs, bok := b.Literal()
	if aok && bok {
		if fold {
			return triOf(strings.EqualFold(as, bs))
		}
		return triOf(as == bs)
	}
	if sameParts(a, b) {
		return value.True
	}
	if len(a.Parts) == 1 && len(b.Parts) == 1 && a.Parts[0].Hole && b.Parts[0].Hole &&
		a.Parts[0].Kind == value.ResourceRef && b.Parts[0].Kind == value.ResourceRef {
		return value.False // two different resources of the template
	}
	return value.Maybe
}

func sameParts(a, b value.Str) bool {
	if len(a.Parts) != len(b.Parts) {
		return false
	}
	for i := range a.Parts {
		x, y := a.Parts[i], b.Parts[i]
		if x.Hole != y.Hole || x.Lit != y.Lit || x.Kind != y.Kind || x.Ref != y.Ref || x.Attr != y.Attr {
			return false
		}
		if x.Hole && x.Kind == value.Unknown {
			return false
		}
	}
	return true
}
