package server

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/segmentio/encoding/json"
	"github.com/tidwall/gjson"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/iamlens/iamlens/analysis"
)

// settings are what the client sends under "iamlens", in
// initializationOptions or workspace/didChangeConfiguration:
//
//	{"iamlens": {"rules": {"rule-id": "off|error|warning|information|hint"}, "debounceMs": 50}}
type settings struct {
	rules    analysis.Config
	debounce *time.Duration
}

// parseSettings reads settings given with or without the "iamlens" wrapper.
// Clients send them in many shapes (VS Code nests them, eglot and Neovim
// pass what the user wrote), so they are read by path with gjson rather
// than decoded into a fixed struct. Values it cannot use are left out and
// described in problems, for the user.
func parseSettings(raw []byte) (settings, []string) {
	var st settings
	var problems []string
	if !gjson.ValidBytes(raw) || !gjson.ParseBytes(raw).IsObject() {
		return st, []string{"iamlens: settings must be a JSON object; ignoring them"}
	}
	root := gjson.ParseBytes(raw)
	if inner := root.Get("iamlens"); inner.Exists() {
		if !inner.IsObject() {
			return st, []string{"iamlens: the \"iamlens\" settings must be an object; ignoring them"}
		}
		root = inner
	}
	rules := map[string]string{}
	if r := root.Get("rules"); r.Exists() {
		if !r.IsObject() {
			problems = append(problems, "iamlens: \"rules\" must map rule ids to severities; ignoring it")
		}
		r.ForEach(func(id, v gjson.Result) bool {
			if v.Type != gjson.String {
				problems = append(problems, fmt.Sprintf("iamlens: rule %s: severity must be a string (off, error, warning, information or hint); the rule keeps its default", id.String()))
				return true
			}
			rules[id.String()] = v.String()
			return true
		})
	}
	cfg, err := analysis.ConfigFromMap(rules)
	if err != nil {
		problems = append(problems, fmt.Sprintf("iamlens settings: %v", err))
	}
	st.rules = cfg
	if d := root.Get("debounceMs"); d.Exists() {
		if ms := d.Float(); d.Type == gjson.Number && ms >= 0 && ms <= 10_000 {
			dur := time.Duration(ms * float64(time.Millisecond))
			st.debounce = &dur
		} else {
			problems = append(problems, fmt.Sprintf("iamlens: debounceMs %s is out of range (a number from 0 to 10000); keeping the current value", d.Raw))
		}
	}
	sort.Strings(problems)
	return st, problems
}

// applySettingsLocked installs client settings. Called with s.mu held.
func (s *Server) applySettingsLocked(st settings) {
	s.settings = st
	if st.debounce != nil {
		s.debounce = *st.debounce
	}
}

// didChangeConfigurationParams keeps settings raw: clients send them with
// or without the "iamlens" wrapper.
type didChangeConfigurationParams struct {
	Settings json.RawMessage `json:"settings"`
}

// mentionsIamlens reports whether settings say anything iamlens reads.
func mentionsIamlens(raw []byte) bool {
	if len(raw) == 0 || !gjson.ValidBytes(raw) {
		return false
	}
	r := gjson.ParseBytes(raw)
	return r.Get("iamlens").Exists() || r.Get("rules").Exists() || r.Get("debounceMs").Exists()
}

// didChangeConfiguration installs new settings and re-analyses every open
// document.
func (s *Server) didChangeConfiguration(ctx context.Context, params *didChangeConfigurationParams) error {
	var st settings
	var problems []string
	if !mentionsIamlens(params.Settings) {
		// eglot sends {"settings": {}} when it connects, and other
		// clients send other tools' settings: neither changes ours.
		return nil
	}
	st, problems = parseSettings(params.Settings)
	s.mu.Lock()
	s.applySettingsLocked(st)
	s.mu.Unlock()
	for _, p := range problems {
		s.showLog(protocol.MessageTypeWarning, p)
	}
	s.configChanged()
	return nil
}

// configChanged forgets the .iamlens.yaml files read so far and
// re-analyses (and so re-publishes) every open document.
func (s *Server) configChanged() {
	s.configs.clear()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.analysable() {
			// A fresh snapshot of the same text: the old one's analysis
			// used the old settings, and its publish is now stale.
			old := d.snap
			d.snap = &snapshot{version: old.version, text: old.text, m: old.mapper()}
			d.result = nil
			s.scheduleLocked(d)
		}
	}
}

// analysisOptions merges the document's .iamlens.yaml with the client's
// settings; the client's win.
func (s *Server) analysisOptions(d *document) analysis.Options {
	var file analysis.Config
	if d.dir != "" {
		cfg, path, err := s.configs.load(d.dir)
		if err != nil && s.configs.firstReport(path+err.Error()) {
			s.showLog(protocol.MessageTypeWarning, fmt.Sprintf("iamlens: %v; using the valid settings only", err))
		}
		file = cfg
	}
	s.mu.Lock()
	client := s.settings.rules
	s.mu.Unlock()
	return analysis.Options{Rules: file.Merge(client).Rules}
}

// configCache remembers .iamlens.yaml per directory until a configuration
// change or a save of the file.
type configCache struct {
	mu       sync.Mutex
	entries  map[string]configEntry
	reported map[string]bool
}

type configEntry struct {
	cfg  analysis.Config
	path string
	err  error
}

func (c *configCache) load(dir string) (analysis.Config, string, error) {
	c.mu.Lock()
	e, ok := c.entries[dir]
	c.mu.Unlock()
	if ok {
		return e.cfg, e.path, e.err
	}
	e.cfg, e.path, e.err = analysis.LoadConfig(dir)
	c.mu.Lock()
	c.entries[dir] = e
	c.mu.Unlock()
	return e.cfg, e.path, e.err
}

// firstReport reports whether a problem is new, so each bad file is shown once.
func (c *configCache) firstReport(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reported[key] {
		return false
	}
	c.reported[key] = true
	return true
}

func (c *configCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]configEntry{}
	c.reported = map[string]bool{}
}

// showLog sends window/logMessage (and logs it): for problems the user
// should see, such as a bad .iamlens.yaml.
func (s *Server) showLog(typ protocol.MessageType, msg string) {
	s.log.Info("logMessage", zap.String("message", msg))
	if s.client == nil || s.ctx == nil {
		return
	}
	if err := s.client.LogMessage(s.ctx, &protocol.LogMessageParams{Type: typ, Message: msg}); err != nil {
		s.log.Debug("logMessage failed", zap.Error(err))
	}
}
