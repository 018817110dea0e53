package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

var samS3EventCircular = register(&Rule{
	ID:       "sam-s3-event-circular",
	Severity: diag.Error,
	Summary:  "A SAM function triggered by a bucket's S3 event also refers to that bucket: circular dependency at deploy.",
	Doc: "An `S3` event of an `AWS::Serverless::Function` makes the bucket depend on the function (its " +
		"notification configuration names the function). When the function also refers to the bucket — " +
		"`S3ReadPolicy: {BucketName: !Ref Uploads}` in `Policies`, `!Ref Uploads` in `Environment` — the " +
		"function depends on the bucket too, and CloudFormation stops with \"Circular dependency between " +
		"resources\". Give the bucket a fixed `BucketName` (for example `!Sub '${AWS::StackName}-uploads'`) " +
		"and use that same name in the function, or a parameter, instead of `!Ref` or `!GetAtt` of the bucket.",
	Kinds: []diag.Kind{diag.KindSAM},
	Check: checkSAMS3EventCircular,
})

func checkSAMS3EventCircular(c *Context) {
	for _, f := range c.Template.Functions() {
		if !f.Serverless {
			continue
		}
		events := f.Props.Get("Events")
		if events == nil || events.Kind != source.Mapping {
			continue
		}
		for _, ev := range events.Pairs {
			if t, _ := ev.Value.Get("Type").Str(); t != "S3" {
				continue
			}
			bn := ev.Value.Get("Properties").Get("Bucket")
			fn, arg := bn.Intrinsic()
			if fn != "Ref" {
				continue
			}
			id, _ := arg.Str()
			if r := c.Template.Resources[id]; r == nil || r.Type != "AWS::S3::Bucket" {
				continue
			}
			for _, p := range f.Props.Pairs {
				if p.Key == "Events" {
					continue
				}
				if ref := firstReference(p.Value, id); ref != nil {
					msg := fmt.Sprintf("%s's S3 event %s is on bucket %s, and its %s refers to %s too: the bucket then depends on the function and the function on the bucket, and CloudFormation fails with \"Circular dependency between resources\". Give %s a fixed BucketName (e.g. !Sub '${AWS::StackName}-%s') and use that name here instead of referring to the bucket.",
						f.ID, ev.Key, id, p.Key, id, id, strings.ToLower(id))
					fd := c.Report(ref.Span, msg)
					fd.Related = []diag.Related{{Span: bn.Span, Message: fmt.Sprintf("The S3 event %s of %s names bucket %s here.", ev.Key, f.ID, id)}}
					break
				}
			}
		}
	}
}

// firstReference finds the first Ref, GetAtt or Sub variable that names
// the resource id below n.
func firstReference(n *source.Node, id string) *source.Node {
	var found *source.Node
	source.Walk(n, func(x *source.Node) bool {
		if found != nil {
			return false
		}
		fn, arg := x.Intrinsic()
		switch fn {
		case "Ref":
			if s, _ := arg.Str(); s == id {
				found = x
			}
		case "Fn::GetAtt":
			if target, _, ok := cfn.GetAttTarget(arg); ok && target == id {
				found = x
			}
		case "Fn::Sub":
			tmpl := arg
			if arg != nil && arg.Kind == source.Sequence && len(arg.Items) > 0 {
				tmpl = arg.Items[0]
			}
			if s, ok := tmpl.Str(); ok {
				for _, seg := range cfn.SplitSub(s) {
					if seg.Var && (seg.Text == id || strings.HasPrefix(seg.Text, id+".")) {
						found = x
					}
				}
			}
		}
		return found == nil
	})
	return found
}
