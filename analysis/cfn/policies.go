package cfn

import (
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

// Policies returns every policy document written in the template, in
// document order: role inline policies and trust policies, IAM policies,
// bucket, endpoint, key, queue and topic policies, and inline documents in
// SAM functions' Policies.
func (t *Template) Policies() []*iam.Policy {
	var out []*iam.Policy
	add := func(r *Resource, n *source.Node, kind iam.PolicyKind, name string) {
		if n == nil || n.Kind != source.Mapping {
			return
		}
		if f, _ := n.Intrinsic(); f != "" {
			return
		}
		p := iam.Parse(n, kind, t.Elements)
		p.Owner, p.Name = r.ID, name
		out = append(out, p)
	}
	for _, id := range t.Order {
		r := t.Resources[id]
		switch r.Type {
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			if r.Type == "AWS::IAM::Role" {
				add(r, r.Prop("AssumeRolePolicyDocument"), iam.Trust, "")
			}
			for _, it := range r.Prop("Policies").List() {
				name, _ := it.Get("PolicyName").Str()
				add(r, it.Get("PolicyDocument"), iam.Identity, name)
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			name, _ := r.Prop("PolicyName").Str()
			if name == "" {
				name, _ = r.Prop("ManagedPolicyName").Str()
			}
			add(r, r.Prop("PolicyDocument"), iam.Identity, name)
		case "AWS::S3::BucketPolicy":
			add(r, r.Prop("PolicyDocument"), iam.Bucket, "")
		case "AWS::EC2::VPCEndpoint":
			add(r, r.Prop("PolicyDocument"), iam.Endpoint, "")
		case "AWS::KMS::Key":
			add(r, r.Prop("KeyPolicy"), iam.KeyPolicy, "")
		case "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy":
			add(r, r.Prop("PolicyDocument"), iam.Resource, "")
		case "AWS::Serverless::Function", "AWS::Serverless::StateMachine":
			for _, it := range r.Prop("Policies").List() {
				if it.Kind == source.Mapping && it.Pair("Statement") != nil {
					add(r, it, iam.Identity, "")
				}
			}
		}
	}
	return out
}
