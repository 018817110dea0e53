// Package network decides how each Lambda function of a template reaches
// S3: over AWS's network (no VpcConfig), through an S3 gateway endpoint,
// through a NAT gateway, through an S3 interface endpoint — or not at all.
//
// A function in a VPC has no internet access of its own: Lambda's ENIs never
// get public IP addresses, even in a public subnet, so a default route to an
// internet gateway does not help it
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html).
// It reaches S3 only through a gateway endpoint on its subnets' route
// tables, a NAT gateway, or an interface endpoint. Build follows VpcConfig →
// SubnetIds → SubnetRouteTableAssociation → RouteTable → Route and
// VPCEndpoint, and keeps "unknown" whenever the template does not say.
package network

import (
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// PathKind is how a function's requests reach S3.
type PathKind string

const (
	AWSNetwork        PathKind = "aws-network"
	GatewayEndpoint   PathKind = "gateway-endpoint"
	NAT               PathKind = "nat"
	InterfaceEndpoint PathKind = "interface-endpoint"
	None              PathKind = "none"
	Unknown           PathKind = "unknown"
)

// rank orders path kinds from best to worst; a function whose subnets
// differ takes the worst of them.
func rank(k PathKind) int {
	switch k {
	case AWSNetwork:
		return 0
	case GatewayEndpoint:
		return 1
	case InterfaceEndpoint:
		return 2
	case NAT:
		return 3
	case Unknown:
		return 4
	}
	return 5 // None
}

// Worst returns the worse of two path kinds: none over unknown over nat
// over interface-endpoint over gateway-endpoint over aws-network.
func Worst(a, b PathKind) PathKind {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// Report is the network view of a template.
type Report struct {
	Functions map[string]*FunctionPath // by function logical id
	// Order is the function ids in document order.
	Order []string
	// Endpoints are the template's VPC endpoints that serve (or may serve) S3.
	Endpoints      []*Endpoint
	Subnets        map[string]*Subnet
	RouteTables    map[string]*RouteTable
	SecurityGroups map[string]*SecurityGroup
	// VPCs are the template's AWS::EC2::VPC resources by logical id.
	VPCs map[string]*cfn.Resource
}

// FunctionPath is one function's way to S3.
type FunctionPath struct {
	Function string
	Path     PathKind
	// Endpoint is the S3 VPC endpoint the function's requests go through
	// (gateway or interface), nil otherwise — also when different subnets
	// use different ways. Requests through it carry aws:SourceVpce (its id)
	// and aws:SourceVpc; its policy filters them. Requests over a NAT
	// gateway carry neither, and carry aws:SourceIp (the NAT's address).
	Endpoint *Endpoint
	VpcID    string      // logical id of the VPC when known
	Span     source.Span // the function's logical id

	// VpcConfig is the effective VpcConfig (SAM Globals merged), nil when
	// the function has none. VpcConfigKey is where its key is written: in
	// Globals when FromGlobals.
	VpcConfig    *source.Node
	VpcConfigKey source.Span
	FromGlobals  bool
	// Subnets is one entry per SubnetIds entry (or one for a SubnetIds
	// the template does not spell out), each with its own path.
	Subnets []*SubnetPath
	// SecurityGroups are the SecurityGroupIds entries; Egress says whether
	// they let HTTPS out towards S3 on this path (Maybe when unknown).
	SecurityGroups []*GroupRef
	Egress         value.Tri
	// Timeout is the function's Timeout in seconds (3 when not set);
	// TimeoutKnown is false when it is an expression.
	Timeout        int
	TimeoutKnown   bool
	TimeoutDefault bool
	// Reason explains an unknown path that does not come from one subnet
	// (VpcConfig chosen by a condition).
	Reason string
	// CapacityProvider is the logical id of the SAM capacity provider a
	// function on Lambda Managed Instances runs on: the provider's
	// VpcConfig, not the function's, decides its path.
	CapacityProvider string
}

// SubnetPath is the way to S3 from one of a function's subnets.
type SubnetPath struct {
	// Subnet is the subnet's logical id for template subnets (Known), or
	// how the entry is written ("parameter SubnetIds", "subnet-0abc").
	Subnet string
	Known  bool
	Node   *source.Node // the SubnetIds entry
	VpcID  string
	// RouteTable is the logical id of the subnet's route table, "" when the
	// template does not declare it (main route table, parameter).
	RouteTable string
	Path       PathKind
	Endpoint   *Endpoint // for gateway-endpoint and interface-endpoint
	// Route is the route that decides a nat or unknown path, if any.
	Route *Route
	// Internet is a default route to an internet gateway, which a Lambda
	// ENI cannot use; kept to say so.
	Internet *Route
	// Reason says in words what the subnet has or lacks.
	Reason string
}

// GroupRef is one SecurityGroupIds entry.
type GroupRef struct {
	ID    string // logical id, or the expression as written
	Group *SecurityGroup
	Node  *source.Node
}

// Build classifies every function of the template.
func Build(t *cfn.Template) *Report {
	x := index(t)
	r := &Report{Functions: map[string]*FunctionPath{}, Subnets: x.subnets, RouteTables: x.routeTables,
		SecurityGroups: x.securityGroups, VPCs: x.vpcs}
	for _, e := range x.endpoints {
		if e.S3 != value.False {
			r.Endpoints = append(r.Endpoints, e)
		}
	}
	for _, f := range t.Functions() {
		fp := &FunctionPath{Function: f.ID, Path: AWSNetwork, Span: f.KeySpan, Egress: value.True}
		fp.Timeout, fp.TimeoutKnown = timeout(t, f)
		fp.TimeoutDefault = f.Prop("Timeout") == nil
		if p := f.Props.Pair("VpcConfig"); p != nil {
			fp.VpcConfig, fp.VpcConfigKey, fp.FromGlobals = p.Value, p.KeySpan, f.FromGlobals["VpcConfig"]
			x.classify(r, fp, f, p.Value)
		} else if cp := f.Props.Pair("CapacityProviderConfig"); cp != nil && f.Prop("CapacityProviderConfig") != nil {
			managedInstances(t, x, r, fp, f, cp)
		}
		r.Functions[f.ID] = fp
		r.Order = append(r.Order, f.ID)
	}
	return r
}

// managedInstances classifies a function on Lambda Managed Instances: it
// runs on EC2 instances of its capacity provider, in the provider's
// subnets. A provider outside the template leaves the path unknown.
func managedInstances(t *cfn.Template, x *vpcIndex, r *Report, fp *FunctionPath, f *cfn.Function, cp *source.Pair) {
	fp.Path, fp.VpcConfigKey = Unknown, cp.KeySpan
	fp.Reason = "the function runs on Lambda Managed Instances of a capacity provider outside this template"
	for _, k := range []string{"Arn", "CapacityProviderArn"} {
		n := cp.Value.Get(k)
		if n == nil {
			continue
		}
		id := ""
		if fn, arg := n.Intrinsic(); fn == "Fn::GetAtt" {
			id, _, _ = cfn.GetAttTarget(arg)
		} else if fn == "Ref" {
			id, _ = arg.Str()
		}
		prov := t.Resources[id]
		if prov == nil {
			return
		}
		fp.CapacityProvider = prov.ID
		vp := prov.Properties.Pair("VpcConfig")
		if vp == nil || prov.Prop("VpcConfig") == nil {
			fp.Reason = "capacity provider " + prov.ID + " has no VpcConfig"
			return
		}
		fp.Reason = ""
		fp.VpcConfig = vp.Value
		x.classify(r, fp, f, vp.Value)
		return
	}
}

// timeout reads a function's Timeout; Lambda's default is 3 seconds.
func timeout(t *cfn.Template, f *cfn.Function) (int, bool) {
	n := f.Prop("Timeout")
	if n == nil {
		return 3, true
	}
	s, ok := t.EvalOne(n).Literal()
	if !ok {
		return 3, false
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 3, false
	}
	return v, true
}

// classify sets a VPC function's path from its VpcConfig. A VpcConfig
// chosen by Fn::If is classified per branch: branches that disagree make
// the path unknown when one of them has no way to S3, since the error would
// not hold on every deployment.
func (x *vpcIndex) classify(r *Report, fp *FunctionPath, f *cfn.Function, cfg *source.Node) {
	configs, conditional := x.alternatives(cfg)
	var kinds []PathKind
	for _, c := range configs {
		if c == nil {
			kinds = append(kinds, AWSNetwork)
			continue
		}
		kind, subnets := x.classifyConfig(c)
		kinds = append(kinds, kind)
		fp.Subnets = append(fp.Subnets, subnets...)
		for _, it := range c.Get("SecurityGroupIds").List() {
			g := &GroupRef{ID: x.display(it, "AWS::EC2::SecurityGroup"), Node: it}
			g.Group = r.SecurityGroups[x.refOf(it, "AWS::EC2::SecurityGroup")]
			fp.SecurityGroups = append(fp.SecurityGroups, g)
		}
	}
	fp.Path = kinds[0]
	for _, k := range kinds[1:] {
		if k != fp.Path {
			fp.Path = Worst(fp.Path, k)
			if fp.Path == None || fp.Path == AWSNetwork {
				fp.Path = Unknown
			}
			fp.Reason = "VpcConfig depends on a condition"
		}
	}
	if conditional && fp.Reason == "" && len(kinds) > 1 {
		fp.Reason = "VpcConfig depends on a condition"
	}
	for _, s := range fp.Subnets {
		if fp.VpcID == "" {
			fp.VpcID = s.VpcID
		}
	}
	if fp.Path == GatewayEndpoint || fp.Path == InterfaceEndpoint {
		var e *Endpoint
		same := true
		for _, s := range fp.Subnets {
			if e == nil {
				e = s.Endpoint
			} else if s.Endpoint != e {
				same = false
			}
		}
		if same {
			fp.Endpoint = e
		}
	}
	fp.Egress = x.egress(fp)
}

// alternatives returns the VpcConfig mappings a value may be: itself, or
// each branch of Fn::If (nil for AWS::NoValue).
func (x *vpcIndex) alternatives(n *source.Node) ([]*source.Node, bool) {
	fn, arg := n.Intrinsic()
	switch fn {
	case "Fn::If":
		if arg.Kind == source.Sequence && len(arg.Items) == 3 {
			a, _ := x.alternatives(arg.Items[1])
			b, _ := x.alternatives(arg.Items[2])
			return append(a, b...), true
		}
	case "Ref":
		if s, _ := arg.Str(); s == "AWS::NoValue" {
			return []*source.Node{nil}, false
		}
	}
	if n.Kind != source.Mapping || fn != "" {
		// VpcConfig from an expression: in a VPC, nothing else known.
		return []*source.Node{{Kind: source.Mapping, Span: n.Span, Pairs: []source.Pair{{Key: "SubnetIds", Value: n}}}}, false
	}
	return []*source.Node{n}, false
}

// classifyConfig classifies one VpcConfig mapping: the worst of its subnets.
func (x *vpcIndex) classifyConfig(c *source.Node) (PathKind, []*SubnetPath) {
	ids := c.Get("SubnetIds")
	if ids == nil || (ids.Kind == source.Sequence && len(ids.Items) == 0) {
		// Lambda detaches a function whose VpcConfig lists no subnets.
		return AWSNetwork, nil
	}
	var subnets []*SubnetPath
	if ids.Kind != source.Sequence {
		s := &SubnetPath{Subnet: x.display(ids, "AWS::EC2::Subnet"), Node: ids, Path: Unknown}
		if id := x.refOf(ids, "AWS::EC2::Subnet"); id != "" {
			s.Subnet = id // a single subnet written without a list
			x.classifySubnet(s, x.subnets[id])
		} else {
			s.Reason = "the subnets come from " + s.Subnet + ", so their route tables are unknown"
		}
		subnets = append(subnets, s)
	} else {
		for _, it := range ids.Items {
			s := &SubnetPath{Node: it, Path: Unknown}
			if id := x.refOf(it, "AWS::EC2::Subnet"); id != "" {
				s.Subnet = id
				x.classifySubnet(s, x.subnets[id])
			} else {
				s.Subnet = x.display(it, "AWS::EC2::Subnet")
				s.Reason = outsideReason(s.Subnet)
			}
			subnets = append(subnets, s)
		}
	}
	// With Ipv6AllowedForDualStack an egress-only internet gateway reaches
	// S3's dual-stack endpoints, if the code uses them.
	if dual := boolTri(x.t, c.Get("Ipv6AllowedForDualStack")); dual != value.False {
		for _, s := range subnets {
			if s.Path != None {
				continue
			}
			for _, r := range x.routeTables[s.RouteTable].Routes {
				if r.Target == TargetEgressOnly && r.ToAnywhere() != value.False {
					s.Path, s.Route = Unknown, r
					s.Reason = "route table " + s.RouteTable + " reaches S3 only over IPv6 through egress-only internet gateway " + r.TargetID + ", if the code uses S3's dual-stack endpoints"
					break
				}
			}
		}
	}
	kind := subnets[0].Path
	for _, s := range subnets[1:] {
		kind = Worst(kind, s.Path)
	}
	return kind, subnets
}

func outsideReason(shown string) string {
	if p, ok := strings.CutPrefix(shown, "parameter "); ok {
		return "the subnet comes from parameter " + p + ", so its route table is unknown"
	}
	return "subnet " + shown + " is not in the template, so its route table is unknown"
}

// egress decides whether the function's security groups let HTTPS reach
// S3 on its path. A group without inline egress rules keeps EC2's
// allow-all rule; security groups are permissive, so one allowing is enough.
func (x *vpcIndex) egress(fp *FunctionPath) value.Tri {
	if fp.Path == AWSNetwork {
		return value.True
	}
	if len(fp.SecurityGroups) == 0 {
		return value.Maybe
	}
	out := value.False
	for _, g := range fp.SecurityGroups {
		if g.Group == nil || g.Group.Resource.Condition != "" {
			out = value.Or(out, value.Maybe)
			continue
		}
		if g.Group.Inline == nil || len(g.Group.Inline.List()) == 0 || g.Group.Inline.Kind != source.Sequence {
			if g.Group.Inline != nil && g.Group.Inline.Kind != source.Sequence {
				out = value.Or(out, value.Maybe)
				continue
			}
			return value.True
		}
		for _, e := range g.Group.Egress {
			if fp.Path == InterfaceEndpoint {
				out = value.Or(out, e.AnyHTTPS)
			} else {
				out = value.Or(out, e.HTTPS)
			}
		}
	}
	return out
}
