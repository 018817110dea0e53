package rules

import (
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/value"
)

var interfaceEndpointDNS = register(&Rule{
	ID:       "interface-endpoint-dns",
	Severity: diag.Warning,
	Summary:  "An S3 interface endpoint that the SDK's default S3 host name does not reach, and no gateway endpoint.",
	Doc: "An S3 interface endpoint (`VpcEndpointType: Interface`) without `PrivateDnsEnabled: true` only " +
		"answers on its own DNS names (`bucket.vpce-….s3.<region>.vpce.amazonaws.com`): the SDK's default " +
		"host `s3.<region>.amazonaws.com` does not resolve to it, so functions keep trying the public endpoint " +
		"unless they pass the endpoint URL explicitly. With private DNS on, S3 defaults to " +
		"`PrivateDnsOnlyForInboundResolverEndpoint`, which needs an S3 gateway endpoint in the same VPC — " +
		"without one, creating the endpoint fails. Either way the usual fix is an S3 gateway endpoint " +
		"(free) on the functions' route tables; or enable private DNS and set `DnsOptions: " +
		"{PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers}`.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkInterfaceEndpointDNS,
})

func checkInterfaceEndpointDNS(c *Context) {
	if c.Network == nil {
		return
	}
	for _, e := range c.Network.Endpoints {
		if e.Gateway || !e.TypeKnown || e.S3 != value.True || e.VpcID == "" || hasGatewayEndpoint(c.Network, e.VpcID) {
			continue
		}
		span := e.Resource.KeySpan
		if p := e.Resource.Properties.Pair("PrivateDnsEnabled"); p != nil {
			span = p.Value.Span
		}
		switch {
		case e.PrivateDNS == value.False:
			c.Report(span, "S3 interface endpoint "+e.ID+" has no private DNS (PrivateDnsEnabled is not true) and VPC "+e.VpcID+
				" has no S3 gateway endpoint: the SDK's default S3 host name does not resolve to the endpoint, so functions in the VPC "+
				"reach S3 through it only if they pass its endpoint-specific DNS name as endpoint URL. Add an S3 gateway endpoint, or set PrivateDnsEnabled: true.")
		case e.PrivateDNS == value.True && e.InboundOnly:
			c.Report(span, "S3 interface endpoint "+e.ID+" enables private DNS with PrivateDnsOnlyForInboundResolverEndpoint (S3's default), "+
				"which requires an S3 gateway endpoint in VPC "+e.VpcID+", and the template declares none: creating the endpoint fails. "+
				"Add an S3 gateway endpoint, or set DnsOptions PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers.")
		}
	}
}

// hasGatewayEndpoint reports whether a VPC certainly or possibly has an S3
// gateway endpoint.
func hasGatewayEndpoint(net *network.Report, vpc string) bool {
	for _, e := range net.Endpoints {
		if e.Gateway && (e.VpcID == vpc || e.VpcID == "") {
			return true
		}
	}
	return false
}
