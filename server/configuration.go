package server

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/segmentio/encoding/json"
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

// rawSettings is the JSON shape of settings.
type rawSettings struct {
	Rules      map[string]any `json:"rules"`
	DebounceMs *float64       `json:"debounceMs"`
}

// parseSettings reads settings given with or without the "iamlens" wrapper.
// Values it cannot use are left out and described in problems, for the user.
func parseSettings(raw []byte) (settings, []string) {
	var st settings
	var problems []string
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return st, []string{fmt.Sprintf("iamlens: settings must be an object: %v", err)}
	}
	if inner, ok := wrapped["iamlens"]; ok {
		raw = inner
	}
	var rs rawSettings
	if err := json.Unmarshal(raw, &rs); err != nil {
		return st, []string{fmt.Sprintf("iamlens: ignoring settings: %v", err)}
	}
	rules := map[string]string{}
	for id, v := range rs.Rules {
		word, ok := v.(string)
		if !ok {
			problems = append(problems, fmt.Sprintf("iamlens: rule %s: severity must be a string (off, error, warning, information or hint); the rule keeps its default", id))
			continue
		}
		rules[id] = word
	}
	cfg, err := analysis.ConfigFromMap(rules)
	if err != nil {
		problems = append(problems, fmt.Sprintf("iamlens settings: %v", err))
	}
	st.rules = cfg
	if rs.DebounceMs != nil {
		if ms := *rs.DebounceMs; ms >= 0 && ms <= 10_000 {
			d := time.Duration(ms * float64(time.Millisecond))
			st.debounce = &d
		} else {
			problems = append(problems, fmt.Sprintf("iamlens: debounceMs %v is out of range (0 to 10000); keeping the current value", ms))
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

// didChangeConfiguration installs new settings and re-analyses every open
// document.
func (s *Server) didChangeConfiguration(ctx context.Context, params *didChangeConfigurationParams) error {
	var st settings
	var problems []string
	if len(params.Settings) > 0 && string(params.Settings) != "null" {
		st, problems = parseSettings(params.Settings)
	}
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
