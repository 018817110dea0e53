// Package network decides how each Lambda function of a template reaches
// S3: over AWS's network (no VpcConfig), through an S3 gateway endpoint,
// through a NAT gateway, through an S3 interface endpoint — or not at all.
package network

import (
	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/source"
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

// Report is the network view of a template.
type Report struct {
	Functions map[string]*FunctionPath // by function logical id
}

// FunctionPath is one function's way to S3.
type FunctionPath struct {
	Function string
	Path     PathKind
	// Endpoint is the S3 VPC endpoint the function's requests go through
	// (gateway or interface), nil otherwise. Requests through it carry
	// aws:SourceVpce (its id) and aws:SourceVpc; its policy filters them.
	Endpoint *Endpoint
	VpcID    string // logical id of the VPC when known
	Span     source.Span
}

// Endpoint is an AWS::EC2::VPCEndpoint for S3.
type Endpoint struct {
	ID       string // logical id
	Gateway  bool
	Policy   *source.Node // PolicyDocument, nil = full access
	Resource *cfn.Resource
}

// Build classifies every function of the template.
func Build(t *cfn.Template) *Report {
	r := &Report{Functions: map[string]*FunctionPath{}}
	for _, f := range t.Functions() {
		fp := &FunctionPath{Function: f.ID, Path: Unknown, Span: f.KeySpan}
		if f.Prop("VpcConfig") == nil {
			fp.Path = AWSNetwork
		}
		r.Functions[f.ID] = fp
	}
	return r
}
