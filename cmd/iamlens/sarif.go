package main

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/rules"
)

// RulesDocURL is where each rule's section lives: the README's rule list.
const RulesDocURL = "https://github.com/iamlens/iamlens#"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      sarifText     `json:"fullDescription"`
	HelpURI              string        `json:"helpUri"`
	DefaultConfiguration sarifDefaults `json:"defaultConfiguration"`
}

type sarifDefaults struct {
	Level string `json:"level"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifFix struct {
	Description     sarifText     `json:"description"`
	ArtifactChanges []sarifChange `json:"artifactChanges"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, results []fileResult) error {
	driver := sarifDriver{Name: "iamlens", Version: Version, InformationURI: "https://github.com/iamlens/iamlens"}
	index := map[string]int{}
	for i, r := range rules.All() {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, ShortDescription: sarifText{r.Summary}, FullDescription: sarifText{r.Doc},
			HelpURI: RulesDocURL + r.ID, DefaultConfiguration: sarifDefaults{sarifLevel(r.Severity)},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, fr := range results {
		uri := sarifArtifact{URI: filepath.ToSlash(fr.Path)}
		region := func(sp diag.Finding) sarifRegion { return toRegion(fr, sp.Span.Start, sp.Span.End) }
		for _, f := range fr.Result.Findings {
			res := sarifResult{
				RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: sarifText{f.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: uri, Region: region(f)}}},
			}
			for _, rel := range f.Related {
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
					PhysicalLocation: sarifPhysical{ArtifactLocation: uri, Region: toRegion(fr, rel.Span.Start, rel.Span.End)},
					Message:          &sarifText{rel.Message},
				})
			}
			for _, fx := range f.Fixes {
				ch := sarifChange{ArtifactLocation: uri}
				for _, e := range fx.Edits {
					ch.Replacements = append(ch.Replacements, sarifReplacement{DeletedRegion: toRegion(fr, e.Span.Start, e.Span.End), InsertedContent: sarifText{e.NewText}})
				}
				res.Fixes = append(res.Fixes, sarifFix{Description: sarifText{fx.Title}, ArtifactChanges: []sarifChange{ch}})
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func toRegion(fr fileResult, start, end int) sarifRegion {
	sl, sc := fr.Result.Doc.Lines.LineCol(start)
	el, ec := fr.Result.Doc.Lines.LineCol(end)
	return sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}
}
