package network

import (
	"regexp"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// This file indexes the EC2 resources a VPC function's traffic passes:
// subnets, their route table associations, route tables and their routes,
// VPC endpoints and security groups. Everything is keyed by logical id;
// what the template does not declare (a subnet id from a parameter, the
// VPC's main route table) stays unknown.

// Subnet is an AWS::EC2::Subnet of the template.
type Subnet struct {
	ID       string
	Resource *cfn.Resource
	VpcID    string // logical id of the VPC, "" when not a template VPC
	// VpcNode is the VpcId value as written (a literal id, a parameter).
	VpcNode *source.Node
	// RouteTables are the route tables associated with the subnet by
	// AWS::EC2::SubnetRouteTableAssociation resources (normally one).
	RouteTables []string
	// Assoc are those associations, for related information.
	Assoc []*cfn.Resource
	// AssocUnknown: an association names this subnet with a route table
	// that is not a template resource (a parameter, an import).
	AssocUnknown bool
}

// RouteTable is an AWS::EC2::RouteTable of the template.
type RouteTable struct {
	ID       string
	Resource *cfn.Resource
	VpcID    string
	Routes   []*Route
	// Endpoints are the VPC endpoints whose RouteTableIds name this table.
	Endpoints []*Endpoint
}

// RouteTarget is where a route sends traffic.
type RouteTarget string

const (
	TargetNAT             RouteTarget = "NAT gateway"
	TargetInternet        RouteTarget = "internet gateway"
	TargetEgressOnly      RouteTarget = "egress-only internet gateway"
	TargetTransitGateway  RouteTarget = "transit gateway"
	TargetPeering         RouteTarget = "VPC peering connection"
	TargetInstance        RouteTarget = "instance"
	TargetInterface       RouteTarget = "network interface"
	TargetVpcEndpoint     RouteTarget = "VPC endpoint"
	TargetVPNGateway      RouteTarget = "virtual private gateway"
	TargetOther           RouteTarget = "gateway"
	TargetUnknownGateway  RouteTarget = "unknown gateway"
	TargetCarrierOrLocal  RouteTarget = "carrier or local gateway"
	TargetCoreNetworkPath RouteTarget = "core network"
)

// Route is an AWS::EC2::Route.
type Route struct {
	ID       string
	Resource *cfn.Resource
	// Dest is the destination CIDR ("0.0.0.0/0"), "" when written with a
	// parameter or another expression; IPv6 marks DestinationIpv6CidrBlock
	// and PrefixList DestinationPrefixListId.
	Dest       string
	IPv6       bool
	PrefixList bool
	Target     RouteTarget
	TargetID   string // logical id or literal id of the target
	// Conditional routes exist only when their Condition holds.
	Conditional bool
}

// ToAnywhere reports whether the route may carry traffic to S3's public
// addresses: a default route, or a destination the template leaves open.
func (r *Route) ToAnywhere() value.Tri {
	switch {
	case r.PrefixList:
		return value.Maybe
	case r.Dest == "":
		return value.Maybe
	case r.IPv6:
		if r.Dest == "::/0" {
			return value.True
		}
		return value.False
	case r.Dest == "0.0.0.0/0":
		return value.True
	case privateCIDR(r.Dest):
		return value.False
	}
	return value.Maybe // a public range: it might cover S3's
}

// privateCIDR reports whether an IPv4 CIDR lies in a private or shared
// range, where S3's public endpoints never are.
func privateCIDR(c string) bool {
	for _, p := range []string{"10.", "192.168.", "100.64.", "127."} {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	for i := 16; i <= 31; i++ {
		if strings.HasPrefix(c, "172."+itoa(i)+".") {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Endpoint is an AWS::EC2::VPCEndpoint for S3 (or one whose service the
// template leaves open: S3 is then Maybe).
type Endpoint struct {
	ID       string // logical id
	Gateway  bool
	Policy   *source.Node // PolicyDocument, nil = full access
	Resource *cfn.Resource

	// S3 is True for a service name that spells com.amazonaws.<region>.s3.
	S3 value.Tri
	// TypeKnown is false when VpcEndpointType is an expression.
	TypeKnown bool
	VpcID     string // logical id of the VPC, "" when unknown
	// RouteTables (gateway) are the template route tables in
	// RouteTableIds; RouteTablesOpen is set when some entry is not one.
	RouteTables     []string
	RouteTablesOpen bool
	RouteTableIDs   *source.Pair // the RouteTableIds entry, nil when absent
	// PrivateDNS (interface) is PrivateDnsEnabled; InboundOnly is DnsOptions
	// PrivateDnsOnlyForInboundResolverEndpoint, which defaults to on for S3:
	// in-VPC clients then keep using the gateway endpoint.
	PrivateDNS  value.Tri
	InboundOnly bool
	Conditional bool
}

// SecurityGroup is an AWS::EC2::SecurityGroup with its egress rules, inline
// and from AWS::EC2::SecurityGroupEgress resources.
type SecurityGroup struct {
	ID       string
	Resource *cfn.Resource
	// Inline is the SecurityGroupEgress property. Only inline rules replace
	// the allow-all egress rule EC2 adds to a new group; standalone
	// AWS::EC2::SecurityGroupEgress resources add to it.
	Inline *source.Node
	Egress []*EgressRule
}

// EgressRule is one egress rule and whether it lets HTTPS reach S3.
type EgressRule struct {
	Node *source.Node
	// HTTPS says whether the rule allows TCP 443 to 0.0.0.0/0 or to a
	// prefix list (the S3 one); Maybe when written with expressions.
	HTTPS value.Tri
	// AnyHTTPS says whether it allows TCP 443 to some destination, such as
	// the VPC's own range where an interface endpoint's addresses are.
	AnyHTTPS value.Tri
}

// vpcIndex holds the EC2 resources of one template.
type vpcIndex struct {
	t              *cfn.Template
	subnets        map[string]*Subnet
	routeTables    map[string]*RouteTable
	endpoints      []*Endpoint
	securityGroups map[string]*SecurityGroup
	vpcs           map[string]*cfn.Resource
}

func index(t *cfn.Template) *vpcIndex {
	x := &vpcIndex{t: t, subnets: map[string]*Subnet{}, routeTables: map[string]*RouteTable{},
		securityGroups: map[string]*SecurityGroup{}, vpcs: map[string]*cfn.Resource{}}
	var assocs, routes, egress []*cfn.Resource
	for _, id := range t.Order {
		r := t.Resources[id]
		if !strings.HasPrefix(r.Type, "AWS::EC2::") {
			continue
		}
		switch r.Type {
		case "AWS::EC2::VPC":
			x.vpcs[id] = r
		case "AWS::EC2::Subnet":
			x.subnets[id] = &Subnet{ID: id, Resource: r, VpcID: x.refOf(r.Prop("VpcId"), "AWS::EC2::VPC"), VpcNode: r.Prop("VpcId")}
		case "AWS::EC2::RouteTable":
			x.routeTables[id] = &RouteTable{ID: id, Resource: r, VpcID: x.refOf(r.Prop("VpcId"), "AWS::EC2::VPC")}
		case "AWS::EC2::SubnetRouteTableAssociation":
			assocs = append(assocs, r)
		case "AWS::EC2::Route":
			routes = append(routes, r)
		case "AWS::EC2::VPCEndpoint":
			x.endpoints = append(x.endpoints, x.endpoint(r))
		case "AWS::EC2::SecurityGroup":
			sg := &SecurityGroup{ID: id, Resource: r, Inline: r.Prop("SecurityGroupEgress")}
			for _, it := range sg.Inline.List() {
				sg.Egress = append(sg.Egress, x.egressRule(it))
			}
			x.securityGroups[id] = sg
		case "AWS::EC2::SecurityGroupEgress":
			egress = append(egress, r)
		}
	}
	for _, a := range assocs {
		sid := x.refOf(a.Prop("SubnetId"), "AWS::EC2::Subnet")
		s := x.subnets[sid]
		if s == nil {
			continue
		}
		s.Assoc = append(s.Assoc, a)
		if rt := x.refOf(a.Prop("RouteTableId"), "AWS::EC2::RouteTable"); rt != "" {
			s.RouteTables = append(s.RouteTables, rt)
		} else {
			s.AssocUnknown = true
		}
	}
	for _, r := range routes {
		rt := x.routeTables[x.refOf(r.Prop("RouteTableId"), "AWS::EC2::RouteTable")]
		if rt != nil {
			rt.Routes = append(rt.Routes, x.route(r))
		}
	}
	for _, e := range x.endpoints {
		for _, id := range e.RouteTables {
			if rt := x.routeTables[id]; rt != nil {
				rt.Endpoints = append(rt.Endpoints, e)
			}
		}
	}
	for _, r := range egress {
		if sg := x.securityGroups[x.refOf(r.Prop("GroupId"), "AWS::EC2::SecurityGroup")]; sg != nil {
			sg.Egress = append(sg.Egress, x.egressRule(r.Properties))
		}
	}
	return x
}

// refOf returns the logical id of the template resource of the given type
// that an expression names (`!Ref X`, `!GetAtt X.Attr`), or "".
func (x *vpcIndex) refOf(n *source.Node, typ string) string {
	fn, arg := n.Intrinsic()
	var id string
	switch fn {
	case "Ref":
		id, _ = arg.Str()
	case "Fn::GetAtt":
		id, _, _ = cfn.GetAttTarget(arg)
	default:
		return ""
	}
	if r, ok := x.t.Resources[id]; ok && r.Type == typ && !r.Implicit {
		return id
	}
	return ""
}

// s3Service matches S3 endpoint service names once the region is filled in.
var s3Service = regexp.MustCompile(`^(cn\.)?com\.amazonaws\.(\{region\}|[a-z]{2}(-[a-z]+)+-\d+)\.s3$`)

// serviceIsS3 reads a ServiceName in any spelling: literal, !Sub with
// ${AWS::Region}, !Join of the parts.
func (x *vpcIndex) serviceIsS3(n *source.Node) value.Tri {
	if n == nil {
		return value.False
	}
	v := x.t.EvalOne(n)
	var b strings.Builder
	open := false
	for _, p := range v.Parts {
		switch {
		case !p.Hole:
			b.WriteString(p.Lit)
		case p.Kind == value.Pseudo && p.Ref == "AWS::Region":
			b.WriteString("{region}")
		default:
			open = true
			b.WriteString("{?}")
		}
	}
	s := b.String()
	if s3Service.MatchString(s) {
		return value.True
	}
	if open && (strings.HasSuffix(s, ".s3") || strings.HasSuffix(s, "{?}")) {
		return value.Maybe
	}
	return value.False
}

func (x *vpcIndex) endpoint(r *cfn.Resource) *Endpoint {
	e := &Endpoint{ID: r.ID, Resource: r, Policy: r.Prop("PolicyDocument"), Gateway: true, TypeKnown: true,
		S3: x.serviceIsS3(r.Prop("ServiceName")), VpcID: x.refOf(r.Prop("VpcId"), "AWS::EC2::VPC"),
		Conditional: r.Condition != ""}
	if tn := r.Prop("VpcEndpointType"); tn != nil {
		s, ok := tn.Str()
		e.TypeKnown = ok
		e.Gateway = !ok || strings.EqualFold(s, "Gateway")
	}
	e.RouteTableIDs = r.Properties.Pair("RouteTableIds")
	if e.RouteTableIDs != nil {
		if v := e.RouteTableIDs.Value; v.Kind == source.Sequence {
			for _, it := range v.Items {
				if id := x.refOf(it, "AWS::EC2::RouteTable"); id != "" {
					e.RouteTables = append(e.RouteTables, id)
				} else {
					e.RouteTablesOpen = true
				}
			}
		} else {
			e.RouteTablesOpen = true
		}
	}
	e.PrivateDNS = boolTri(x.t, r.Prop("PrivateDnsEnabled"))
	e.InboundOnly = true
	if s, ok := r.Prop("DnsOptions").Get("PrivateDnsOnlyForInboundResolverEndpoint").Str(); ok && s == "AllResolvers" {
		e.InboundOnly = false
	}
	return e
}

// boolTri reads a Boolean property: absent is false.
func boolTri(t *cfn.Template, n *source.Node) value.Tri {
	if n == nil {
		return value.False
	}
	s, ok := t.EvalOne(n).Literal()
	if !ok {
		return value.Maybe
	}
	if strings.EqualFold(s, "true") {
		return value.True
	}
	return value.False
}

func (x *vpcIndex) route(r *cfn.Resource) *Route {
	rt := &Route{ID: r.ID, Resource: r, Conditional: r.Condition != ""}
	switch {
	case r.Prop("DestinationCidrBlock") != nil:
		rt.Dest, _ = x.t.EvalOne(r.Prop("DestinationCidrBlock")).Literal()
	case r.Prop("DestinationIpv6CidrBlock") != nil:
		rt.IPv6 = true
		rt.Dest, _ = x.t.EvalOne(r.Prop("DestinationIpv6CidrBlock")).Literal()
	case r.Prop("DestinationPrefixListId") != nil:
		rt.PrefixList = true
	}
	targets := []struct {
		prop, typ string
		kind      RouteTarget
	}{
		{"NatGatewayId", "AWS::EC2::NatGateway", TargetNAT},
		{"EgressOnlyInternetGatewayId", "AWS::EC2::EgressOnlyInternetGateway", TargetEgressOnly},
		{"TransitGatewayId", "AWS::EC2::TransitGateway", TargetTransitGateway},
		{"VpcPeeringConnectionId", "AWS::EC2::VPCPeeringConnection", TargetPeering},
		{"InstanceId", "AWS::EC2::Instance", TargetInstance},
		{"NetworkInterfaceId", "AWS::EC2::NetworkInterface", TargetInterface},
		{"VpcEndpointId", "AWS::EC2::VPCEndpoint", TargetVpcEndpoint},
		{"CarrierGatewayId", "AWS::EC2::CarrierGateway", TargetCarrierOrLocal},
		{"LocalGatewayId", "", TargetCarrierOrLocal},
		{"CoreNetworkArn", "", TargetCoreNetworkPath},
	}
	for _, tg := range targets {
		if n := r.Prop(tg.prop); n != nil {
			rt.Target, rt.TargetID = tg.kind, x.display(n, tg.typ)
			return rt
		}
	}
	if n := r.Prop("GatewayId"); n != nil {
		rt.Target, rt.TargetID = x.gatewayKind(n), x.display(n, "")
		return rt
	}
	rt.Target = TargetUnknownGateway
	return rt
}

// gatewayKind tells an internet gateway from a virtual private gateway in
// a route's GatewayId.
func (x *vpcIndex) gatewayKind(n *source.Node) RouteTarget {
	if id := x.refOf(n, "AWS::EC2::InternetGateway"); id != "" {
		return TargetInternet
	}
	if id := x.refOf(n, "AWS::EC2::VPNGateway"); id != "" {
		return TargetVPNGateway
	}
	if s, ok := x.t.EvalOne(n).Literal(); ok {
		switch {
		case strings.HasPrefix(s, "igw-"):
			return TargetInternet
		case strings.HasPrefix(s, "vgw-"):
			return TargetVPNGateway
		case s == "local":
			return TargetOther
		}
	}
	return TargetUnknownGateway
}

// display names what an expression refers to: a logical id, a literal id,
// or the expression as !Sub would write it.
func (x *vpcIndex) display(n *source.Node, typ string) string {
	fn, arg := n.Intrinsic()
	if fn == "Ref" || fn == "Fn::GetAtt" {
		id := ""
		if fn == "Ref" {
			id, _ = arg.Str()
		} else {
			id, _, _ = cfn.GetAttTarget(arg)
		}
		if _, ok := x.t.Resources[id]; ok {
			return id
		}
		if _, ok := x.t.Parameters[id]; ok {
			return "parameter " + id
		}
	}
	return x.t.EvalOne(n).String()
}

// egressRule decides whether one egress rule lets TCP 443 reach S3.
func (x *vpcIndex) egressRule(n *source.Node) *EgressRule {
	e := &EgressRule{Node: n, HTTPS: value.False, AnyHTTPS: value.False}
	if n == nil || n.Kind != source.Mapping {
		e.HTTPS, e.AnyHTTPS = value.Maybe, value.Maybe
		return e
	}
	proto, ok := x.t.EvalOne(n.Get("IpProtocol")).Literal()
	if !ok {
		e.HTTPS, e.AnyHTTPS = value.Maybe, value.Maybe
		return e
	}
	proto = strings.ToLower(proto)
	if proto != "-1" && proto != "tcp" && proto != "6" {
		return e
	}
	port := value.True
	if proto != "-1" {
		port = value.And(x.portAtMost(n.Get("FromPort"), true), x.portAtMost(n.Get("ToPort"), false))
	}
	dest := value.False
	switch {
	case n.Get("DestinationPrefixListId") != nil:
		dest = value.True // which prefix list only deployment says; S3's is the usual one
	case n.Get("CidrIp") != nil:
		if s, ok := x.t.EvalOne(n.Get("CidrIp")).Literal(); !ok {
			dest = value.Maybe
		} else if s == "0.0.0.0/0" {
			dest = value.True
		} else if !privateCIDR(s) {
			dest = value.Maybe
		}
	}
	e.HTTPS = value.And(port, dest)
	e.AnyHTTPS = port
	return e
}

// portAtMost checks FromPort <= 443 (from) or ToPort >= 443; -1 means all.
func (x *vpcIndex) portAtMost(n *source.Node, from bool) value.Tri {
	if n == nil {
		return value.Maybe
	}
	s, ok := x.t.EvalOne(n).Literal()
	if !ok {
		return value.Maybe
	}
	v := 0
	for i, c := range s {
		if c == '-' && i == 0 {
			return value.True
		}
		if c < '0' || c > '9' {
			return value.Maybe
		}
		v = v*10 + int(c-'0')
	}
	if from {
		return triOf(v <= 443)
	}
	return triOf(v >= 443)
}

func triOf(b bool) value.Tri {
	if b {
		return value.True
	}
	return value.False
}
