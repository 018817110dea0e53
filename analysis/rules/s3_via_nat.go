package rules

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/network"
)

var s3ViaNAT = register(&Rule{
	ID:       "s3-via-nat",
	Severity: diag.Information,
	Summary:  "A Lambda function in a VPC reaches S3 through a NAT gateway: it works, but a gateway endpoint is free and private.",
	Doc: "The function's subnets send S3 traffic through a NAT gateway (a `0.0.0.0/0` route to " +
		"`NatGatewayId`) because their route tables have no S3 gateway endpoint. It works, but NAT gateways " +
		"charge for every GB they process (for example $0.045/GB in us-east-2, on top of the hourly charge), and the " +
		"requests go to S3's public endpoint: they carry `aws:SourceIp` (the NAT's address) rather than " +
		"`aws:SourceVpce`, so bucket policies that require the endpoint do not match them. An S3 gateway " +
		"endpoint on the same route tables is free, keeps the traffic in the VPC, and takes precedence over the " +
		"default route for S3's addresses. The fix adds one (or adds the route tables to the VPC's existing one).",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkS3ViaNAT,
})

func checkS3ViaNAT(c *Context) {
	if c.Network == nil {
		return
	}
	for _, id := range c.Network.Order {
		fp := c.Network.Functions[id]
		if fp.Path != network.NAT || !usesS3(c, id) {
			continue
		}
		var via []string
		var related []diag.Related
		seen := map[string]bool{}
		for _, s := range fp.Subnets {
			if s.Path != network.NAT || s.Route == nil || seen[s.RouteTable] {
				continue
			}
			seen[s.RouteTable] = true
			via = append(via, fmt.Sprintf("route table %s → NAT gateway %s", s.RouteTable, s.Route.TargetID))
			related = append(related, diag.Related{Span: s.Route.Resource.KeySpan,
				Message: "Route " + s.Route.ID + " sends 0.0.0.0/0, S3 included, to NAT gateway " + s.Route.TargetID + "."})
		}
		msg := fmt.Sprintf("%s reaches S3 through a NAT gateway (%s). It works, but NAT charges per GB processed and "+
			"the requests go to S3's public endpoint (they carry aws:SourceIp, not aws:SourceVpce). An S3 gateway "+
			"endpoint is free and keeps the traffic in the VPC.", id, joinAnd(via))
		var fixes []diag.Fix
		if fx, ok := gatewayEndpointFix(c, fp); ok {
			fixes = append(fixes, fx)
		}
		f := c.Report(vpcConfigSpan(fp), msg, fixes...)
		f.Related = related
	}
}
