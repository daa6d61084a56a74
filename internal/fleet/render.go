package fleet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// Formats lists the output formats of `gmu-doctor report`.
var Formats = []string{"text", "csv", "json", "html"}

// RenderOptions control the renderers.
type RenderOptions struct {
	Lang i18n.Lang
	// ToolVersion is named in the HTML page's footer.
	ToolVersion string
}

func (o RenderOptions) t(key string, args ...any) string {
	lang := o.Lang
	if lang == "" {
		lang = i18n.RU
	}
	return i18n.T(key, args...).In(lang)
}

// Render writes s in format (one of Formats).
func Render(w io.Writer, s *Summary, format string, o RenderOptions) error {
	switch format {
	case "", "text":
		return Text(w, s, o)
	case "csv":
		return CSV(w, s)
	case "json":
		return report.WriteJSON(w, s)
	case "html":
		return HTML(w, s, o)
	}
	return fmt.Errorf("unknown format %q; valid formats: %s", format, strings.Join(Formats, ", "))
}

var textMarks = map[string]string{StatusOK: "[✓]", StatusWarn: "[!]", StatusFail: "[✗]", StatusError: "[?]", StatusUnreadable: "[x]"}

// Text writes the fleet for a terminal: totals, one line per workstation
// (worst first), the checks that fail across the fleet, the soonest
// expiries. Every value from the inputs passes through termsafe.
func Text(w io.Writer, s *Summary, o RenderOptions) error {
	bw := bufio.NewWriter(w)
	safe := termsafe.Line
	fmt.Fprintln(bw, o.t("fleet.totals", s.Totals["total"], s.Totals[StatusOK], s.Totals[StatusWarn], s.Totals[StatusFail], s.Totals[StatusError], s.Totals[StatusUnreadable]))
	if len(s.Workstations) > 0 {
		fmt.Fprintf(bw, "\n%s\n", o.t("fleet.section.workstations"))
		width := 0
		for _, ws := range s.Workstations {
			if n := len([]rune(safe(ws.Name))); n > width && n <= 40 {
				width = n
			}
		}
		for _, ws := range s.Workstations {
			line := fmt.Sprintf("  %s %-*s", textMarks[ws.Status], width, safe(ws.Name))
			switch {
			case ws.Status == StatusUnreadable:
				line += "  " + safe(ws.Error)
			default:
				line += "  " + safe(strings.TrimSpace(ws.OS+" "+ws.OSVersion))
				if len(ws.Failing) > 0 {
					line += "  " + o.t("fleet.text.failing", strings.Join(ws.Failing, ", "))
				}
				if len(ws.Warnings) > 0 {
					line += "  " + o.t("fleet.text.warnings", strings.Join(ws.Warnings, ", "))
				}
			}
			fmt.Fprintln(bw, strings.TrimRight(line, " "))
		}
	}
	var failing []CheckStat
	for _, c := range s.Checks {
		if c.Fail+c.Error > 0 {
			failing = append(failing, c)
		}
	}
	if len(failing) > 0 {
		fmt.Fprintf(bw, "\n%s\n", o.t("fleet.section.checks"))
		for _, c := range failing {
			names := make([]string, 0, len(c.Failing))
			for _, n := range c.Failing {
				names = append(names, safe(n))
			}
			fmt.Fprintf(bw, "  %s: %s\n", c.ID, o.t("fleet.text.check", c.Fail+c.Error, shortList(names, 10)))
		}
	}
	if len(s.Expiring) > 0 {
		fmt.Fprintf(bw, "\n%s\n", o.t("fleet.section.expiring"))
		for _, e := range s.Expiring {
			mark := " "
			if e.Days < s.Thresholds.CritDays {
				mark = "✗"
			} else if e.Days < s.Thresholds.WarnDays {
				mark = "!"
			}
			subject := safe(e.Subject)
			if e.SHA1 != "" {
				subject += " (" + safe(e.SHA1) + ")"
			}
			fmt.Fprintf(bw, "  %s %6d  %s  %s %s\n", mark, e.Days, safe(e.Workstation), o.t("fleet.kind."+e.Kind), subject)
		}
	}
	return bw.Flush()
}

func shortList(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(", … (+%d)", len(names)-max)
}

// CSV writes one row per workstation with a header row. Text cells that a
// spreadsheet would take for a formula (starting with = + - @, tab or CR)
// get a leading apostrophe: hostnames and paths are untrusted.
func CSV(w io.Writer, s *Summary) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"workstation", "file", "input", "status", "os", "os_version", "checked_at", "fail", "error", "warn",
		"failing_checks", "warning_checks", "soonest_days_left", "soonest_kind", "soonest_subject", "error_message"})
	for _, ws := range s.Workstations {
		days, kind, subject := "", "", ""
		if len(ws.Expiries) > 0 {
			e := ws.Expiries[0]
			days, kind, subject = strconv.Itoa(e.Days), e.Kind, e.Subject
		}
		_ = cw.Write([]string{cell(ws.Name), cell(ws.File), ws.Input, ws.Status, cell(ws.OS), cell(ws.OSVersion), ws.CheckedAt,
			strconv.Itoa(ws.Counts.Fail), strconv.Itoa(ws.Counts.Error), strconv.Itoa(ws.Counts.Warn),
			strings.Join(ws.Failing, " "), strings.Join(ws.Warnings, " "), days, kind, cell(subject), cell(ws.Error)})
	}
	cw.Flush()
	return cw.Error()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
