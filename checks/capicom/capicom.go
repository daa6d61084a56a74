// Package capicom is the capicom check: the 32-bit CAPICOM library that
// legacy signing pages script from Internet Explorer is present and
// registered. Without it the page fails with «Объект не поддерживает это
// свойство или метод» or «Не установлен объект Capicom».
package capicom

import (
	"context"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the capicom check.
var Check = &doctor.Check{
	ID:    "capicom",
	Title: i18n.T("check.capicom.title"),
	Doc:   i18n.T("check.capicom.doc"),
	OS:    []string{"windows"},
	Run:   run,
}

// DownloadURL is Microsoft's CAPICOM 2.1.0.2 download (id 25281).
const DownloadURL = "https://www.microsoft.com/en-us/download/details.aspx?id=25281"

// Classes are the ProgIDs checked, with their CLSIDs from capicom.h for
// reference (the check follows what the ProgID names).
var Classes = []struct{ ProgID, CLSID string }{
	{"CAPICOM.Utilities", "{22A85CE1-F011-4231-B9E4-7E7A0438F71B}"},
	{"CAPICOM.Store", "{78E61E52-0E57-4456-A2F2-517492BCBF8F}"},
}

func is64(f host.Facts) bool { return f.Arch == "amd64" || f.Arch == "arm64" }

// SystemDir is where the 32-bit capicom.dll belongs.
func SystemDir(h host.Host) string {
	dir := browsers.WinEnv(h, "SystemRoot")
	if is64(h.Facts()) {
		return dir + `\SysWOW64`
	}
	return dir + `\System32`
}

func run(ctx context.Context, pass *doctor.Pass) error {
	h := pass.Host
	f := h.Facts()
	if f.OS != "windows" {
		return doctor.Skip(i18n.T("capicom.skip.os"))
	}
	if !profile.AnyNeeds(pass.Options.Profiles, profile.NeedCAPICOM) {
		return doctor.Skip(i18n.T("capicom.skip.not-needed"))
	}
	sev := platform.Severity(pass.Options.Profiles, profile.NeedCAPICOM)
	platform.NoteIfInferred(pass, profile.NeedCAPICOM)
	dir := SystemDir(h)
	dll := dir + `\capicom.dll`
	register := []string{`cd /d ` + dir, `regsvr32 capicom.dll`}
	repair := []doctor.Repair{{Kind: doctor.RepairRun, Admin: true,
		Argv:     []string{dir + `\regsvr32.exe`, "/s", dll},
		UndoArgv: []string{dir + `\regsvr32.exe`, "/s", "/u", dll}}}
	fi, err := h.Stat(ctx, dll)
	if err != nil {
		return fmt.Errorf("look for capicom.dll: %w", err)
	}
	if !fi.Exists {
		pass.Summary(i18n.T("capicom.summary.missing"))
		pass.Report(doctor.Finding{
			Severity: sev, Code: "capicom.missing",
			Message:  i18n.T("capicom.missing", dll),
			Hint:     i18n.T("capicom.missing.hint", dir),
			Commands: append([]string{`copy capicom.dll ` + dir + `\`}, register...),
			URL:      DownloadURL,
			Subject:  dll,
		})
		return nil
	}
	for _, c := range Classes {
		server, where, err := inproc(ctx, h, c.ProgID)
		if err != nil {
			return err
		}
		switch {
		case server == "":
			pass.Summary(i18n.T("capicom.summary.unregistered"))
			pass.Report(doctor.Finding{
				Severity: sev, Code: "capicom.not-registered",
				Message:  i18n.T("capicom.not-registered", c.ProgID, where, dll),
				Hint:     i18n.T("capicom.register.hint"),
				Commands: register,
				Subject:  where,
				Repairs:  repair,
			})
			return nil
		default:
			path := browsers.ExpandEnv(h, server)
			sfi, err := h.Stat(ctx, path)
			if err != nil {
				return fmt.Errorf("look for %s: %w", path, err)
			}
			if !sfi.Exists {
				pass.Summary(i18n.T("capicom.summary.unregistered"))
				pass.Report(doctor.Finding{
					Severity: sev, Code: "capicom.server-missing",
					Message:  i18n.T("capicom.server-missing", c.ProgID, where, path),
					Hint:     i18n.T("capicom.register.hint"),
					Commands: register,
					Subject:  where,
					Repairs:  repair,
				})
				return nil
			}
			pass.Note(i18n.T("capicom.note.registered", c.ProgID, path))
		}
	}
	pass.Summary(i18n.T("capicom.summary.ok"))
	return nil
}

// inproc follows ProgID → CLSID → InprocServer32 in the 32-bit view and
// returns the server path ("" when unregistered) and the key it read last.
func inproc(ctx context.Context, h host.Host, progID string) (string, string, error) {
	view := host.RegViewDefault
	if is64(h.Facts()) {
		view = host.RegView32
	}
	pk := `HKCR\` + progID + `\CLSID`
	k, err := h.RegistryKey(ctx, pk, view)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", progID, err)
	}
	clsid := ""
	if v, ok := k.Value(""); k.Exists && ok {
		clsid = strings.TrimSpace(v.Text())
	}
	if clsid == "" {
		return "", pk, nil
	}
	sk := `HKCR\CLSID\` + clsid + `\InprocServer32`
	s, err := h.RegistryKey(ctx, sk, view)
	if err != nil {
		return "", "", fmt.Errorf("read %s server: %w", progID, err)
	}
	if v, ok := s.Value(""); s.Exists && ok && strings.TrimSpace(v.Text()) != "" {
		return strings.Trim(strings.TrimSpace(v.Text()), `"`), sk, nil
	}
	return "", sk, nil
}
