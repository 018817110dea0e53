package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
)

var bucketPolicyDeniesFunction = register(&Rule{
	ID:       "bucket-policy-denies-function",
	Severity: diag.Error,
	Summary:  "A bucket-policy Deny refuses requests the function's role allows: the calls fail with AccessDenied.",
	Doc: "An explicit Deny wins over every Allow. This rule finds a bucket-policy Deny that certainly matches " +
		"requests a function's role allows — typically `StringNotEquals aws:SourceVpce` for a function that does " +
		"not run in a VPC behind that endpoint (a missing key makes a negated condition true), or " +
		"`aws:PrincipalArn` conditions that do not list the function's role. The finding is on the identity " +
		"statement that grants the access, with the Deny as related information. Fix: route the function " +
		"through the endpoint (VpcConfig with the endpoint's route tables), or add an exception for its role " +
		"to the Deny (e.g. `ArnNotEquals aws:PrincipalArn`).",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkBucketPolicyDeniesFunction,
})

func checkBucketPolicyDeniesFunction(c *Context) {
	if c.Access == nil {
		return
	}
	for _, fa := range c.Access.Functions {
		for _, ba := range fa.Buckets {
			type key struct{ allow, deny *iam.Statement }
			groups := map[key][]string{}
			var order []key
			for _, d := range ba.Decisions {
				if d.Verdict != access.Denied || !d.RoleAllows || d.DeniedBy == nil || d.DeniedBy.Policy.Kind != iam.Bucket {
					continue
				}
				for _, st := range d.By {
					if st.Policy.Kind != iam.Identity {
						continue
					}
					k := key{st, d.DeniedBy}
					if groups[k] == nil {
						order = append(order, k)
					}
					groups[k] = append(groups[k], d.Action)
				}
			}
			for _, k := range order {
				actions := groups[k]
				msg := fmt.Sprintf("%s's role %s allows %s on %s, but %s denies %s: %s. The calls fail with AccessDenied at run time.",
					fa.ID, fa.Role.ID, short(actions), ba.Bucket.ID, access.Describe(k.deny), plural(len(actions), "it", "them"), whyDenied(k.deny, fa))
				f := c.Report(k.allow.Span(), msg)
				f.Related = append(f.Related, diag.Related{Span: k.deny.Span(), Message: "The Deny statement that refuses " + fa.ID + "'s requests"})
			}
		}
	}
}

func short(list []string) string {
	if len(list) > 4 {
		return strings.Join(list[:4], ", ") + fmt.Sprintf(" and %d more", len(list)-4)
	}
	return strings.Join(list, ", ")
}

// whyDenied explains in words why the Deny's conditions hold for every
// request of the function.
func whyDenied(st *iam.Statement, fa *access.FunctionAccess) string {
	var why []string
	path := network.AWSNetwork
	if fa.Network != nil {
		path = fa.Network.Path
	}
	for _, cd := range st.Conditions {
		switch strings.ToLower(cd.Key) {
		case "aws:sourcevpce", "aws:sourcevpc":
			switch path {
			case network.AWSNetwork:
				why = append(why, fmt.Sprintf("%s runs outside any VPC, so its requests carry no %s and %s matches", fa.ID, cd.Key, cd.Operator))
			case network.NAT:
				why = append(why, fmt.Sprintf("%s reaches S3 through a NAT gateway, so its requests carry no %s and %s matches", fa.ID, cd.Key, cd.Operator))
			default:
				ep := "another endpoint"
				if fa.Network != nil && fa.Network.Endpoint != nil {
					ep = "endpoint " + fa.Network.Endpoint.ID
				}
				why = append(why, fmt.Sprintf("%s's requests come through %s, which the condition on %s does not allow", fa.ID, ep, cd.Key))
			}
		case "aws:principalarn":
			why = append(why, fmt.Sprintf("the condition on aws:PrincipalArn does not match role %s", fa.Role.ID))
		}
	}
	if len(why) == 0 {
		if len(st.Conditions) == 0 {
			return "the Deny has no condition and names the role's requests"
		}
		return "its conditions hold for every request of the function"
	}
	return strings.Join(why, "; ")
}
