package analysis

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iamlens/iamlens/analysis/diag"
	"go.yaml.in/yaml/v3"
)

// ConfigFileName is the per-project configuration file, found by walking up
// from the analysed file.
const ConfigFileName = ".iamlens.yaml"

// Config is the user's configuration: per-rule severities.
//
//	rules:
//	  wildcard-action: off
//	  missing-public-access-block: information
type Config struct {
	Rules map[string]Severity
}

// Merge returns c with other's settings applied on top.
func (c Config) Merge(other Config) Config {
	out := Config{Rules: map[string]Severity{}}
	for k, v := range c.Rules {
		out.Rules[k] = v
	}
	for k, v := range other.Rules {
		out.Rules[k] = v
	}
	return out
}

// ParseConfig reads the YAML (or JSON) text of a configuration file.
func ParseConfig(text []byte) (Config, error) {
	var raw struct {
		Rules map[string]string `yaml:"rules"`
	}
	if err := yaml.Unmarshal(text, &raw); err != nil {
		return Config{}, err
	}
	return ConfigFromMap(raw.Rules)
}

// ConfigFromMap reads rule severities given as strings; unknown severity
// words are an error naming the rule.
func ConfigFromMap(rules map[string]string) (Config, error) {
	c := Config{Rules: map[string]Severity{}}
	var errs []error
	for id, s := range rules {
		sev, ok := diag.ParseSeverity(s)
		if !ok {
			errs = append(errs, fmt.Errorf("rule %s: unknown severity %q (use off, error, warning, information or hint)", id, s))
			continue
		}
		c.Rules[id] = sev
	}
	return c, errors.Join(errs...)
}

// LoadConfig finds .iamlens.yaml in dir or the nearest folder above it and
// reads it. It returns the file's path ("" when there is none).
func LoadConfig(dir string) (Config, string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Config{}, "", err
	}
	for {
		p := filepath.Join(dir, ConfigFileName)
		text, err := os.ReadFile(p)
		if err == nil {
			c, err := ParseConfig(text)
			if err != nil {
				return c, p, fmt.Errorf("%s: %w", p, err)
			}
			return c, p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Config{}, p, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return Config{}, "", nil
		}
		dir = parent
	}
}
