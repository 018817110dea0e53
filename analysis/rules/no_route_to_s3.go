package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

var noRouteToS3 = register(&Rule{
	ID:       "no-route-to-s3",
	Severity: diag.Error,
	Summary:  "A Lambda function in a VPC uses S3, but its subnets have no route to S3: every S3 call times out.",
	Doc: "A function with `VpcConfig` runs its network interfaces in your subnets and loses the internet access " +
		"Lambda otherwise gives it; Lambda's interfaces never get public IP addresses, so a route to an internet " +
		"gateway does not help either. It reaches S3 only through an S3 gateway endpoint on its subnets' route " +
		"tables, a `0.0.0.0/0` route to a NAT gateway, or an S3 interface endpoint with private DNS. When every " +
		"route table of a subnet is in the template and has none of them, S3 calls hang until the SDK gives up " +
		"or the function hits its `Timeout` (\"Task timed out after N seconds\"). The rule follows `VpcConfig` " +
		"(SAM `Globals` included) → `SubnetIds` → `AWS::EC2::SubnetRouteTableAssociation` → `AWS::EC2::Route` " +
		"and `AWS::EC2::VPCEndpoint`; subnets or route tables from parameters, imports or the VPC's main route " +
		"table are unknown and never reported. The fix adds a free S3 gateway endpoint for the subnets' route " +
		"tables, or adds them to the VPC's existing one.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkNoRouteToS3,
})

func checkNoRouteToS3(c *Context) {
	if c.Network == nil {
		return
	}
	for _, id := range c.Network.Order {
		fp := c.Network.Functions[id]
		if fp.Path != network.None || !usesS3(c, id) {
			continue
		}
		var bad []string
		var related []diag.Related
		seen := map[string]bool{}
		internet := ""
		for _, s := range fp.Subnets {
			if s.Path != network.None {
				continue
			}
			bad = append(bad, "subnet "+s.Subnet+" (route table "+s.RouteTable+")")
			if s.Internet != nil && internet == "" {
				internet = s.Internet.TargetID
			}
			if rt := c.Network.RouteTables[s.RouteTable]; rt != nil && !seen[rt.ID] {
				seen[rt.ID] = true
				related = append(related, diag.Related{Span: rt.Resource.KeySpan,
					Message: "Route table " + rt.ID + " has no S3 gateway endpoint and no route to a NAT gateway."})
			}
		}
		msg := fmt.Sprintf("%s uses S3, but %s %s no S3 gateway endpoint and no route to a NAT gateway",
			id, joinAnd(bad), plural(len(bad), "has", "have"))
		if internet != "" {
			msg += fmt.Sprintf(" (the default route to internet gateway %s does not help: Lambda's network interfaces get no public IP)", internet)
		}
		if len(bad) == len(fp.Subnets) {
			msg += fmt.Sprintf(". Every S3 call hangs until it times out, and the function fails after its %s.", fp.TimeoutText())
		} else {
			msg += fmt.Sprintf(". S3 calls from network interfaces in %s hang until they time out, and those invocations fail after the function's %s.",
				plural(len(bad), "that subnet", "those subnets"), fp.TimeoutText())
		}
		msg += " Add an S3 gateway endpoint (free) for the route tables, or a NAT gateway route."
		var fixes []diag.Fix
		if fx, ok := gatewayEndpointFix(c, fp); ok {
			fixes = append(fixes, fx)
		}
		f := c.Report(vpcConfigSpan(fp), msg, fixes...)
		f.Related = related
	}
}

// usesS3 reports whether the access model says the function uses S3.
func usesS3(c *Context, fnID string) bool {
	fa := c.Access.Function(fnID)
	return fa != nil && fa.UsesS3
}

// vpcConfigSpan is where network findings about a function go: its
// VpcConfig key, or its logical id when VpcConfig comes from Globals.
func vpcConfigSpan(fp *network.FunctionPath) source.Span {
	if fp.VpcConfig != nil && !fp.FromGlobals {
		return fp.VpcConfigKey
	}
	return fp.Span
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// gatewayEndpointFix adds an S3 gateway endpoint for every route table of
// the function that lacks one — or adds those route tables to the S3
// gateway endpoint the VPC already has. Subnets outside the template get a
// parameter for their route table ids (and one for the VPC id when no
// subnet names the VPC).
func gatewayEndpointFix(c *Context, fp *network.FunctionPath) (diag.Fix, bool) {
	t, net := c.Template, c.Network
	var tables []string
	seen := map[string]bool{}
	outside := false
	vpc := fp.VpcID
	for _, s := range fp.Subnets {
		switch {
		case s.Path == network.GatewayEndpoint:
		case s.RouteTable != "":
			if !seen[s.RouteTable] {
				seen[s.RouteTable] = true
				tables = append(tables, s.RouteTable)
			}
			if vpc == "" {
				vpc = net.RouteTables[s.RouteTable].VpcID
			}
		case !s.Known:
			outside = true
		}
	}
	if len(tables) == 0 && !outside {
		return diag.Fix{}, false
	}
	var refs []edit.Value
	for _, rt := range tables {
		refs = append(refs, edit.RefTo(rt))
	}
	// The VPC's own S3 gateway endpoint, when it has one, takes the tables.
	if vpc != "" && !outside {
		for _, e := range net.Endpoints {
			if !e.Gateway || e.S3 != value.True || e.VpcID != vpc || e.Conditional {
				continue
			}
			title := fmt.Sprintf("Add %s to S3 gateway endpoint %s", joinAnd(tables), e.ID)
			if e.RouteTableIDs != nil {
				if ed, ok := edit.AppendItems(c.Doc, e.RouteTableIDs.Value, refs...); ok {
					return diag.Fix{Title: title, Edits: []diag.Edit{ed}, Preferred: true}, true
				}
				continue
			}
			if ed, ok := edit.InsertEntry(c.Doc, e.Resource.Properties, "RouteTableIds", edit.List(refs...)); ok {
				return diag.Fix{Title: title, Edits: []diag.Edit{ed}, Preferred: true}, true
			}
		}
	}
	name := vpc
	if name == "" {
		name = fp.Function
	}
	id := uniqueID(c, name+"S3GatewayEndpoint")
	// A VPC outside the template is named the way the subnets name it;
	// with no subnet in the template, a parameter asks for it.
	var vpcRef *edit.Value
	if vpc != "" {
		v := edit.RefTo(vpc)
		vpcRef = &v
	} else {
		for _, s := range fp.Subnets {
			if sub := net.Subnets[s.Subnet]; s.Known && sub != nil && sub.VpcNode != nil {
				raw := strings.TrimSpace(string(c.Doc.Text[sub.VpcNode.Span.Start:sub.VpcNode.Span.End]))
				if raw != "" && !strings.ContainsAny(raw, "\n\r") {
					v := edit.Raw(raw)
					vpcRef = &v
					break
				}
			}
		}
	}
	params, edits, vpcValue := endpointParameters(c, id, vpcRef, outside)
	routeTables := edit.List(refs...)
	if outside {
		p := edit.RefTo(id + "RouteTableIds")
		if len(refs) == 0 {
			routeTables = p
		} else {
			// Known tables and a list parameter: CloudFormation has no list
			// concatenation, so join both and split again.
			all := append(append([]edit.Value{}, refs...), edit.Fn("Fn::Join", edit.List(edit.Str(","), p)))
			routeTables = edit.Fn("Fn::Split", edit.List(edit.Str(","), edit.Fn("Fn::Join", edit.List(edit.Str(","), edit.List(all...)))))
		}
	}
	res := edit.Map(
		edit.Field{Key: "Type", Value: edit.Str("AWS::EC2::VPCEndpoint")},
		edit.Field{Key: "Properties", Value: edit.Map(
			edit.Field{Key: "VpcEndpointType", Value: edit.Str("Gateway")},
			edit.Field{Key: "ServiceName", Value: edit.Val(edit.Sub("com.amazonaws.${AWS::Region}.s3"))},
			edit.Field{Key: "VpcId", Value: vpcValue},
			edit.Field{Key: "RouteTableIds", Value: routeTables},
		)},
	)
	ed, ok := edit.InsertEntry(c.Doc, t.ResourcesPair.Value, id, res)
	if !ok {
		return diag.Fix{}, false
	}
	edits = append(edits, ed)
	what := joinAnd(tables)
	if outside {
		if what != "" {
			what += " and "
		}
		what += "the route tables of subnets outside the template"
	}
	title := "Add an S3 gateway endpoint for " + what
	if len(params) > 0 {
		title += fmt.Sprintf(" (adds %s %s)", plural(len(params), "parameter", "parameters"), joinAnd(params))
	}
	return diag.Fix{Title: title, Edits: edits, Preferred: true}, true
}

// endpointParameters adds the parameters a new endpoint needs when the
// template does not hold the VPC or the route tables, and returns the VpcId
// value to use.
func endpointParameters(c *Context, id string, vpc *edit.Value, outside bool) ([]string, []diag.Edit, edit.Value) {
	var vpcRef edit.Value
	var fields []edit.Field
	var names []string
	if vpc != nil {
		vpcRef = *vpc
	} else {
		p := uniqueID(c, id+"VpcId")
		vpcRef = edit.RefTo(p)
		names = append(names, p)
		fields = append(fields, edit.Field{Key: p, Value: edit.Map(
			edit.Field{Key: "Type", Value: edit.Str("AWS::EC2::VPC::Id")},
			edit.Field{Key: "Description", Value: edit.Str("VPC of the function's subnets, for the S3 gateway endpoint")},
		)})
	}
	if outside {
		p := id + "RouteTableIds"
		names = append(names, p)
		fields = append(fields, edit.Field{Key: p, Value: edit.Map(
			edit.Field{Key: "Type", Value: edit.Str("CommaDelimitedList")},
			edit.Field{Key: "Description", Value: edit.Str("Route tables of the function's subnets, for the S3 gateway endpoint")},
		)})
	}
	if len(fields) == 0 {
		return nil, nil, vpcRef
	}
	var edits []diag.Edit
	if ps := c.Template.Root.Get("Parameters"); ps != nil && ps.Kind == source.Mapping && len(ps.Pairs) > 0 {
		for _, f := range fields {
			if ed, ok := edit.InsertEntry(c.Doc, ps, f.Key, f.Value); ok {
				edits = append(edits, ed)
			}
		}
	} else {
		edits = append(edits, edit.InsertEntryBefore(c.Doc, c.Template.ResourcesPair, "Parameters", edit.Map(fields...)))
	}
	// Several insertions after the same last parameter must be one edit.
	if len(edits) > 1 {
		merged := edits[0]
		for _, e := range edits[1:] {
			merged.NewText += e.NewText
		}
		edits = []diag.Edit{merged}
	}
	return names, edits, vpcRef
}

// uniqueID returns base, or base2, base3 … so that no resource, parameter
// or output of the template has that logical id.
func uniqueID(c *Context, base string) string {
	taken := func(id string) bool {
		if _, ok := c.Template.Resources[id]; ok {
			return true
		}
		_, ok := c.Template.Parameters[id]
		return ok
	}
	id := base
	for i := 2; taken(id); i++ {
		id = fmt.Sprintf("%s%d", base, i)
	}
	return id
}
