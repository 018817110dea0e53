package iam

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/iamlens/iamlens/analysis/value"
)

// Public access as S3 defines it for bucket policies
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
// S3 assumes a statement is public unless it grants access only to fixed
// values of a principal or of one of a few condition keys. A fixed value
// holds no wildcard and no policy variable; one public statement makes the
// whole policy public.

// restrictingKeys are the condition keys whose fixed values make a
// statement non-public (lower-cased).
var restrictingKeys = map[string]bool{
	"aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceowner": true, "aws:sourceaccount": true, "aws:userid": true,
	"aws:principalorgid": true, "aws:principalarn": true, "aws:principalaccount": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:dataaccesspointarn":                          true, "s3:dataaccesspointaccount": true,
}

// PublicVerdict says whether a statement is public and why.
type PublicVerdict struct {
	Public value.Tri
	Reason string // for people: "Principal is \"*\" and no condition names a fixed VPC endpoint, IP range, account or organization"
}

// StatementPublic decides whether an Allow statement of a bucket policy is
// public. Deny statements are never public. Holes a template fills in at
// deployment (a !Ref of a VPC endpoint, the account id) count as fixed
// values; parameters might hold a wildcard, so they leave it unknown.
func StatementPublic(st *Statement) PublicVerdict {
	if !st.Allow() {
		return PublicVerdict{Public: value.False, Reason: "Deny statements are never public"}
	}
	if st.NotPrincipal {
		return PublicVerdict{Public: value.True, Reason: "NotPrincipal with Allow grants everyone not listed, anonymous users included"}
	}
	prin := principalsPublic(st.Principals)
	if prin == value.False {
		return PublicVerdict{Public: value.False, Reason: "the Principal names specific accounts, roles or services"}
	}
	cond, key := conditionsRestrict(st.Conditions)
	switch {
	case cond == value.True:
		return PublicVerdict{Public: value.False, Reason: fmt.Sprintf("the condition on %s limits it to a fixed value", key)}
	case cond == value.Maybe || prin == value.Maybe:
		return PublicVerdict{Public: value.Maybe, Reason: "whether it is public depends on values given at deployment"}
	}
	return PublicVerdict{Public: value.True, Reason: "Principal is \"*\" and no condition names a fixed VPC endpoint, IP range, account or organization"}
}

// principalsPublic: True when some principal is everyone, False when all
// are fixed, Maybe when a value is left to deployment.
func principalsPublic(ps []Principal) value.Tri {
	if len(ps) == 0 {
		return value.True
	}
	out := value.False
	for _, p := range ps {
		switch p.Type {
		case "*":
			return value.True
		case "Federated":
			return value.True // web identity providers admit anyone who signs in
		case "CanonicalUser", "Service":
			continue
		}
		out = value.Or(out, fixedValue(p.Element.Value).Not())
	}
	return out
}

// fixedValue: True for text without wildcards or variables, Maybe when a
// parameter or unknown hole could hold one.
func fixedValue(v value.Str) value.Tri {
	out := value.True
	for _, p := range v.Parts {
		if !p.Hole {
			if strings.ContainsAny(p.Lit, "*?") || strings.Contains(p.Lit, "${") {
				return value.False
			}
			continue
		}
		switch p.Kind {
		case value.ResourceRef, value.Pseudo, value.ResourceAttr:
		default:
			out = value.Maybe
		}
	}
	return out
}

// conditionsRestrict reports whether some condition limits the statement
// to fixed values of a restricting key, and which key.
func conditionsRestrict(conds []Condition) (value.Tri, string) {
	out, key := value.False, ""
	for _, c := range conds {
		k := strings.ToLower(c.Key)
		if !restrictingKeys[k] {
			continue
		}
		o := parseOperator(c.Operator)
		if o.negated || o.base == "Null" || o.forAll || len(c.Values) == 0 {
			continue
		}
		r := value.True
		for _, v := range c.Values {
			f := fixedValue(v.Value)
			if f == value.True && k == "aws:sourceip" {
				f = narrowCIDR(v.Value)
			}
			if f == value.True && k == "aws:userid" {
				if s, ok := v.Value.Literal(); ok && strings.HasSuffix(s, ":*") {
					f = value.False
				}
			}
			r = value.And(r, f)
		}
		if k == "aws:userid" && r == value.False {
			continue
		}
		if r == value.True {
			return value.True, c.Key
		}
		out = value.Or(out, r)
		if key == "" {
			key = c.Key
		}
	}
	return out, key
}

// narrowCIDR: an IP range counts as fixed when it is no wider than /8
// (IPv4) or /32 (IPv6); RFC 1918 ranges always count.
func narrowCIDR(v value.Str) value.Tri {
	s, ok := v.Literal()
	if !ok {
		return value.Maybe
	}
	pfx, err := netip.ParsePrefix(s)
	if err != nil {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return value.False
		}
		pfx = netip.PrefixFrom(addr, addr.BitLen())
	}
	for _, private := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		pp := netip.MustParsePrefix(private)
		if pp.Contains(pfx.Addr()) && pfx.Bits() >= pp.Bits() {
			return value.True
		}
	}
	if pfx.Addr().Is4() {
		return triOf(pfx.Bits() >= 8)
	}
	return triOf(pfx.Bits() >= 32)
}
