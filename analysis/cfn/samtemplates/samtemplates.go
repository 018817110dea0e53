// Package samtemplates embeds the AWS SAM policy templates (S3ReadPolicy,
// S3CrudPolicy, KMSDecryptPolicy, VPCAccessPolicy, ...) exactly as SAM expands
// them.
//
// policy_templates.json is samtranslator/policy_templates_data/policy_templates.json
// from aws/serverless-application-model (Apache License 2.0; LICENSE and NOTICE
// are kept next to it). See README.md for the source commit.
package samtemplates

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

//go:embed policy_templates.json
var raw []byte

// Template is one SAM policy template.
//
// Values returned by this package are shared: callers must not modify them.
type Template struct {
	Name        string   // "S3ReadPolicy"
	Description string   // "Gives read permissions to objects in the S3 Bucket"
	Parameters  []string // parameter names in file order, e.g. ["BucketName"]; empty for templates without parameters
	// Definition is the raw JSON of the template's "Definition" value,
	// {"Statement":[...]}, byte for byte as in policy_templates.json
	// (indented). Parameters appear in it as {"Ref": "<Parameter>"}, usually
	// as Fn::Sub variables.
	Definition []byte
}

var (
	loadOnce  sync.Once
	templates map[string]*Template
	names     []string
)

func load() {
	loadOnce.Do(func() {
		var err error
		templates, err = decode(raw)
		if err != nil {
			panic("samtemplates: corrupt embedded data: " + err.Error())
		}
		names = make([]string, 0, len(templates))
		for name := range templates {
			names = append(names, name)
		}
		slices.Sort(names)
	})
}

func decode(b []byte) (map[string]*Template, error) {
	var file struct {
		Templates map[string]struct {
			Definition  json.RawMessage
			Description string
			Parameters  json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return nil, err
	}
	out := make(map[string]*Template, len(file.Templates))
	for name, t := range file.Templates {
		params, err := objectKeys(t.Parameters)
		if err != nil {
			return nil, fmt.Errorf("%s: Parameters: %w", name, err)
		}
		out[name] = &Template{
			Name:        name,
			Description: t.Description,
			Parameters:  params,
			Definition:  t.Definition[:len(t.Definition):len(t.Definition)],
		}
	}
	return out, nil
}

// objectKeys returns the keys of a JSON object in document order.
func objectKeys(obj json.RawMessage) ([]string, error) {
	if len(obj) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// collectRefs adds the target of every {"Ref": "X"} in v to refs.
func collectRefs(v any, refs map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if target, ok := v["Ref"].(string); ok && len(v) == 1 {
			refs[target] = true
			return
		}
		for _, e := range v {
			collectRefs(e, refs)
		}
	case []any:
		for _, e := range v {
			collectRefs(e, refs)
		}
	}
}

// Lookup returns the policy template with the given name, matched exactly
// ("S3ReadPolicy", "KMSEncryptPolicy_v2").
func Lookup(name string) (*Template, bool) {
	load()
	t, ok := templates[name]
	return t, ok
}

// Names returns the names of all policy templates, sorted. The caller owns the
// returned slice.
func Names() []string {
	load()
	return slices.Clone(names)
}

// ParamRefs returns, sorted and without duplicates, the names X of the
// {"Ref": X} objects in the Definition that are parameters of the template,
// leaving out pseudo parameters such as AWS::Partition and any other
// reference. (In the embedded data pseudo parameters only occur as
// ${AWS::...} inside Fn::Sub strings, and every parameter is used through a
// Ref.) It returns nil if the Definition is not valid JSON.
func (t *Template) ParamRefs() []string {
	var def any
	if err := json.Unmarshal(t.Definition, &def); err != nil {
		return nil
	}
	refs := map[string]bool{}
	collectRefs(def, refs)
	var out []string
	for _, p := range t.Parameters {
		if refs[p] && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
