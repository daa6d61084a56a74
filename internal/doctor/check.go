// Package doctor is the check framework of gmu-doctor: what a check is, what
// it reports, and the runner that executes a suite of checks with per-check
// timeouts, panic recovery and dependency skipping. It contains no CLI and no
// OS code: checks see the machine only through host.Host.
package doctor

import (
	"context"
	"encoding"
	"fmt"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// A Check is one diagnostic, declared as a value in its own package and
// listed in the suite (package checks).
type Check struct {
	// ID is stable lowercase kebab-case ("root-certs"): a CLI argument, the
	// config section checks.<id>, and a key in JSON and monitoring.
	ID string
	// Title is the short label shown next to the status box.
	Title i18n.Text
	// Doc: first line a one-sentence summary, the rest long help.
	Doc i18n.Text
	// OS lists the GOOS values where the check applies; empty means all.
	// Elsewhere the check is skipped and Run is not called.
	OS []string
	// Requires names checks that must end ok or warn for this one to run.
	Requires []string
	// Timeout bounds Run; 0 means the runner's default.
	Timeout time.Duration
	// NewConfig returns a pointer to the check's typed config, pre-filled
	// with defaults; nil when the check has no config.
	NewConfig func() any
	// Run does the work. Problems go to pass.Report; an error means the check
	// could not complete (status error). Return Skip(reason) when the check
	// does not apply to this machine.
	Run func(ctx context.Context, pass *Pass) error
}

// AppliesTo reports whether the check applies on goos.
func (c *Check) AppliesTo(goos string) bool {
	if len(c.OS) == 0 {
		return true
	}
	for _, o := range c.OS {
		if o == goos {
			return true
		}
	}
	return false
}

// Options are run-wide settings every check may consult.
type Options struct {
	// Sites are the selected site profile IDs (gmu, eis, fzs, epgu).
	Sites []string
	// Profiles are the selected site profiles with config overrides applied
	// (profile.Resolve); checks use them for what each site needs.
	Profiles []*profile.Site
	// ShowPersonal disables masking of СНИЛС and personal ИНН.
	ShowPersonal bool
	// TSLPath is the accredited-CA list XML given with --tsl, if any.
	TSLPath string
	// Offline disables the network (--offline, config offline: true,
	// GMU_DOCTOR_OFFLINE): network checks skip with a reason, and the host
	// answers every network question with host.ErrOffline.
	Offline bool
	// NetBudget bounds all online work of a run together (default
	// DefaultNetBudget); network checks share it, see Pass.NetContext.
	NetBudget time.Duration
}

// DefaultNetBudget is the overall time for online work in one run.
const DefaultNetBudget = 20 * time.Second

// HasSite reports whether site is among the selected sites.
func (o Options) HasSite(site string) bool {
	for _, s := range o.Sites {
		if s == site {
			return true
		}
	}
	return false
}

// Pass is what a running check sees: the host, its config, the options, and
// sinks for its results.
type Pass struct {
	Check   *Check
	Host    host.Host
	Config  any // the *T from Check.NewConfig, decoded from checks.<id>
	Options Options
	// Results of checks that already ran in this run, by ID (read-only).
	Results map[string]*Result

	shared *Shared    // the run's (see Shared)
	budget *netBudget // the run's online budget (net.go)

	mu       sync.Mutex
	findings []Finding
	notes    []i18n.Text
	summary  i18n.Text
	metrics  []Metric
}

// Report records a problem.
func (p *Pass) Report(f Finding) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.findings = append(p.findings, f)
}

// Note records an informational line (shown with -v and in JSON).
func (p *Pass) Note(t i18n.Text) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notes = append(p.notes, t)
}

// Summary sets the short fact shown next to the title ("5.0.13000").
func (p *Pass) Summary(t i18n.Text) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.summary = t
}

// Metric records a number for monitoring (days left of a certificate …).
// Labels identify the object; the map is copied.
func (p *Pass) Metric(name string, value float64, labels map[string]string) {
	m := Metric{Name: name, Value: value}
	if len(labels) > 0 {
		m.Labels = make(map[string]string, len(labels))
		for k, v := range labels {
			m.Labels[k] = v
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.metrics = append(p.metrics, m)
}

func (p *Pass) snapshot() ([]Finding, []i18n.Text, i18n.Text, []Metric) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := append([]Finding(nil), p.findings...)
	n := append([]i18n.Text(nil), p.notes...)
	m := append([]Metric(nil), p.metrics...)
	return f, n, p.summary, m
}

// Metric is a named number a check exposes for monitoring, e.g.
// cert_days_left{sha1="…",store="CurrentUser\\My"} = 42. Names are
// snake_case; label values must not contain unmasked personal data.
type Metric struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	Value  float64           `json:"value"`
}

// SkipError is returned by Run (through Skip) when a check does not apply.
type SkipError struct{ Reason i18n.Text }

func (e *SkipError) Error() string { return "skipped: " + e.Reason.In(i18n.EN) }

// Skip makes a check end as skipped with a reason.
func Skip(reason i18n.Text) error { return &SkipError{Reason: reason} }

// Severity grades a finding.
type Severity int

// Severities.
const (
	Warn Severity = iota + 1 // degraded: signing may still work
	Fail                     // broken: signing will not work until fixed
)

var severityNames = map[Severity]string{Warn: "warn", Fail: "fail"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if _, ok := severityNames[s]; !ok {
		return nil, fmt.Errorf("marshal severity %d: unknown", int(s))
	}
	return []byte(s.String()), nil
}

// Finding is one problem a check found.
type Finding struct {
	Severity Severity
	// Code is a stable machine identifier of the kind of problem,
	// "<check-id>.<kebab-name>" (e.g. "chain.incomplete").
	Code string
	// Message is the fact: the object, the expected state, where we looked.
	Message i18n.Text
	// Hint is one imperative step to fix it.
	Hint i18n.Text
	// Commands are exact commands for this OS, in the order to run them.
	Commands []string
	// Subject names the object: a thumbprint, registry key, file path.
	Subject string
	// URL points to more help or to a download.
	URL string
	// Repairs are the steps `gmu-doctor fix` can take to resolve the
	// finding, in order (none: the finding has no automatic fix).
	Repairs []Repair
}

// Status is how a check ended.
type Status int

// Statuses, in increasing order of badness for OK..Fail.
const (
	StatusOK Status = iota
	StatusWarn
	StatusFail
	StatusError   // Run returned an error, panicked or timed out
	StatusSkipped // not applicable here, or a required check did not pass
)

var statusNames = []string{"ok", "warn", "fail", "error", "skipped"}

func (s Status) String() string {
	if int(s) >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) < 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("marshal status %d: unknown", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unmarshal status %q: unknown", b)
}

var (
	_ encoding.TextMarshaler   = Status(0)
	_ encoding.TextUnmarshaler = (*Status)(nil)
	_ encoding.TextMarshaler   = Severity(0)
)

// Result is the outcome of one check.
type Result struct {
	ID       string
	Title    i18n.Text
	Status   Status
	Summary  i18n.Text
	Findings []Finding
	Notes    []i18n.Text
	// Metrics are numbers for monitoring (Pass.Metric).
	Metrics []Metric
	// Reason says why a check ended error or skipped.
	Reason   i18n.Text
	Duration time.Duration
}

// Report is the outcome of a run.
type Report struct {
	ToolVersion string
	Facts       host.Facts
	// Source is "live" or "snapshot".
	Source    string
	StartedAt time.Time
	// HostTime is the workstation's clock when the run started: the live
	// clock (or --at), or for a snapshot the moment it was collected.
	HostTime time.Time
	Sites    []string
	Results  []*Result // suite order
}

// Counts returns how many checks ended in each status.
func (r *Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, res := range r.Results {
		c[res.Status]++
	}
	return c
}

// Unhealthy reports whether the run found problems: any fail or error, and
// with strict also any warn. It decides exit code 1.
func (r *Report) Unhealthy(strict bool) bool {
	for _, res := range r.Results {
		switch res.Status {
		case StatusFail, StatusError:
			return true
		case StatusWarn:
			if strict {
				return true
			}
		}
	}
	return false
}

// Result returns the result of the check with that ID, or nil.
func (r *Report) Result(id string) *Result {
	for _, res := range r.Results {
		if res.ID == id {
			return res
		}
	}
	return nil
}
