package rules

import (
	"strconv"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/source"
)

var missingPublicAccessBlock = register(&Rule{
	ID:       "missing-public-access-block",
	Severity: diag.Hint,
	Summary:  "A bucket without PublicAccessBlockConfiguration: the defaults apply, but the intent is not written down.",
	Doc: "An `AWS::S3::Bucket` has no `PublicAccessBlockConfiguration`. Since April 2023 every new bucket " +
		"gets all four Block Public Access settings turned on (`BlockPublicAcls`, `IgnorePublicAcls`, " +
		"`BlockPublicPolicy`, `RestrictPublicBuckets`), so the bucket is private by default — but a reviewer " +
		"cannot see that in the template, and an existing bucket imported into the stack keeps whatever it had. " +
		"Writing the four settings down keeps the intent reviewable. The fix adds them, all true.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkMissingPublicAccessBlock,
})

func checkMissingPublicAccessBlock(c *Context) {
	if c.Access == nil {
		return
	}
	for _, b := range c.Access.Buckets {
		if !b.BPA.Default || b.Resource == nil {
			continue
		}
		// Plain concatenation: this runs for every bucket of a template.
		msg := b.ID + " has no PublicAccessBlockConfiguration. New buckets get all four Block Public Access settings on by default, " +
			"so it is private; write them down to keep that intent reviewable."
		if fx, ok := insertBPAFix(c, b.Resource.Properties, b.Resource.Node, "Add PublicAccessBlockConfiguration to "+b.ID+" with all four settings on", [4]bool{true, true, true, true}); ok {
			c.Report(b.Resource.KeySpan, msg, fx)
		} else {
			c.Report(b.Resource.KeySpan, msg)
		}
	}
}

// bpaValue is a PublicAccessBlockConfiguration value; on is in the order
// BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets.
func bpaValue(on [4]bool) edit.Value {
	names := [4]string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}
	fields := make([]edit.Field, len(names))
	for i, n := range names {
		fields[i] = edit.Field{Key: n, Value: edit.Raw(strconv.FormatBool(on[i]))}
	}
	return edit.Map(fields...)
}

// insertBPAFix adds PublicAccessBlockConfiguration to a bucket's
// Properties (or adds Properties to the resource).
func insertBPAFix(c *Context, props, resource *source.Node, title string, on [4]bool) (diag.Fix, bool) {
	var e diag.Edit
	var ok bool
	if props != nil {
		e, ok = edit.InsertEntry(c.Doc, props, "PublicAccessBlockConfiguration", bpaValue(on))
	} else {
		e, ok = edit.InsertEntry(c.Doc, resource, "Properties", edit.Map(edit.Field{Key: "PublicAccessBlockConfiguration", Value: bpaValue(on)}))
	}
	if !ok {
		return diag.Fix{}, false
	}
	return diag.Fix{Title: title, Edits: []diag.Edit{e}, Preferred: true}, true
}
