// Package report renders a doctor.Report for people (text, like a doctor
// command), for programs (versioned JSON, see docs/json-schema.json) and
// for monitoring (Prometheus text format). Renderers take every decision
// (language, colour, verbosity) as an option: they never look at the
// terminal or the environment themselves.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Options control rendering.
type Options struct {
	Lang i18n.Lang
	// Color enables ANSI colours in the text report; the caller decides
	// (terminal, NO_COLOR, --no-color).
	Color bool
	// ASCII replaces the ✓ ✗ • marks with ASCII ones, for legacy consoles
	// whose fonts lack them (Windows 7).
	ASCII bool
	// Verbose adds notes, durations and a header to the text report.
	Verbose bool
	// Strict counts warnings as problems (exit code and next step).
	Strict bool
	// Command is the command line suggested for re-running the check in the
	// final line of the text report; "" means "gmu-doctor check".
	Command string
	// DetailsCommand shows this very report again (with --snapshot FILE
	// when a snapshot was replayed); "" means Command.
	DetailsCommand string
	// Thresholds are the days-left limits of the Nagios output (zero:
	// DefaultThresholds).
	Thresholds Thresholds
}

func (o Options) lang() i18n.Lang {
	if o.Lang == "" {
		return i18n.RU
	}
	return o.Lang
}

func (o Options) command() string {
	if o.Command == "" {
		return "gmu-doctor check"
	}
	return o.Command
}

// Formats lists the output formats Render accepts.
var Formats = []string{"text", "json", "prometheus", "nagios"}

// UnknownFormatError is returned by Render for a format not in Formats.
type UnknownFormatError struct{ Format string }

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown format %q; valid formats: %s", e.Format, strings.Join(Formats, ", "))
}

// Render writes rep in the named format.
func Render(w io.Writer, rep *doctor.Report, format string, o Options) error {
	switch format {
	case "", "text":
		return Text(w, rep, o)
	case "json":
		return JSON(w, rep, o)
	case "prometheus":
		return Prometheus(w, rep, o)
	case "nagios":
		return Nagios(w, rep, o)
	}
	return &UnknownFormatError{Format: format}
}

// ExitCode is the exit code a run ends with: 0 healthy (warnings allowed),
// 1 problems found (any fail or error; with strict also any warn).
func ExitCode(rep *doctor.Report, strict bool) int {
	if rep.Unhealthy(strict) {
		return 1
	}
	return 0
}

// Counts are the number of checks per status.
type Counts struct {
	OK      int `json:"ok"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

// CountsOf counts rep's results by status.
func CountsOf(rep *doctor.Report) Counts {
	c := rep.Counts()
	return Counts{OK: c[doctor.StatusOK], Warn: c[doctor.StatusWarn], Fail: c[doctor.StatusFail],
		Error: c[doctor.StatusError], Skipped: c[doctor.StatusSkipped]}
}

// statuses in display order for per-status output.
var statuses = []doctor.Status{doctor.StatusOK, doctor.StatusWarn, doctor.StatusFail, doctor.StatusError, doctor.StatusSkipped}
