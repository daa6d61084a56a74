package report

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
)

// SchemaVersion is the version of the JSON document; bump it on an
// incompatible change and update docs/json-schema.json.
const SchemaVersion = 1

// Document is the JSON form of a report. Every field is always present
// (empty strings and arrays rather than missing keys), and checks come in
// suite order, so monitoring can address values by path.
type Document struct {
	SchemaVersion int        `json:"schema_version"`
	ToolVersion   string     `json:"tool_version"`
	Host          HostDoc    `json:"host"`
	StartedAt     time.Time  `json:"started_at"`
	Sites         []string   `json:"sites"`
	Checks        []CheckDoc `json:"checks"`
	Counts        Counts     `json:"counts"`
	ExitCode      int        `json:"exit_code"`
}

// HostDoc describes the inspected workstation.
type HostDoc struct {
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	OSVersion string `json:"os_version"`
	Hostname  string `json:"hostname"`
	// Source is "live" or "snapshot".
	Source string `json:"source"`
}

// CheckDoc is one check's result.
type CheckDoc struct {
	ID         string       `json:"id"`
	Title      string       `json:"title"`
	Status     string       `json:"status"`
	Summary    string       `json:"summary"`
	Findings   []FindingDoc `json:"findings"`
	Notes      []string     `json:"notes"`
	Reason     string       `json:"reason"`
	DurationMS int64        `json:"duration_ms"`
	// Metrics are the numbers the check exposes for monitoring, sorted by
	// name and labels; [] when none.
	Metrics []MetricDoc `json:"metrics"`
}

// MetricDoc is one number for monitoring, e.g. name "cert_days_left",
// labels {"sha1": "…", "store": "CurrentUser\\My", "subject_cn": "…"},
// value 87. Labels is always an object.
type MetricDoc struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
	Value  float64           `json:"value"`
}

// FindingDoc is one problem.
type FindingDoc struct {
	Severity string   `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint"`
	Commands []string `json:"commands"`
	Subject  string   `json:"subject"`
	URL      string   `json:"url"`
}

// NewDocument converts rep, with every text in o.Lang.
func NewDocument(rep *doctor.Report, o Options) *Document {
	lang := o.lang()
	src := rep.Source
	if src == "" {
		src = "live"
	}
	d := &Document{
		SchemaVersion: SchemaVersion,
		ToolVersion:   rep.ToolVersion,
		Host: HostDoc{OS: rep.Facts.OS, Arch: rep.Facts.Arch, OSVersion: rep.Facts.Version,
			Hostname: rep.Facts.Hostname, Source: src},
		StartedAt: rep.StartedAt,
		Sites:     append([]string{}, rep.Sites...),
		Checks:    []CheckDoc{},
		Counts:    CountsOf(rep),
		ExitCode:  ExitCode(rep, o.Strict),
	}
	for _, res := range rep.Results {
		c := CheckDoc{
			ID:         res.ID,
			Title:      res.Title.In(lang),
			Status:     res.Status.String(),
			Summary:    res.Summary.In(lang),
			Findings:   []FindingDoc{},
			Notes:      []string{},
			Reason:     res.Reason.In(lang),
			DurationMS: res.Duration.Milliseconds(),
			Metrics:    []MetricDoc{},
		}
		for _, f := range res.Findings {
			c.Findings = append(c.Findings, FindingDoc{
				Severity: f.Severity.String(),
				Code:     f.Code,
				Message:  f.Message.In(lang),
				Hint:     f.Hint.In(lang),
				Commands: append([]string{}, f.Commands...),
				Subject:  f.Subject,
				URL:      f.URL,
			})
		}
		for _, n := range res.Notes {
			c.Notes = append(c.Notes, n.In(lang))
		}
		for _, m := range sortedMetrics(res.Metrics) {
			// JSON has no NaN or infinity; such a value cannot be a
			// number of days anyway.
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
				continue
			}
			labels := make(map[string]string, len(m.Labels))
			for k, v := range m.Labels {
				labels[k] = v
			}
			c.Metrics = append(c.Metrics, MetricDoc{Name: m.Name, Labels: labels, Value: m.Value})
		}
		d.Checks = append(d.Checks, c)
	}
	return d
}

// JSON writes the report as a Document: two-space indent, no HTML
// escaping, a final newline.
func JSON(w io.Writer, rep *doctor.Report, o Options) error {
	return WriteJSON(w, NewDocument(rep, o))
}

// WriteJSON encodes v the way every JSON output of gmu-doctor looks.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
