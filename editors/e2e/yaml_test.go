package e2e

import (
	"errors"

	"go.yaml.in/yaml/v3"
)

// parsesAsYAML checks that text is one YAML document with a Resources mapping
// (short-form tags such as !Ref are kept as tags, not resolved).
func parsesAsYAML(text string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return errors.New("not a YAML mapping")
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "Resources" && top.Content[i+1].Kind == yaml.MappingNode {
			return nil
		}
	}
	return errors.New("no Resources mapping")
}
