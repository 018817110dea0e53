package cfn

import (
	"github.com/iamlens/iamlens/analysis/source"
)

// Function is a Lambda function of the template, AWS::Lambda::Function or
// AWS::Serverless::Function, with SAM Globals merged into its properties.
type Function struct {
	*Resource
	Serverless bool
	// Props are the effective properties: for serverless functions the
	// Globals.Function section merged the SAM way (maps merged, lists with
	// the global items first, the resource's own scalars win). Nodes keep
	// their spans, so a value that comes from Globals points into Globals.
	Props *source.Node
	// FromGlobals names the properties that only Globals set.
	FromGlobals map[string]bool
}

// Prop returns an effective property, or nil.
func (f *Function) Prop(name string) *source.Node { return present(f.Props.Get(name)) }

// Functions returns the template's Lambda functions in document order.
// The slice is shared: callers must not change it.
func (t *Template) Functions() []*Function {
	t.functionsOnce.Do(func() { t.functions = t.buildFunctions() })
	return t.functions
}

func (t *Template) buildFunctions() []*Function {
	var out []*Function
	for _, id := range t.Order {
		r := t.Resources[id]
		switch r.Type {
		case "AWS::Lambda::Function":
			out = append(out, &Function{Resource: r, Props: propsOrEmpty(r)})
		case "AWS::Serverless::Function":
			f := &Function{Resource: r, Serverless: true, FromGlobals: map[string]bool{}}
			f.Props = MergeGlobals(t.GlobalsFunction, propsOrEmpty(r), f.FromGlobals)
			out = append(out, f)
		}
	}
	return out
}

// Function returns the function with the given logical id, or nil.
func (t *Template) Function(id string) *Function {
	for _, f := range t.Functions() {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func propsOrEmpty(r *Resource) *source.Node {
	if r.Properties != nil {
		return r.Properties
	}
	return &source.Node{Kind: source.Mapping, Span: r.KeySpan}
}

// notGlobal lists the Function properties SAM refuses in Globals.
var notGlobal = map[string]bool{"Role": true, "Policies": true, "FunctionName": true, "Events": true}

// MergeGlobals merges SAM Globals into a resource's properties: a key only
// in Globals is inherited, maps are merged recursively with the resource
// winning, lists get the global items prepended, and scalars (or values of
// different shapes) are the resource's. fromGlobals, when not nil, records
// the top-level keys taken only from Globals.
func MergeGlobals(global, local *source.Node, fromGlobals map[string]bool) *source.Node {
	if global == nil || global.Kind != source.Mapping {
		return local
	}
	if local == nil {
		local = &source.Node{Kind: source.Mapping}
	}
	merged := &source.Node{Kind: source.Mapping, Span: local.Span, Style: local.Style}
	for _, gp := range global.Pairs {
		if notGlobal[gp.Key] {
			continue
		}
		if lp := local.Pair(gp.Key); lp != nil {
			merged.Pairs = append(merged.Pairs, source.Pair{Key: lp.Key, KeySpan: lp.KeySpan, Value: mergeValue(gp.Value, lp.Value)})
			continue
		}
		merged.Pairs = append(merged.Pairs, gp)
		if fromGlobals != nil {
			fromGlobals[gp.Key] = true
		}
	}
	for _, lp := range local.Pairs {
		if global.Pair(lp.Key) == nil || notGlobal[lp.Key] {
			merged.Pairs = append(merged.Pairs, lp)
		}
	}
	return merged
}

func mergeValue(g, l *source.Node) *source.Node {
	if g == nil {
		return l
	}
	if l == nil {
		return g
	}
	gf, _ := g.Intrinsic()
	lf, _ := l.Intrinsic()
	switch {
	case gf != "" || lf != "":
		return l
	case g.Kind == source.Mapping && l.Kind == source.Mapping:
		return MergeGlobals(g, l, nil)
	case g.Kind == source.Sequence && l.Kind == source.Sequence:
		out := *l
		out.Items = append(append([]*source.Node{}, g.Items...), l.Items...)
		return &out
	}
	return l
}
