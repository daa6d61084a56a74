package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// Prometheus writes the report in the Prometheus text exposition format,
// for node_exporter's / windows_exporter's textfile collector:
//
//	gmu_doctor_check_status{id="clock",status="fail"} 1
//
// one series per check and status (1 for the status the check ended with,
// else 0), the counts per status, findings per check and severity, the
// exit code and the start time. Then the checks' metrics (Pass.Metric), one
// family per name, with the check ID and the metric's own labels:
//
//	gmu_doctor_cert_expires_in_seconds{host="BUH-01",check="personal-certs",sha1="…",store="…",subject_cn="…"} 7516800
//
// (days left become seconds, see promFamily)
// The caller writes the file atomically.
func Prometheus(w io.Writer, rep *doctor.Report, o Options) error {
	bw := bufio.NewWriter(w)
	lang := o.lang()
	help := func(name, key, typ string) {
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(i18n.T(key).In(lang)), name, typ)
	}
	host := promLabel(rep.Facts.Hostname)

	help("gmu_doctor_check_status", "report.prom.status", "gauge")
	for _, res := range rep.Results {
		for _, s := range statuses {
			v := 0
			if res.Status == s {
				v = 1
			}
			fmt.Fprintf(bw, "gmu_doctor_check_status{host=%s,id=%s,status=%s} %d\n", host, promLabel(res.ID), promLabel(s.String()), v)
		}
	}

	help("gmu_doctor_check_findings", "report.prom.findings", "gauge")
	for _, res := range rep.Results {
		n := map[doctor.Severity]int{}
		for _, f := range res.Findings {
			n[f.Severity]++
		}
		for _, sev := range []doctor.Severity{doctor.Warn, doctor.Fail} {
			fmt.Fprintf(bw, "gmu_doctor_check_findings{host=%s,id=%s,severity=%s} %d\n", host, promLabel(res.ID), promLabel(sev.String()), n[sev])
		}
	}

	help("gmu_doctor_checks", "report.prom.checks", "gauge")
	c := rep.Counts()
	for _, s := range statuses {
		fmt.Fprintf(bw, "gmu_doctor_checks{host=%s,status=%s} %d\n", host, promLabel(s.String()), c[s])
	}

	help("gmu_doctor_exit_code", "report.prom.exit", "gauge")
	fmt.Fprintf(bw, "gmu_doctor_exit_code{host=%s} %d\n", host, ExitCode(rep, o.Strict))

	help("gmu_doctor_run_timestamp_seconds", "report.prom.time", "gauge")
	fmt.Fprintf(bw, "gmu_doctor_run_timestamp_seconds{host=%s} %d\n", host, rep.StartedAt.Unix())

	writeMetricFamilies(bw, rep, host, lang)
	return bw.Flush()
}

// promFamily maps a check metric to its Prometheus family and value. A
// number of days left (name ending _days_left, whole days) becomes seconds
// in a family ending _expires_in_seconds, the base unit Prometheus names
// use (promtool check metrics rejects "days"):
//
//	cert_days_left 87  →  gmu_doctor_cert_expires_in_seconds 7516800
//
// Other metrics keep their name with the gmu_doctor_ prefix.
func promFamily(name string, value float64) (string, float64) {
	if strings.HasSuffix(name, "_days_left") {
		return "gmu_doctor_" + promName(strings.TrimSuffix(name, "_days_left")) + "_expires_in_seconds", value * 86400
	}
	return "gmu_doctor_" + promName(name), value
}

// promSeries is one line of a metric family.
type promSeries struct {
	check  string
	labels map[string]string // sanitized names
	value  float64
}

// writeMetricFamilies writes the checks' metrics grouped by name (sorted),
// each family once with # HELP and # TYPE gauge. Within a family the series
// come in suite order, then by labels. Every series of a family carries the
// same label names (missing ones are empty), and a repeated series is
// written once, so the textfile collector accepts the file.
func writeMetricFamilies(w io.Writer, rep *doctor.Report, host string, lang i18n.Lang) {
	families := map[string][]promSeries{}
	source := map[string]string{} // family → the check metric's name
	var names []string
	for _, res := range rep.Results {
		for _, m := range sortedMetrics(res.Metrics) {
			name, value := promFamily(m.Name, m.Value)
			if _, ok := families[name]; !ok {
				names = append(names, name)
				source[name] = m.Name
			}
			labels := map[string]string{}
			for _, k := range labelKeys(m.Labels) {
				n := promName(k)
				if strings.HasPrefix(n, "__") {
					n = "l" + n // names starting with __ are reserved
				}
				for n == "host" || n == "check" || hasKey(labels, n) {
					n += "_"
				}
				labels[n] = m.Labels[k]
			}
			families[name] = append(families[name], promSeries{check: res.ID, labels: labels, value: value})
		}
	}
	sort.Strings(names)
	for _, name := range names {
		series := families[name]
		all := map[string]string{}
		for _, s := range series {
			for k := range s.labels {
				all[k] = ""
			}
		}
		keys := labelKeys(all)
		short := source[name]
		help := i18n.T("report.prom.metric", short)
		if k := "report.prom.metric." + short; i18n.Has(k) {
			help = i18n.T(k)
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, escapeHelp(help.In(lang)), name)
		seen := map[string]bool{}
		for _, s := range series {
			var sb strings.Builder
			sb.WriteString(name + "{host=" + host + ",check=" + promLabel(s.check))
			for _, k := range keys {
				sb.WriteString("," + k + "=" + promLabel(s.labels[k]))
			}
			sb.WriteString("}")
			line := sb.String()
			if seen[line] {
				continue
			}
			seen[line] = true
			fmt.Fprintf(w, "%s %s\n", line, formatValue(s.value))
		}
	}
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// promName makes s a valid metric or label name, [a-zA-Z_][a-zA-Z0-9_]*:
// every other character becomes _, and a leading digit gets a _ before it.
func promName(s string) string {
	var sb strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			sb.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				sb.WriteByte('_')
			}
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	if sb.Len() == 0 {
		return "_"
	}
	return sb.String()
}

// promLabel quotes a label value: backslash, double quote and newline are
// escaped as the exposition format requires.
func promLabel(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	// Values come from the workstation (hostname, subjects, store names):
	// no control or bidi character reaches a terminal that shows them.
	// Newlines keep the format's own \n escape.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = termsafe.Line(l)
	}
	return `"` + r.Replace(strings.Join(lines, "\n")) + `"`
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}
