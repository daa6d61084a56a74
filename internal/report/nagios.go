package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// Thresholds are the days-left limits monitoring alerts on: a certificate,
// private key or licence with fewer than WarnDays left is a warning, fewer
// than CritDays critical. They come from the config section monitoring
// (cert_warn_days, cert_crit_days) and feed the Nagios perfdata, the
// Nagios state and the fleet report's "expires soon" list.
type Thresholds struct {
	WarnDays int `json:"cert_warn_days"`
	CritDays int `json:"cert_crit_days"`
}

// DefaultThresholds are 30 and 7 days, the limits of the shipped Zabbix
// template and Prometheus rules.
func DefaultThresholds() Thresholds { return Thresholds{WarnDays: 30, CritDays: 7} }

// Validate rejects negative limits and a critical limit above the warning one.
func (t Thresholds) Validate() error {
	if t.WarnDays < 0 || t.CritDays < 0 {
		return fmt.Errorf("cert_warn_days and cert_crit_days must be 0 or more, got %d and %d", t.WarnDays, t.CritDays)
	}
	if t.CritDays > t.WarnDays {
		return fmt.Errorf("cert_crit_days (%d) must not be above cert_warn_days (%d)", t.CritDays, t.WarnDays)
	}
	return nil
}

func (o Options) thresholds() Thresholds {
	if o.Thresholds == (Thresholds{}) {
		return DefaultThresholds()
	}
	return o.Thresholds
}

// Nagios plugin states and their exit codes (monitoring-plugins guidelines).
const (
	NagiosOK       = 0
	NagiosWarning  = 1
	NagiosCritical = 2
	NagiosUnknown  = 3
)

var nagiosStateNames = []string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}

// NagiosStateName is the word of a plugin state: OK, WARNING, CRITICAL, UNKNOWN.
func NagiosStateName(code int) string {
	if code >= 0 && code < len(nagiosStateNames) {
		return nagiosStateNames[code]
	}
	return "UNKNOWN"
}

// expiry is the soonest expiry of one kind among a report's metrics.
type expiry struct {
	metric string // cert_days_left, private_key_days_left, license_days_left
	label  string // perfdata label
	days   int
	found  bool
	who    string // subject_cn of the certificate, if any
}

// soonest returns, for each perfdata kind, the smallest value in rep.
func soonest(rep *doctor.Report) []*expiry {
	kinds := []*expiry{
		{metric: "cert_days_left", label: "cert_days_left"},
		{metric: "private_key_days_left", label: "key_days_left"},
		{metric: "license_days_left", label: "license_days_left"},
	}
	for _, res := range rep.Results {
		for _, m := range res.Metrics {
			for _, k := range kinds {
				if m.Name != k.metric || m.Value != m.Value { // NaN
					continue
				}
				d := int(m.Value)
				if !k.found || d < k.days {
					k.days, k.found, k.who = d, true, m.Labels["subject_cn"]
				}
			}
		}
	}
	return kinds
}

// NagiosState is the plugin state of rep: CRITICAL when a check failed or a
// certificate, key or licence has fewer than CritDays left; UNKNOWN when a
// check could not complete; WARNING for a warning or fewer than WarnDays
// left; else OK.
func NagiosState(rep *doctor.Report, o Options) int {
	th := o.thresholds()
	c := rep.Counts()
	state := NagiosOK
	if c[doctor.StatusWarn] > 0 {
		state = NagiosWarning
	}
	for _, e := range soonest(rep) {
		if !e.found {
			continue
		}
		if e.days < th.CritDays {
			return NagiosCritical
		}
		if e.days < th.WarnDays {
			state = NagiosWarning
		}
	}
	if c[doctor.StatusFail] > 0 {
		return NagiosCritical
	}
	if c[doctor.StatusError] > 0 {
		return NagiosUnknown
	}
	return state
}

// Nagios writes rep as a Nagios / Icinga plugin output (monitoring-plugins
// development guidelines): one status line "GMU-DOCTOR STATE - text |
// perfdata", then one line per finding (the plugin's long output). The
// caller exits with NagiosState. Perfdata: fail, warn and error counts
// (with the thresholds the state uses: any fail is critical, any warn a
// warning) and the days left of the personal certificate, private key and
// CSP licence that expire first, with the configured thresholds as
// "alert below" ranges (30: and 7:).
func Nagios(w io.Writer, rep *doctor.Report, o Options) error {
	bw := bufio.NewWriter(w)
	lang := o.lang()
	th := o.thresholds()
	state := NagiosState(rep, o)
	c := rep.Counts()
	total := len(rep.Results)

	var parts []string
	ids := func(s doctor.Status) []string {
		var out []string
		for _, res := range rep.Results {
			if res.Status == s {
				out = append(out, res.ID)
			}
		}
		return out
	}
	if l := ids(doctor.StatusFail); len(l) > 0 {
		parts = append(parts, i18n.T("report.nagios.failed", strings.Join(l, ", ")).In(lang))
	}
	if l := ids(doctor.StatusError); len(l) > 0 {
		parts = append(parts, i18n.T("report.nagios.errors", strings.Join(l, ", ")).In(lang))
	}
	if l := ids(doctor.StatusWarn); len(l) > 0 {
		parts = append(parts, i18n.T("report.nagios.warnings", strings.Join(l, ", ")).In(lang))
	}
	exp := soonest(rep)
	for _, e := range exp {
		if e.found && e.days < th.WarnDays {
			who := e.who
			if who == "" {
				who = "-"
			}
			parts = append(parts, i18n.T("report.nagios.expiry."+e.metric, nagiosText(who, 60), e.days).In(lang))
		}
	}
	text := strings.Join(parts, "; ")
	if text == "" {
		if total == 0 {
			text = i18n.T("report.nagios.none").In(lang)
		} else {
			text = i18n.T("report.nagios.ok", total).In(lang)
		}
	}
	host := rep.Facts.Hostname
	if host != "" {
		text = nagiosText(host, 64) + ": " + text
	}

	perf := []string{
		fmt.Sprintf("fail=%d;;0;0;%d", c[doctor.StatusFail], total),
		fmt.Sprintf("warn=%d;0;;0;%d", c[doctor.StatusWarn], total),
		fmt.Sprintf("error=%d;;;0;%d", c[doctor.StatusError], total),
	}
	for _, e := range exp {
		if e.found {
			perf = append(perf, e.label+"="+strconv.Itoa(e.days)+";"+strconv.Itoa(th.WarnDays)+":;"+strconv.Itoa(th.CritDays)+":")
		}
	}
	fmt.Fprintf(bw, "GMU-DOCTOR %s - %s | %s\n", NagiosStateName(state), nagiosText(text, 400), strings.Join(perf, " "))

	for _, res := range rep.Results {
		switch res.Status {
		case doctor.StatusError:
			fmt.Fprintf(bw, "[%s] %s: %s\n", res.Status, res.ID, nagiosText(res.Reason.In(lang), 500))
			continue
		case doctor.StatusFail, doctor.StatusWarn:
		default:
			continue
		}
		for _, f := range res.Findings {
			line := fmt.Sprintf("[%s] %s: %s", f.Severity, res.ID, nagiosText(f.Message.In(lang), 500))
			if h := f.Hint.In(lang); h != "" {
				line += " — " + nagiosText(h, 300)
			}
			fmt.Fprintln(bw, line)
		}
	}
	if state != NagiosOK {
		fmt.Fprintln(bw, nagiosText(i18n.T("report.nagios.details", o.detailsCommand()+" -v").In(lang), 300))
	}
	return bw.Flush()
}

func (o Options) detailsCommand() string {
	if o.DetailsCommand != "" {
		return o.DetailsCommand
	}
	return o.command()
}

// nagiosText makes s safe for one line of plugin output: control
// characters and line breaks become spaces (a line break would start the
// long output), '|' becomes '/' (it starts the perfdata), and the text is
// cut at max runes.
func nagiosText(s string, max int) string {
	var sb strings.Builder
	n := 0
	space := false
	for _, r := range s {
		switch {
		case r == '|':
			r = '/'
		case termsafe.Unsafe(r):
			r = ' '
		}
		if r == ' ' {
			if space || n == 0 {
				continue
			}
			space = true
		} else {
			space = false
		}
		if n >= max {
			sb.WriteString("…")
			break
		}
		sb.WriteRune(r)
		n++
	}
	return strings.TrimRight(sb.String(), " ")
}
