package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// palette holds the colours of one rendering; each is enabled or disabled
// on its own, so the global color.NoColor is never touched.
type palette struct {
	ok, warn, fail, errc, skip, cmd, faint *color.Color
}

func newPalette(enabled bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{
		ok:    mk(color.FgGreen, color.Bold),
		warn:  mk(color.FgYellow, color.Bold),
		fail:  mk(color.FgRed, color.Bold),
		errc:  mk(color.FgMagenta, color.Bold),
		skip:  mk(color.Faint),
		cmd:   mk(color.FgCyan),
		faint: mk(color.Faint),
	}
}

func (p palette) status(s doctor.Status) *color.Color {
	switch s {
	case doctor.StatusOK:
		return p.ok
	case doctor.StatusWarn:
		return p.warn
	case doctor.StatusFail:
		return p.fail
	case doctor.StatusError:
		return p.errc
	}
	return p.skip
}

// Marks are the status boxes of the text report.
var Marks = map[doctor.Status]string{
	doctor.StatusOK:      "[✓]",
	doctor.StatusWarn:    "[!]",
	doctor.StatusFail:    "[✗]",
	doctor.StatusError:   "[?]",
	doctor.StatusSkipped: "[-]",
}

var severityMarks = map[doctor.Severity]string{doctor.Warn: "!", doctor.Fail: "✗"}

// ASCIIMarks are the status boxes for consoles without ✓ and ✗.
var ASCIIMarks = map[doctor.Status]string{
	doctor.StatusOK:      "[+]",
	doctor.StatusWarn:    "[!]",
	doctor.StatusFail:    "[x]",
	doctor.StatusError:   "[?]",
	doctor.StatusSkipped: "[-]",
}

var asciiSeverityMarks = map[doctor.Severity]string{doctor.Warn: "!", doctor.Fail: "x"}

// Text writes the human report: one line per check, the findings under it
// with the fix and the exact commands, and a final line with the counts
// and the next step.
func Text(w io.Writer, rep *doctor.Report, o Options) error {
	bw := bufio.NewWriter(w)
	lang := o.lang()
	p := newPalette(o.Color)
	tr := func(t i18n.Text) string { return termsafe.Text(t.In(lang)) }
	marks, sevMarks, bullet := Marks, severityMarks, "•"
	if o.ASCII {
		marks, sevMarks, bullet = ASCIIMarks, asciiSeverityMarks, "*"
		// The closing lines name the marks; show the ones used here.
		tr = func(t i18n.Text) string {
			return termsafe.Text(strings.NewReplacer("✗", "x", "✓", "+").Replace(t.In(lang)))
		}
	}

	if o.Verbose || rep.Source == "snapshot" {
		key := "report.header.live"
		if rep.Source == "snapshot" {
			key = "report.header.snapshot"
		}
		name := rep.Facts.ProductName
		if name == "" {
			name = rep.Facts.OS
		}
		// Facts come from the inspected machine or snapshot: one line each.
		osDesc := termsafe.Line(strings.Join(nonEmpty(name, rep.Facts.Version, rep.Facts.Arch), ", "))
		fmt.Fprintln(bw, p.faint.Sprint(tr(i18n.T(key, orDash(termsafe.Line(rep.Facts.Hostname)), osDesc))))
		fmt.Fprintln(bw)
	}

	for _, res := range rep.Results {
		line := p.status(res.Status).Sprint(marks[res.Status]) + " " + tr(res.Title)
		paren := tr(res.Summary)
		reason := tr(res.Reason)
		if paren == "" && reason != "" {
			paren, reason = reason, ""
		}
		if paren != "" {
			line += " (" + paren + ")"
		}
		if o.Verbose {
			line += p.faint.Sprint(" [" + formatDuration(res.Duration) + "]")
		}
		fmt.Fprintln(bw, line)
		if reason != "" {
			fmt.Fprintln(bw, "    "+reason)
		}
		for _, f := range res.Findings {
			mark := sevMarks[f.Severity]
			if mark == "" {
				mark = "?"
			}
			c := p.warn
			if f.Severity == doctor.Fail {
				c = p.fail
			}
			writeIndented(bw, "    "+c.Sprint(mark)+" ", "      ", tr(f.Message))
			if h := tr(f.Hint); h != "" {
				writeIndented(bw, "      ", "      ", h)
			}
			for _, cmd := range f.Commands {
				// A multi-line command (a config snippet) keeps its own
				// indentation under the common one.
				for _, l := range commandLines(termsafe.Text(cmd)) {
					body := strings.TrimLeft(l, " ")
					fmt.Fprintln(bw, "        "+l[:len(l)-len(body)]+p.cmd.Sprint(body))
				}
			}
			if f.Subject != "" {
				fmt.Fprintln(bw, "      "+p.faint.Sprint(tr(i18n.T("report.subject", termsafe.Line(f.Subject)))))
			}
			if f.URL != "" {
				fmt.Fprintln(bw, "      "+p.faint.Sprint(tr(i18n.T("report.url", termsafe.Line(f.URL)))))
			}
		}
		if o.Verbose {
			for _, n := range res.Notes {
				writeIndented(bw, "    "+bullet+" ", "      ", tr(n))
			}
			for _, m := range sortedMetrics(res.Metrics) {
				fmt.Fprintln(bw, "    "+bullet+" "+p.faint.Sprint(termsafe.Line(metricLine(m))))
			}
		}
	}

	c := CountsOf(rep)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, tr(i18n.T("report.counts", c.OK, c.Warn, c.Fail, c.Error, c.Skipped)))
	for _, next := range nextSteps(rep, c, o) {
		fmt.Fprintln(bw, tr(next))
	}
	return bw.Flush()
}

// nextSteps chooses the closing lines: always something to do next.
func nextSteps(rep *doctor.Report, c Counts, o Options) []i18n.Text {
	cmd := o.command()
	var out []i18n.Text
	switch {
	case len(rep.Results) == 0:
		return []i18n.Text{i18n.T("report.next.none")}
	case c.Fail > 0 || (o.Strict && c.Warn > 0):
		if o.Strict && c.Warn > 0 {
			out = append(out, i18n.T("report.next.fix-strict", cmd))
		} else {
			out = append(out, i18n.T("report.next.fix", cmd))
		}
	case c.Error > 0:
	case c.Warn > 0:
		out = append(out, i18n.T("report.next.warnings", cmd))
	default:
		out = append(out, i18n.T("report.next.healthy"))
	}
	if c.Error > 0 {
		details := cmd
		if o.DetailsCommand != "" {
			details = o.DetailsCommand
		}
		verbose := details + " -v"
		if o.Verbose {
			verbose = details + " -v --format json"
		}
		out = append(out, i18n.T("report.next.errors", verbose))
	}
	return out
}

// commandLines splits a command into its lines (a config snippet has
// several), keeping each line's own leading spaces; CRLF line ends and
// trailing empty lines are dropped.
func commandLines(cmd string) []string {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(cmd, "\r\n", "\n"), "\r\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return lines
}

// writeIndented writes a possibly multi-line text: the first line after
// first, the following ones after rest.
func writeIndented(w io.Writer, first, rest, text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintln(w, first+l)
		} else {
			fmt.Fprintln(w, rest+l)
		}
	}
}

func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
