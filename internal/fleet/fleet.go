// Package fleet reads many workstations — snapshots written by `gmu-doctor
// collect` (checked here) or JSON reports of `gmu-doctor check --format
// json` (docs/json-schema.json) — and summarises them: per workstation its
// status and failing checks, per check how many workstations fail and
// which, and the certificates, keys and licences that expire soonest.
// Inputs are processed concurrently, one file per worker at a time, and
// only the summary of each is kept, so memory is bounded by one snapshot
// per worker plus the summary. Renderers: text, CSV, JSON and a
// self-contained HTML page (render.go, html.go).
package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// Version is the version of the fleet JSON document (Summary); bump it on
// an incompatible change.
const Version = 1

// Statuses of a workstation, worst first. "unreadable": the input could not
// be read or analysed.
const (
	StatusUnreadable = "unreadable"
	StatusFail       = "fail"
	StatusError      = "error"
	StatusWarn       = "warn"
	StatusOK         = "ok"
)

var statusRank = map[string]int{StatusUnreadable: 0, StatusFail: 1, StatusError: 2, StatusWarn: 3, StatusOK: 4}

// Rank orders statuses worst first (unknown ones last).
func Rank(status string) int {
	if r, ok := statusRank[status]; ok {
		return r
	}
	return len(statusRank)
}

// Workstation is the summary of one input.
type Workstation struct {
	Name        string        `json:"name"`
	File        string        `json:"file"`
	Input       string        `json:"input"` // "snapshot" or "report"
	OS          string        `json:"os"`
	OSVersion   string        `json:"os_version"`
	ToolVersion string        `json:"tool_version"`
	CheckedAt   string        `json:"checked_at"`
	Status      string        `json:"status"`
	Counts      report.Counts `json:"counts"`
	// Failing lists the checks that failed or did not complete; Warnings
	// the checks that warned.
	Failing  []string `json:"failing"`
	Warnings []string `json:"warnings"`
	// Problems are the checks that did not end ok or skipped, with their
	// findings and fixes.
	Problems []Problem `json:"problems"`
	Expiries []Expiry  `json:"expiries"`
	// Error says why an unreadable input could not be analysed.
	Error string `json:"error"`
}

// Problem is one check of a workstation that did not pass.
type Problem struct {
	ID       string              `json:"id"`
	Title    string              `json:"title"`
	Status   string              `json:"status"`
	Reason   string              `json:"reason"`
	Findings []report.FindingDoc `json:"findings"`
}

// Expiry is the days left of one certificate, private key, root or licence.
type Expiry struct {
	Workstation string `json:"workstation,omitempty"`
	// Kind: certificate, private_key, root, license.
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	SHA1    string `json:"sha1"`
	Store   string `json:"store"`
	Days    int    `json:"days_left"`
}

// CheckStat is one check across the fleet.
type CheckStat struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Fail  int    `json:"fail"`
	Error int    `json:"error"`
	Warn  int    `json:"warn"`
	// Failing names the workstations where the check failed or did not
	// complete.
	Failing []string `json:"failing"`
}

// Summary is the fleet.
type Summary struct {
	FleetVersion int       `json:"fleet_version"`
	GeneratedAt  time.Time `json:"generated_at"`
	// Totals counts workstations by status (ok, warn, fail, error,
	// unreadable) and in all ("total").
	Totals       map[string]int `json:"totals"`
	Workstations []Workstation  `json:"workstations"`
	Checks       []CheckStat    `json:"checks"`
	// Expiring lists the soonest expiries across the fleet, soonest first:
	// everything below the warning threshold, and at least the ExpiringMin
	// soonest.
	Expiring   []Expiry          `json:"expiring"`
	Thresholds report.Thresholds `json:"thresholds"`
}

// Options control Build.
type Options struct {
	// Check analyses a snapshot: runs the suite and returns the JSON
	// document of the report in the chosen language.
	Check func(ctx context.Context, snap *host.Snapshot) (*report.Document, error)
	// Jobs is the number of inputs analysed at once; 0 means GOMAXPROCS.
	Jobs       int
	Thresholds report.Thresholds
	// ExpiringMin is how many expiries Summary.Expiring lists at least
	// (0: 20).
	ExpiringMin int
	// Now stamps GeneratedAt; nil means time.Now.
	Now func() time.Time
}

// Expand turns the arguments into input files: a file as is, a directory
// into every *.json below it (sorted). Missing paths are errors.
func Expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".json") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// Build analyses files concurrently and summarises them. A file that
// cannot be read or analysed becomes an "unreadable" workstation with the
// reason; Build itself fails only when ctx is cancelled.
func Build(ctx context.Context, files []string, o Options) (*Summary, error) {
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ws := make([]Workstation, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ws[i] = analyse(ctx, files[i], o)
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return summarise(ws, o), nil
}

// analyse reads one input and reduces it to its Workstation summary.
func analyse(ctx context.Context, path string, o Options) Workstation {
	w := Workstation{File: path, Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))}
	doc, kind, err := load(ctx, path, o)
	if err != nil {
		w.Status, w.Error, w.Input = StatusUnreadable, err.Error(), kind
		w.Failing, w.Warnings, w.Problems, w.Expiries = []string{}, []string{}, []Problem{}, []Expiry{}
		return w
	}
	w.Input = kind
	return fromDocument(w, doc)
}

// load reads a snapshot (and checks it) or a JSON report.
func load(ctx context.Context, path string, o Options) (*report.Document, string, error) {
	data, err := safefile.ReadFile(path, safefile.SnapshotLimit)
	if err != nil {
		return nil, "", err
	}
	if data, err = utf8Input(data); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	check := func(snap *host.Snapshot) (*report.Document, string, error) {
		doc, err := o.Check(ctx, snap)
		if err != nil {
			return nil, "snapshot", fmt.Errorf("%s: %w", path, err)
		}
		return doc, "snapshot", nil
	}
	if o.Check != nil {
		// A snapshot as collect writes it is decoded in one pass, without
		// the probe of the whole document below (which would then say
		// "snapshot" and load it exactly so).
		if snap, ok, err := host.LoadPlainSnapshot(data); ok {
			if err != nil {
				return nil, "snapshot", fmt.Errorf("%s: %w", path, err)
			}
			data = nil // the report is built from snap alone
			return check(snap)
		}
	}
	var head struct {
		Snapshot *json.RawMessage `json:"snapshot_version"`
		Schema   *json.RawMessage `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, "", fmt.Errorf("%s: not a gmu-doctor snapshot or JSON report: %v", path, err)
	}
	switch {
	case head.Snapshot != nil:
		if o.Check == nil {
			return nil, "snapshot", errors.New("snapshots cannot be checked here")
		}
		snap, err := host.LoadSnapshot(bytes.NewReader(data))
		if err != nil {
			return nil, "snapshot", fmt.Errorf("%s: %w", path, err)
		}
		data = nil // the report is built from snap alone
		return check(snap)
	case head.Schema != nil:
		doc, err := DecodeReport(data)
		if err != nil {
			return nil, "report", fmt.Errorf("%s: %w", path, err)
		}
		return doc, "report", nil
	}
	return nil, "", fmt.Errorf("%s: neither snapshot_version nor schema_version: not a gmu-doctor snapshot or JSON report", path)
}

// utf8Input returns data as UTF-8 without a byte order mark
// (host.UTF8Text): reports saved by a PowerShell redirect are UTF-16.
func utf8Input(data []byte) ([]byte, error) { return host.UTF8Text(data) }

// DecodeReport reads a JSON report of schema_version 1
// (docs/json-schema.json). Unknown fields are ignored (a later minor
// addition must not break the fleet view); a different schema_version is
// an error naming both versions.
func DecodeReport(data []byte) (*report.Document, error) {
	var v struct {
		Schema int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("JSON report: %v", err)
	}
	if v.Schema != report.SchemaVersion {
		return nil, fmt.Errorf("JSON report has schema_version %d; this build reads schema_version %d", v.Schema, report.SchemaVersion)
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("JSON report: %v", err)
	}
	for i, c := range doc.Checks {
		if c.ID == "" {
			return nil, fmt.Errorf("JSON report: checks[%d] has no id", i)
		}
		if Rank(c.Status) == len(statusRank) && c.Status != "skipped" {
			return nil, fmt.Errorf("JSON report: checks[%d] (%s) has unknown status %q", i, c.ID, c.Status)
		}
	}
	return &doc, nil
}

var metricKinds = map[string]string{
	"cert_days_left":        "certificate",
	"private_key_days_left": "private_key",
	"root_days_left":        "root",
	"license_days_left":     "license",
}

func fromDocument(w Workstation, doc *report.Document) Workstation {
	if doc.Host.Hostname != "" {
		w.Name = doc.Host.Hostname
	}
	w.OS, w.OSVersion, w.ToolVersion = doc.Host.OS, doc.Host.OSVersion, doc.ToolVersion
	if !doc.StartedAt.IsZero() {
		w.CheckedAt = doc.StartedAt.Format(time.RFC3339)
	}
	w.Failing, w.Warnings, w.Problems, w.Expiries = []string{}, []string{}, []Problem{}, []Expiry{}
	var c report.Counts
	for _, ch := range doc.Checks {
		switch ch.Status {
		case "ok":
			c.OK++
		case "warn":
			c.Warn++
			w.Warnings = append(w.Warnings, ch.ID)
		case "fail":
			c.Fail++
			w.Failing = append(w.Failing, ch.ID)
		case "error":
			c.Error++
			w.Failing = append(w.Failing, ch.ID)
		case "skipped":
			c.Skipped++
		}
		if ch.Status == "warn" || ch.Status == "fail" || ch.Status == "error" {
			p := Problem{ID: ch.ID, Title: ch.Title, Status: ch.Status, Reason: ch.Reason, Findings: ch.Findings}
			if p.Findings == nil {
				p.Findings = []report.FindingDoc{}
			}
			w.Problems = append(w.Problems, p)
		}
		for _, m := range ch.Metrics {
			kind, ok := metricKinds[m.Name]
			if !ok {
				continue
			}
			subject := m.Labels["subject_cn"]
			if kind == "root" {
				subject = m.Labels["root"]
			}
			w.Expiries = append(w.Expiries, Expiry{Kind: kind, Subject: subject, SHA1: m.Labels["sha1"], Store: m.Labels["store"], Days: int(m.Value)})
		}
	}
	w.Counts = c
	switch {
	case c.Fail > 0:
		w.Status = StatusFail
	case c.Error > 0:
		w.Status = StatusError
	case c.Warn > 0:
		w.Status = StatusWarn
	default:
		w.Status = StatusOK
	}
	sort.SliceStable(w.Expiries, func(i, j int) bool { return w.Expiries[i].Days < w.Expiries[j].Days })
	return w
}

func summarise(ws []Workstation, o Options) *Summary {
	th := o.Thresholds
	if th == (report.Thresholds{}) {
		th = report.DefaultThresholds()
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	s := &Summary{FleetVersion: Version, GeneratedAt: now(), Totals: map[string]int{}, Workstations: ws,
		Checks: []CheckStat{}, Expiring: []Expiry{}, Thresholds: th}
	for _, k := range []string{StatusOK, StatusWarn, StatusFail, StatusError, StatusUnreadable} {
		s.Totals[k] = 0
	}
	s.Totals["total"] = len(ws)
	sort.SliceStable(ws, func(i, j int) bool {
		if ri, rj := Rank(ws[i].Status), Rank(ws[j].Status); ri != rj {
			return ri < rj
		}
		return ws[i].Name < ws[j].Name
	})
	stats := map[string]*CheckStat{}
	var order []string
	var all []Expiry
	for _, w := range ws {
		s.Totals[w.Status]++
		for _, p := range w.Problems {
			st, ok := stats[p.ID]
			if !ok {
				st = &CheckStat{ID: p.ID, Title: p.Title, Failing: []string{}}
				stats[p.ID] = st
				order = append(order, p.ID)
			}
			switch p.Status {
			case "fail":
				st.Fail++
				st.Failing = append(st.Failing, w.Name)
			case "error":
				st.Error++
				st.Failing = append(st.Failing, w.Name)
			case "warn":
				st.Warn++
			}
		}
		for _, e := range w.Expiries {
			e.Workstation = w.Name
			all = append(all, e)
		}
	}
	for _, id := range order {
		s.Checks = append(s.Checks, *stats[id])
	}
	sort.SliceStable(s.Checks, func(i, j int) bool {
		a, b := s.Checks[i], s.Checks[j]
		if a.Fail+a.Error != b.Fail+b.Error {
			return a.Fail+a.Error > b.Fail+b.Error
		}
		if a.Warn != b.Warn {
			return a.Warn > b.Warn
		}
		return a.ID < b.ID
	})
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Days != all[j].Days {
			return all[i].Days < all[j].Days
		}
		return all[i].Workstation < all[j].Workstation
	})
	min := o.ExpiringMin
	if min <= 0 {
		min = 20
	}
	for i, e := range all {
		if i >= min && e.Days >= th.WarnDays {
			break
		}
		s.Expiring = append(s.Expiring, e)
	}
	return s
}

// Unhealthy reports whether any workstation failed, did not complete a
// check or could not be read (exit code 1 of `gmu-doctor report`).
func (s *Summary) Unhealthy() bool {
	return s.Totals[StatusFail]+s.Totals[StatusError]+s.Totals[StatusUnreadable] > 0
}
