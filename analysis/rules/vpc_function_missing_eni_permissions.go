package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/network"
)

var vpcFunctionMissingENIPermissions = register(&Rule{
	ID:       "vpc-function-missing-eni-permissions",
	Severity: diag.Error,
	Summary:  "A function with VpcConfig whose execution role cannot manage network interfaces: Lambda rejects it at deploy.",
	Doc: "To put a function in a VPC, Lambda creates network interfaces in its subnets with the function's " +
		"execution role, and checks at create time that the role allows `ec2:CreateNetworkInterface`, " +
		"`ec2:DescribeNetworkInterfaces` and `ec2:DeleteNetworkInterface`; without them the deployment fails " +
		"(\"The provided execution role does not have permissions to call CreateNetworkInterface on EC2\"). SAM " +
		"attaches the AWS managed policy `AWSLambdaVPCAccessExecutionRole` to the role it generates, but not to a " +
		"role you pass in `Role`. The rule reports only roles whose every policy is in the template (inline " +
		"policies, `AWS::IAM::Policy` resources, template and AWS managed policies); a policy from outside the " +
		"template might grant the actions. Fix: add `AWSLambdaVPCAccessExecutionRole` to the role's " +
		"`ManagedPolicyArns`.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkVPCFunctionENIPermissions,
})

// eniActions are what Lambda checks on a VPC function's role
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).
var eniActions = []string{"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"}

const vpcAccessPolicy = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"

func checkVPCFunctionENIPermissions(c *Context) {
	if c.Network == nil || c.Access == nil {
		return
	}
	for _, id := range c.Network.Order {
		fp := c.Network.Functions[id]
		if fp.VpcConfig == nil || fp.Path == network.AWSNetwork || fp.CapacityProvider != "" {
			continue
		}
		fa := c.Access.Function(id)
		if fa == nil || fa.Role == nil || fa.Role.Implicit || fa.Role.External || len(fa.Role.Unknown) > 0 {
			continue
		}
		var missing []string
		for _, a := range eniActions {
			if !mayAllowAction(fa.Role.Identity, a) {
				missing = append(missing, a)
			}
		}
		if len(missing) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s has VpcConfig, but its role %s does not allow %s: Lambda rejects the function at deploy "+
			"(\"The provided execution role does not have permissions to call %s on EC2\"). Attach the AWS managed policy AWSLambdaVPCAccessExecutionRole to the role.",
			id, fa.Role.ID, joinAnd(missing), strings.TrimPrefix(missing[0], "ec2:"))
		span := fa.Role.Span
		if span == (diag.Span{}) {
			span = vpcConfigSpan(fp)
		}
		var fixes []diag.Fix
		if fx, ok := vpcAccessFix(c, fa.Role.ID); ok {
			fixes = append(fixes, fx)
		}
		c.Report(span, msg, fixes...)
	}
}

// mayAllowAction reports whether some Allow statement of the policies may
// grant the action; values the template leaves open count as "may".
func mayAllowAction(policies []*iam.Policy, action string) bool {
	for _, p := range policies {
		for _, st := range p.Statements {
			if st.Effect != "Allow" {
				continue
			}
			certain, open := false, false
			for _, e := range st.Actions {
				if s, ok := e.Value.Literal(); !ok {
					open = true
				} else if arn.MatchGlobFold(s, action) {
					certain = true
				}
			}
			matched := certain || open
			if st.NotAction {
				matched = !certain
			}
			if matched {
				return true
			}
		}
	}
	return false
}

// vpcAccessFix adds AWSLambdaVPCAccessExecutionRole to the role's
// ManagedPolicyArns, creating the list when the role has none.
func vpcAccessFix(c *Context, roleID string) (diag.Fix, bool) {
	r := c.Template.Resources[roleID]
	if r == nil || r.Implicit || r.Type != "AWS::IAM::Role" || r.Properties == nil {
		return diag.Fix{}, false
	}
	title := "Attach AWSLambdaVPCAccessExecutionRole to " + roleID
	item := edit.Val(edit.Sub(vpcAccessPolicy))
	if p := r.Properties.Pair("ManagedPolicyArns"); p != nil {
		if ed, ok := edit.AppendItems(c.Doc, p.Value, item); ok {
			return diag.Fix{Title: title, Edits: []diag.Edit{ed}, Preferred: true}, true
		}
		return diag.Fix{}, false
	}
	ed, ok := edit.InsertEntry(c.Doc, r.Properties, "ManagedPolicyArns", edit.List(item))
	return diag.Fix{Title: title, Edits: []diag.Edit{ed}, Preferred: true}, ok
}
