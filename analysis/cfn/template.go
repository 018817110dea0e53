// Package cfn is the CloudFormation and SAM template model: parameters,
// resources, conditions and globals, and the evaluation of intrinsic
// functions to symbolic values, so that rules see through `!GetAtt B.Arn`
// and `!Sub '${B.Arn}/*'` the way CloudFormation will.
package cfn

import (
	"sort"
	"strings"
	"sync"

	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// SAMTransform is the transform that makes a template a SAM template.
const SAMTransform = "AWS::Serverless-2016-10-31"

// Template is a parsed CloudFormation or SAM template.
type Template struct {
	Doc  *source.Document
	Root *source.Node
	SAM  bool

	Parameters map[string]*Parameter
	ParamOrder []string
	Resources  map[string]*Resource
	Order      []string // resource logical ids in document order
	Outputs    []*Output
	Conditions map[string]*source.Node
	Mappings   *source.Node
	// GlobalsFunction is SAM's Globals.Function section, merged into every
	// AWS::Serverless::Function the SAM way (see globals.go).
	GlobalsFunction *source.Node

	ResourcesPair *source.Pair // the "Resources" entry, for fixes that add resources

	// functions are the template's functions with Globals merged, built
	// once: rules, the network model and the reasoner all walk them.
	functionsOnce sync.Once
	functions     []*Function

	// getAtts are the values GetAtt has built; hovers may ask concurrently.
	getAttMu sync.Mutex
	getAtts  map[getAttKey]value.Str
}

// Parameter is one template parameter.
type Parameter struct {
	ID      string
	KeySpan source.Span
	Node    *source.Node
	Type    string
	Default *source.Node
}

// Resource is one entry of Resources.
type Resource struct {
	ID         string
	KeySpan    source.Span
	Node       *source.Node
	Type       string
	TypeNode   *source.Node
	Properties *source.Node // may be nil
	Metadata   *source.Node
	Condition  string
	// Implicit resources are not written in the template but created by
	// the SAM transform (a function's generated role <Function>Role).
	Implicit bool
	// Origin is the resource an implicit one is generated for.
	Origin string
}

// Prop returns a property of the resource, or nil. A property set to null
// counts as absent, as it does for CloudFormation and SAM.
func (r *Resource) Prop(name string) *source.Node {
	if r == nil {
		return nil
	}
	return present(r.Properties.Get(name))
}

// present is n, or nil when n is missing or null.
func present(n *source.Node) *source.Node {
	if n == nil || (n.Kind == source.Scalar && n.ScalarType == source.Null) {
		return nil
	}
	return n
}

// Output is one entry of Outputs.
type Output struct {
	ID      string
	KeySpan source.Span
	Node    *source.Node
}

// IsTemplate reports whether a parsed document looks like a CloudFormation
// template: AWSTemplateFormatVersion, or Resources whose entries have
// AWS::-typed Type values.
func IsTemplate(root *source.Node) bool {
	if root == nil || root.Kind != source.Mapping {
		return false
	}
	if root.Pair("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := root.Get("Resources")
	if res == nil || res.Kind != source.Mapping {
		return false
	}
	for _, p := range res.Pairs {
		if t, ok := p.Value.Get("Type").Str(); ok && (strings.HasPrefix(t, "AWS::") || strings.HasPrefix(t, "Custom::")) {
			return true
		}
	}
	return false
}

// IsSAM reports whether the template's Transform includes the SAM transform.
func IsSAM(root *source.Node) bool {
	tr := root.Get("Transform")
	if tr == nil {
		return false
	}
	for _, it := range tr.List() {
		if s, ok := it.Str(); ok && s == SAMTransform {
			return true
		}
		// Transform entries may also be {Name: ..., Parameters: ...}.
		if s, ok := it.Get("Name").Str(); ok && s == SAMTransform {
			return true
		}
	}
	return false
}

// Build reads the template model from a parsed document. It never fails:
// sections that are not mappings are treated as empty.
func Build(doc *source.Document) *Template {
	t := &Template{
		Doc:        doc,
		Root:       doc.Root,
		Parameters: map[string]*Parameter{},
		Resources:  map[string]*Resource{},
		Conditions: map[string]*source.Node{},
	}
	root := doc.Root
	if root == nil || root.Kind != source.Mapping {
		return t
	}
	t.SAM = IsSAM(root)
	if ps := root.Get("Parameters"); ps != nil && ps.Kind == source.Mapping {
		for _, p := range ps.Pairs {
			if _, dup := t.Parameters[p.Key]; dup {
				continue
			}
			typ, _ := p.Value.Get("Type").Str()
			t.Parameters[p.Key] = &Parameter{ID: p.Key, KeySpan: p.KeySpan, Node: p.Value, Type: typ, Default: p.Value.Get("Default")}
			t.ParamOrder = append(t.ParamOrder, p.Key)
		}
	}
	if cs := root.Get("Conditions"); cs != nil && cs.Kind == source.Mapping {
		for _, p := range cs.Pairs {
			t.Conditions[p.Key] = p.Value
		}
	}
	t.Mappings = root.Get("Mappings")
	if g := root.Get("Globals"); g != nil {
		t.GlobalsFunction = g.Get("Function")
	}
	if rp := root.Pair("Resources"); rp != nil {
		t.ResourcesPair = rp
		if rp.Value != nil && rp.Value.Kind == source.Mapping {
			// All resources in one allocation, and the tables sized once.
			slab := make([]Resource, len(rp.Value.Pairs))
			t.Resources = make(map[string]*Resource, len(rp.Value.Pairs))
			t.Order = make([]string, 0, len(rp.Value.Pairs))
			for i, p := range rp.Value.Pairs {
				if _, dup := t.Resources[p.Key]; dup {
					continue
				}
				r := &slab[i]
				*r = Resource{ID: p.Key, KeySpan: p.KeySpan, Node: p.Value}
				r.TypeNode = p.Value.Get("Type")
				r.Type, _ = r.TypeNode.Str()
				r.Properties = p.Value.Get("Properties")
				if r.Properties != nil && r.Properties.Kind != source.Mapping {
					r.Properties = nil
				}
				r.Metadata = p.Value.Get("Metadata")
				r.Condition, _ = p.Value.Get("Condition").Str()
				t.Resources[p.Key] = r
				t.Order = append(t.Order, p.Key)
			}
		}
	}
	if os := root.Get("Outputs"); os != nil && os.Kind == source.Mapping {
		for _, p := range os.Pairs {
			t.Outputs = append(t.Outputs, &Output{ID: p.Key, KeySpan: p.KeySpan, Node: p.Value})
		}
	}
	if t.SAM {
		t.addImplicitRoles()
	}
	return t
}

// addImplicitRoles records the role SAM generates for every serverless
// function without a Role, so `!GetAtt FnRole.Arn` resolves to it.
func (t *Template) addImplicitRoles() {
	for _, id := range t.Order {
		r := t.Resources[id]
		if r.Type != "AWS::Serverless::Function" || r.Prop("Role") != nil {
			continue
		}
		rid := id + "Role"
		if _, taken := t.Resources[rid]; taken {
			continue
		}
		t.Resources[rid] = &Resource{ID: rid, Type: "AWS::IAM::Role", Implicit: true, Origin: id, KeySpan: r.KeySpan, Node: r.Node}
	}
}

// ResourcesOfType returns the written (non-implicit) resources of a type, in document order.
func (t *Template) ResourcesOfType(types ...string) []*Resource {
	var out []*Resource
	for _, id := range t.Order {
		r := t.Resources[id]
		for _, ty := range types {
			if r.Type == ty {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// ResourceAt returns the written resource whose entry contains offset.
// Resources are in document order, so a binary search finds the last one
// that starts at or before offset.
func (t *Template) ResourceAt(offset int) *Resource {
	i := sort.Search(len(t.Order), func(i int) bool {
		return t.Resources[t.Order[i]].KeySpan.Start > offset
	}) - 1
	if i < 0 {
		return nil
	}
	r := t.Resources[t.Order[i]]
	if r.KeySpan.Contains(offset) || (r.Node != nil && r.Node.Span.Contains(offset)) {
		return r
	}
	return nil
}
