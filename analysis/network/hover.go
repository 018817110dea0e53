package network

import (
	"fmt"
	"strings"
)

// Hover draws a function's way to S3 in text, one line per subnet, e.g.
//
//	ExportFunction (subnet PrivateSubnetA) → route table PrivateRouteTable → S3 gateway endpoint S3Endpoint → ReportsBucket
//
// or says what is missing, with the cost and security note for NAT.
// buckets, when given, name what the path leads to (from the access
// report); otherwise the line ends at "S3". It returns "" for an unknown
// function.
func (r *Report) Hover(fnID string, markdown bool, buckets ...string) string {
	if r == nil {
		return ""
	}
	fp := r.Functions[fnID]
	if fp == nil {
		return ""
	}
	code := func(s string) string {
		if markdown {
			return "`" + s + "`"
		}
		return s
	}
	dest := "S3"
	if len(buckets) > 0 {
		var bs []string
		for _, b := range buckets {
			bs = append(bs, code(b))
		}
		dest = strings.Join(bs, ", ")
	}
	var b strings.Builder
	head := "Network path to S3: " + string(fp.Path)
	if markdown {
		head = "**Network path to S3:** " + code(string(fp.Path))
	}
	b.WriteString(head + "\n\n")
	if fp.Path == AWSNetwork {
		fmt.Fprintf(&b, "%s has no VpcConfig: it runs in a Lambda-owned VPC and reaches %s over AWS's network.\n", code(fnID), dest)
		return b.String()
	}
	lines := make([]string, 0, len(fp.Subnets))
	for _, s := range fp.Subnets {
		lines = append(lines, subnetLine(fnID, s, dest, code))
	}
	if fp.Reason != "" {
		lines = append(lines, fp.Reason+".")
	}
	if markdown {
		for i, l := range lines {
			lines[i] = "- " + l
		}
	}
	b.WriteString(strings.Join(lines, "\n") + "\n")
	if note := pathNote(fp, code); note != "" {
		b.WriteString("\n" + note + "\n")
	}
	return b.String()
}

func subnetLine(fnID string, s *SubnetPath, dest string, code func(string) string) string {
	start := code(fnID) + " (subnet " + code(s.Subnet) + ")"
	rt := ""
	if s.RouteTable != "" {
		rt = " → route table " + code(s.RouteTable)
	}
	switch s.Path {
	case GatewayEndpoint:
		return start + rt + " → S3 gateway endpoint " + code(s.Endpoint.ID) + " → " + dest
	case InterfaceEndpoint:
		return start + " → S3 interface endpoint " + code(s.Endpoint.ID) + " (private DNS) → " + dest
	case NAT:
		return start + rt + " → NAT gateway " + code(s.Route.TargetID) + " → " + dest + " (public endpoint)"
	case None:
		missing := " ✗ no S3 gateway endpoint and no route to a NAT gateway"
		if s.Internet != nil {
			missing += " (the default route to internet gateway " + code(s.Internet.TargetID) + " does not help: Lambda's network interfaces have no public IP)"
		}
		return start + rt + missing
	}
	return start + rt + " → ? " + s.Reason
}

// pathNote is what the path means for the function: the cost and exposure
// of NAT, the timeout of no path.
func pathNote(fp *FunctionPath, code func(string) string) string {
	switch fp.Path {
	case NAT:
		return "S3 traffic leaves the VPC through the NAT gateway: NAT charges per GB processed, and requests reach " +
			"S3's public endpoint (they carry aws:SourceIp, not aws:SourceVpce). An S3 gateway endpoint is free and keeps the traffic in the VPC."
	case None:
		return fmt.Sprintf("S3 calls hang until they time out: %s fails after its %s.", code(fp.Function), timeoutText(fp))
	case GatewayEndpoint, InterfaceEndpoint:
		if fp.Endpoint != nil {
			note := "Requests carry aws:SourceVpce = " + code(fp.Endpoint.ID) + " and aws:SourceVpc"
			if fp.Endpoint.Policy != nil {
				note += "; the endpoint's policy must allow them too"
			}
			return note + "."
		}
	}
	return ""
}

func timeoutText(fp *FunctionPath) string {
	switch {
	case !fp.TimeoutKnown:
		return "Timeout"
	case fp.TimeoutDefault:
		return "default Timeout of 3 s"
	}
	return fmt.Sprintf("Timeout of %d s", fp.Timeout)
}

// TimeoutText says how long a function without a path waits before it
// fails, for messages.
func (fp *FunctionPath) TimeoutText() string { return timeoutText(fp) }
