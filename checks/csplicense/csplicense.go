// Package csplicense is the csp-license check: the CryptoPro CSP licence is
// valid and not about to expire. An expired licence (the 90-day demo in
// particular) makes signing fail with opaque errors.
package csplicense

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Config of the csp-license check (checks.csp-license).
type Config struct {
	// WarnDays: warn when the licence expires within this many days.
	WarnDays int `json:"warn_days"`
}

// Check is the csp-license check.
var Check = &doctor.Check{
	ID:        "csp-license",
	Title:     i18n.T("check.csp-license.title"),
	Doc:       i18n.T("check.csp-license.doc"),
	OS:        []string{"windows", "linux"},
	Requires:  []string{"csp"},
	NewConfig: func() any { return &Config{WarnDays: 30} },
	Run:       run,
}

// SerialPlaceholder stands for the licence serial in fix commands.
const SerialPlaceholder = "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg := pass.Config.(*Config)
	if cfg.WarnDays < 0 {
		return fmt.Errorf("warn_days is %d, want 0 or more", cfg.WarnDays)
	}
	h := pass.Host
	f := h.Facts()
	in, err := csp.Detect(ctx, h)
	if err != nil {
		return err
	}
	if !in.Installed {
		return doctor.Skip(i18n.T("csp-license.skip.no-csp"))
	}
	var tool string
	if f.OS == "windows" {
		tool = in.Dir + `\cpconfig.exe`
	} else {
		tool = in.SbinDir + "/cpconfig"
	}
	fi, err := h.Stat(ctx, tool)
	if err != nil {
		return fmt.Errorf("look for cpconfig: %w", err)
	}
	if !fi.Exists {
		return noTool(pass, f, in, tool)
	}
	argv := []string{tool, "-license", "-view"}
	res, err := h.Run(ctx, host.Command{Argv: argv})
	if errors.Is(err, host.ErrCommandNotFound) {
		return noTool(pass, f, in, tool)
	}
	if errors.Is(err, host.ErrNoExec) {
		// --root: the licence is in cpconfig's keeping, not in a file
		// gmu-doctor reads.
		return doctor.Skip(i18n.T("csp-license.skip.mounted", commandLine(argv)))
	}
	if err != nil {
		return fmt.Errorf("run cpconfig: %w", err)
	}
	out := append(append([]byte(nil), res.Stdout...), res.Stderr...)
	view := commandLine(argv)
	lic, perr := cprocsp.ParseLicense(out)
	switch {
	case errors.Is(perr, cprocsp.ErrUnknownLicenseFormat):
		pass.Summary(i18n.T("csp-license.summary.unknown"))
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "csp-license.format-unknown",
			Message:  i18n.T("csp-license.format-unknown", view, platform.FirstLine(cprocsp.DecodeText(out))),
			Hint:     i18n.T("csp-license.format-unknown.hint"),
			Commands: []string{view},
			Subject:  tool,
		})
		return nil
	case perr != nil:
		pass.Summary(i18n.T("csp-license.summary.invalid"))
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "csp-license.invalid",
			Message:  i18n.T("csp-license.invalid", view, perr.Error()),
			Hint:     setHint(f),
			Commands: setCommands(f, tool),
			Subject:  tool,
		})
		return nil
	}
	if lic.Serial != "" {
		pass.Note(i18n.T("csp-license.note.serial", maskSerial(lic.Serial)))
	}
	kind := i18n.Raw(lic.Type)
	if lic.Type == "" {
		kind = i18n.T("csp-license.type-unknown")
	}
	demo := strings.Contains(strings.ToLower(lic.Type), "demo") || strings.Contains(strings.ToLower(lic.Type), "демо")
	// Days left for monitoring (license_days_left): 0 once expired; none
	// for a permanent licence or one whose expiry cpconfig does not show.
	switch {
	case lic.Expired:
		pass.Metric("license_days_left", 0, nil)
	case lic.HasDaysLeft && !lic.Permanent:
		pass.Metric("license_days_left", float64(lic.DaysLeft), nil)
	}
	switch {
	case lic.Expired:
		code, msg := "csp-license.expired", i18n.T("csp-license.expired", kind, view)
		if demo {
			code, msg = "csp-license.demo-expired", i18n.T("csp-license.demo-expired", view)
		}
		pass.Summary(i18n.T("csp-license.summary.expired"))
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: code, Message: msg,
			Hint: setHint(f), Commands: setCommands(f, tool), Subject: tool,
		})
	case lic.Permanent:
		pass.Summary(i18n.T("csp-license.summary.permanent", kind))
	case lic.HasDaysLeft:
		pass.Summary(i18n.T("csp-license.summary.days", kind, lic.DaysLeft))
		if lic.DaysLeft <= cfg.WarnDays {
			pass.Report(doctor.Finding{
				Severity: doctor.Warn, Code: "csp-license.expires-soon",
				Message: i18n.T("csp-license.expires-soon", kind, lic.DaysLeft, cfg.WarnDays, view),
				Hint:    setHint(f), Commands: setCommands(f, tool), Subject: tool,
			})
		} else if demo {
			pass.Note(i18n.T("csp-license.note.demo", lic.DaysLeft))
		}
	default:
		pass.Summary(i18n.T("csp-license.summary.no-expiry", kind))
		pass.Note(i18n.T("csp-license.note.no-expiry", view))
	}
	return nil
}

// noTool: cpconfig is missing. On Windows the serial in the MSI properties
// shows a licence was entered, but not when it expires.
func noTool(pass *doctor.Pass, f host.Facts, in csp.Install, tool string) error {
	if f.OS == "windows" && in.Serial != "" {
		pass.Summary(i18n.T("csp-license.summary.serial-only"))
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "csp-license.expiry-unknown",
			Message:  i18n.T("csp-license.expiry-unknown", maskSerial(in.Serial), in.Where, tool),
			Hint:     i18n.T("csp-license.expiry-unknown.hint"),
			Commands: []string{`control.exe "` + in.Dir + `\cpanel.cpl"`},
			Subject:  in.Where,
		})
		return nil
	}
	pass.Report(doctor.Finding{
		Severity: doctor.Warn, Code: "csp-license.no-cpconfig",
		Message:  i18n.T("csp-license.no-cpconfig", tool),
		Hint:     i18n.T("csp-license.no-cpconfig.hint"),
		Commands: csp.InstallCommands(f),
		URL:      csp.DownloadURL,
		Subject:  tool,
	})
	return nil
}

func setHint(f host.Facts) i18n.Text {
	if f.OS == "windows" {
		return i18n.T("csp-license.set.hint.windows")
	}
	return i18n.T("csp-license.set.hint.linux")
}

func setCommands(f host.Facts, tool string) []string {
	if f.OS == "windows" {
		return []string{`"` + tool + `" -license -set ` + SerialPlaceholder}
	}
	return []string{"sudo " + tool + " -license -set " + SerialPlaceholder}
}

func commandLine(argv []string) string {
	if strings.Contains(argv[0], " ") {
		return `"` + argv[0] + `" ` + strings.Join(argv[1:], " ")
	}
	return strings.Join(argv, " ")
}

// maskSerial keeps the first and last five characters of a serial.
func maskSerial(s string) string {
	r := []rune(s)
	if len(r) <= 10 {
		return s
	}
	for i := 5; i < len(r)-5; i++ {
		if r[i] != '-' {
			r[i] = '*'
		}
	}
	return string(r)
}
