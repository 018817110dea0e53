package network

import (
	"github.com/iamlens/iamlens/analysis/value"
)

// classifySubnet decides one template subnet's way to S3 from its route
// table, in the order AWS routes a request: S3's prefix-list route (a
// gateway endpoint) is more specific than any default route, and private
// DNS of an interface endpoint changes what the S3 host name resolves to.
func (x *vpcIndex) classifySubnet(s *SubnetPath, sub *Subnet) {
	s.Known, s.VpcID = true, sub.VpcID
	switch {
	case sub.AssocUnknown || len(sub.RouteTables) > 1:
		s.Path = Unknown
		s.Reason = "subnet " + sub.ID + "'s route table is not known from the template"
		if len(sub.RouteTables) == 1 {
			s.RouteTable = sub.RouteTables[0]
		}
		return
	case len(sub.RouteTables) == 0:
		s.Path = Unknown
		s.Reason = "subnet " + sub.ID + " has no SubnetRouteTableAssociation, so it uses the VPC's main route table, which the template does not describe"
		return
	}
	rt := x.routeTables[sub.RouteTables[0]]
	s.RouteTable = rt.ID
	if rt.Resource.Condition != "" || sub.Assoc[0].Condition != "" {
		s.Path = Unknown
		s.Reason = "route table " + rt.ID + " is associated only under a condition"
		return
	}

	// Certain ways first, best first; then what may exist; then none.
	var gateway, iface, maybeEndpoint *Endpoint
	for _, e := range rt.Endpoints {
		if !e.Gateway {
			continue
		}
		if e.S3 == value.True && e.TypeKnown && !e.Conditional {
			if gateway == nil {
				gateway = e
			}
		} else if maybeEndpoint == nil {
			maybeEndpoint = e
		}
	}
	// An endpoint whose RouteTableIds the template leaves open may cover
	// this table too.
	for _, e := range x.endpoints {
		if e.Gateway && e.RouteTablesOpen && e.S3 != value.False && (e.VpcID == "" || e.VpcID == sub.VpcID) && maybeEndpoint == nil {
			maybeEndpoint = e
		}
	}
	var dnsless *Endpoint
	for _, e := range x.endpoints {
		if e.Gateway || e.S3 == value.False || (e.VpcID != "" && sub.VpcID != "" && e.VpcID != sub.VpcID) {
			continue
		}
		certain := e.S3 == value.True && e.TypeKnown && !e.Conditional && e.VpcID != ""
		switch {
		case e.PrivateDNS == value.True && certain:
			if iface == nil {
				iface = e
			}
		case e.PrivateDNS == value.False && certain:
			if dnsless == nil {
				dnsless = e
			}
		default:
			if maybeEndpoint == nil {
				maybeEndpoint = e
			}
		}
	}
	switch {
	case iface != nil && (gateway == nil || !iface.InboundOnly):
		// With private DNS for all resolvers the S3 host names resolve to
		// the interface endpoint; with the default (inbound resolvers only)
		// in-VPC clients keep the gateway endpoint when there is one.
		s.Path, s.Endpoint = InterfaceEndpoint, iface
		s.Reason = "S3 host names resolve to interface endpoint " + iface.ID + " (private DNS)"
		return
	case gateway != nil:
		s.Path, s.Endpoint = GatewayEndpoint, gateway
		s.Reason = "route table " + rt.ID + " has S3 gateway endpoint " + gateway.ID
		return
	}

	var nat, open, maybeNAT *Route
	for _, r := range rt.Routes {
		to := r.ToAnywhere()
		if to == value.False {
			continue
		}
		switch r.Target {
		case TargetInternet:
			if to == value.True && !r.IPv6 {
				s.Internet = r
			}
			continue
		case TargetEgressOnly, TargetVpcEndpoint:
			// IPv6 only, or a Gateway Load Balancer endpoint (an appliance
			// that might forward): the latter is open.
			if r.Target == TargetEgressOnly {
				continue
			}
		case TargetNAT:
			if to == value.True && !r.IPv6 && !r.Conditional {
				if nat == nil {
					nat = r
				}
				continue
			}
			if maybeNAT == nil {
				maybeNAT = r
			}
			continue
		}
		if open == nil {
			open = r
		}
	}
	switch {
	case nat != nil:
		s.Path, s.Route = NAT, nat
		s.Reason = "route table " + rt.ID + " sends 0.0.0.0/0 to NAT gateway " + nat.TargetID
	case open != nil:
		s.Path, s.Route = Unknown, open
		s.Reason = "route table " + rt.ID + " sends " + destText(open) + " to " + string(open.Target) + " " + open.TargetID + ", which may lead to a NAT gateway elsewhere"
	case maybeNAT != nil:
		s.Path, s.Route = Unknown, maybeNAT
		s.Reason = "route table " + rt.ID + "'s route " + maybeNAT.ID + " to NAT gateway " + maybeNAT.TargetID + " may or may not carry S3 traffic"
		if maybeNAT.Conditional {
			s.Reason = "route table " + rt.ID + "'s route " + maybeNAT.ID + " to NAT gateway " + maybeNAT.TargetID + " exists only when condition " + maybeNAT.Resource.Condition + " holds"
		}
	case maybeEndpoint != nil:
		s.Path, s.Endpoint = Unknown, nil
		s.Reason = "VPC endpoint " + maybeEndpoint.ID + " may serve S3 for route table " + rt.ID
	case dnsless != nil:
		s.Path = Unknown
		s.Reason = "S3 is reachable only through interface endpoint " + dnsless.ID + "'s own DNS names (PrivateDnsEnabled is not set), and only if the code uses them"
	default:
		s.Path = None
		s.Reason = "route table " + rt.ID + " has no S3 gateway endpoint and no route to a NAT gateway"
	}
}

func destText(r *Route) string {
	switch {
	case r.PrefixList:
		return "a prefix list"
	case r.Dest == "":
		return "a destination set at deployment"
	}
	return r.Dest
}
