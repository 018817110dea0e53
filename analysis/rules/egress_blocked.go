package rules

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/value"
)

var egressBlocked = register(&Rule{
	ID:       "egress-blocked",
	Severity: diag.Warning,
	Summary:  "The security groups of a VPC function that uses S3 declare egress rules, and none lets HTTPS out to S3.",
	Doc: "A new security group allows all outbound traffic until its `SecurityGroupEgress` lists rules of " +
		"its own; from then on only those rules apply. When every security group of a function declares egress " +
		"rules and none allows TCP 443 to `0.0.0.0/0` or to a prefix list (S3's, `pl-…`, is what a gateway " +
		"endpoint needs), the function's S3 calls are dropped and hang until they time out, even though the " +
		"route tables are right. Standalone `AWS::EC2::SecurityGroupEgress` resources count as rules of their " +
		"group; groups from parameters or imports are unknown and never reported. Fix: add an egress rule for " +
		"TCP 443 to the S3 prefix list (or `0.0.0.0/0` through a NAT gateway).",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkEgressBlocked,
})

func checkEgressBlocked(c *Context) {
	if c.Network == nil {
		return
	}
	for _, id := range c.Network.Order {
		fp := c.Network.Functions[id]
		if fp.VpcConfig == nil || fp.Path == network.AWSNetwork || fp.Path == network.None || fp.Egress != value.False || !usesS3(c, id) {
			continue
		}
		var groups []string
		var related []diag.Related
		for _, g := range fp.SecurityGroups {
			groups = append(groups, g.ID)
			span := g.Group.Resource.KeySpan
			if p := g.Group.Resource.Properties.Pair("SecurityGroupEgress"); p != nil {
				span = p.KeySpan
			}
			related = append(related, diag.Related{Span: span,
				Message: "Security group " + g.ID + "'s egress rules do not allow TCP 443 to S3."})
		}
		dest := "0.0.0.0/0 or to the S3 prefix list"
		if fp.Path == network.InterfaceEndpoint {
			dest = "the S3 interface endpoint's addresses"
		}
		msg := fmt.Sprintf("%s uses S3, but its security %s %s %s egress rules and none allows TCP 443 to %s: "+
			"S3 calls are dropped and hang until the function fails after its %s. Add an egress rule for TCP 443 to the S3 prefix list.",
			id, plural(len(groups), "group", "groups"), joinAnd(groups), plural(len(groups), "declares", "declare"), dest, fp.TimeoutText())
		f := c.Report(vpcConfigSpan(fp), msg)
		f.Related = related
	}
}
