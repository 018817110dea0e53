package hover

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/value"
)

// Public is S3's verdict on one bucket-policy statement, with the reason
// in words. S3 starts from "public" and calls an Allow statement non-public
// only when it grants to fixed values of a principal or of one of a few
// condition keys; a fixed value has no wildcard and no policy variable
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
// Maybe means a template parameter decides.
type Public struct {
	Is     value.Tri
	Reason string
}

// fixedKeys are the condition keys whose fixed values make a statement
// non-public.
var fixedKeys = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principalorgid": true,
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceowner": true, "aws:sourceaccount": true, "aws:sourceip": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:dataaccesspointarn":                          true, "s3:dataaccesspointaccount": true,
}

// IsPublic decides whether a statement of a bucket policy is public by
// S3's definition. Deny statements never are.
func IsPublic(st *iam.Statement) Public {
	if !st.Allow() {
		return Public{Is: value.False, Reason: "it denies rather than grants"}
	}
	if st.NotPrincipal {
		return Public{Is: value.True, Reason: "Allow with NotPrincipal grants everyone but the listed principals, anonymous users included"}
	}
	principals := value.True // all fixed so far
	var wild string
	for _, p := range st.Principals {
		f := fixed(p.Element.Value)
		if p.Type == "*" || p.Type == "Federated" {
			f = value.False
		}
		if f != value.True && wild == "" {
			wild = principalText(p)
		}
		principals = value.And(principals, f)
	}
	if len(st.Principals) > 0 && principals == value.True {
		return Public{Is: value.False, Reason: "it names fixed principals"}
	}
	verdict := Public{Is: value.True, Reason: fmt.Sprintf("Principal %s with no condition that pins aws:SourceVpce, aws:SourceArn, aws:PrincipalOrgID or another key S3 accepts to a fixed value", wild)}
	if principals == value.Maybe {
		verdict = Public{Is: value.Maybe, Reason: fmt.Sprintf("principal %s comes from a parameter and may be *", wild)}
	}
	for _, c := range st.Conditions {
		switch conditionFixes(c) {
		case value.True:
			return Public{Is: value.False, Reason: fmt.Sprintf("its condition %s %s has fixed values", c.Operator, c.Key)}
		case value.Maybe:
			if verdict.Is == value.True {
				verdict = Public{Is: value.Maybe, Reason: fmt.Sprintf("its condition %s %s takes a value from a parameter", c.Operator, c.Key)}
			}
		}
	}
	return verdict
}

func principalText(p iam.Principal) string {
	v := p.Element.Value.String()
	if p.Type == "*" || p.Type == "" {
		return v
	}
	return fmt.Sprintf("{%s: %s}", p.Type, v)
}

// conditionFixes says whether a condition limits the statement to fixed
// values of a key S3 accepts. Negated operators, IfExists and ForAllValues
// are true when the key is absent, so they never do.
func conditionFixes(c iam.Condition) value.Tri {
	if !fixedKeys[strings.ToLower(c.Key)] || len(c.Values) == 0 {
		return value.False
	}
	op := strings.ToLower(c.Operator)
	op = strings.TrimPrefix(op, "foranyvalue:")
	if strings.HasSuffix(op, "ifexists") || strings.HasPrefix(op, "forallvalues:") || strings.Contains(op, "not") {
		return value.False
	}
	switch op {
	case "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress":
	default:
		return value.False
	}
	all := value.True
	for _, e := range c.Values {
		f := fixed(e.Value)
		if s, ok := e.Value.Literal(); ok {
			switch strings.ToLower(c.Key) {
			case "aws:sourceip":
				f = boolTri(narrowCIDR(s))
			case "aws:userid":
				if strings.HasSuffix(s, ":*") {
					f = value.False
				}
			case "s3:dataaccesspointarn":
				// The access point name may be a wildcard when the account is fixed.
				if parts := strings.SplitN(s, ":", 6); len(parts) == 6 && !strings.ContainsAny(parts[4], "*?") && parts[4] != "" {
					f = value.True
				}
			}
		}
		all = value.And(all, f)
	}
	return all
}

// fixed says whether a value is free of wildcards and policy variables.
// Resource ids and pseudo parameters are fixed; parameters may hold "*".
func fixed(v value.Str) value.Tri {
	out := value.True
	for _, p := range v.Parts {
		if !p.Hole {
			if strings.ContainsAny(p.Lit, "*?") || strings.Contains(p.Lit, "${") {
				return value.False
			}
			continue
		}
		switch p.Kind {
		case value.ResourceRef, value.ResourceAttr, value.Pseudo:
		default:
			out = value.Maybe
		}
	}
	return out
}

// narrowCIDR: S3 counts a source IP range as public when it is wider than
// /8 (IPv4) or /32 (IPv6), except the private RFC 1918 ranges.
func narrowCIDR(s string) bool {
	if !strings.Contains(s, "/") {
		_, err := netip.ParseAddr(s)
		return err == nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return false
	}
	if p.Addr().Is4() {
		return p.Bits() >= 8 // the RFC 1918 ranges are all /8 or narrower
	}
	return p.Bits() >= 32
}

func boolTri(b bool) value.Tri {
	if b {
		return value.True
	}
	return value.False
}
