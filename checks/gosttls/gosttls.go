// Package gosttls is the gost-tls-browser check: sites served over TLS with
// GOST cipher suites (ФЗС lk-fzs.roskazna.ru, parts of ЕИС) open only in a
// browser that speaks GOST TLS through CryptoPro CSP — Chromium-Gost or
// Yandex Browser. Chrome, Edge and Firefox alone end with
// ERR_SSL_VERSION_OR_CIPHER_MISMATCH.
package gosttls

import (
	"context"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the gost-tls-browser check.
var Check = &doctor.Check{
	ID:    "gost-tls-browser",
	Title: i18n.T("check.gost-tls-browser.title"),
	Doc:   i18n.T("check.gost-tls-browser.doc"),
	OS:    []string{"windows", "linux"},
	Run:   run,
}

// Where to get a GOST-TLS browser.
const (
	ChromiumGOSTURL = "https://github.com/deemru/chromium-gost/releases"
	YandexURL       = "https://browser.yandex.ru"
)

func run(ctx context.Context, pass *doctor.Pass) error {
	sites := pass.Options.Profiles
	if !profile.AnyNeeds(sites, profile.NeedGOSTTLS) {
		return doctor.Skip(i18n.T("gost-tls-browser.skip.not-needed"))
	}
	platform.NoteIfInferred(pass, profile.NeedGOSTTLS)
	bs, err := browsers.DiscoverWith(ctx, pass.Host, browsers.Limits{SkipCaches: true})
	if err != nil {
		return err
	}
	var gost, other []string
	for _, b := range bs {
		switch {
		case b.GOSTTLS && b.Installed:
			gost = append(gost, b.Name)
			pass.Note(i18n.T("gost-tls-browser.note.found", b.Name, b.InstallPath))
		case b.GOSTTLS:
			// User data without a known install location: probably
			// installed somewhere else (portable, flatpak).
			gost = append(gost, b.Name)
			pass.Note(i18n.T("gost-tls-browser.note.data-only", b.Name, b.DataDir))
		default:
			other = append(other, b.Name)
		}
	}
	if len(gost) > 0 {
		pass.Summary(i18n.T("gost-tls-browser.summary", strings.Join(gost, ", ")))
		return nil
	}
	f := pass.Host.Facts()
	var cmds []string
	switch f.OS {
	case "windows":
		cmds = []string{"start " + ChromiumGOSTURL + "/latest"}
	default:
		if platform.UsesRPM(f) {
			cmds = []string{"sudo rpm -i chromium-gost-*-linux-amd64.rpm"}
		} else {
			cmds = []string{"sudo apt install ./chromium-gost-*-linux-amd64.deb"}
		}
	}
	others := i18n.Raw(strings.Join(other, ", "))
	if len(other) == 0 {
		others = i18n.T("gost-tls-browser.no-browsers")
	}
	pass.Summary(i18n.T("gost-tls-browser.summary.none"))
	pass.Report(doctor.Finding{
		Severity: platform.Severity(sites, profile.NeedGOSTTLS), Code: "gost-tls-browser.missing",
		Message:  i18n.T("gost-tls-browser.missing", strings.Join(platform.Domains(sites, profile.NeedGOSTTLS), ", "), others),
		Hint:     i18n.T("gost-tls-browser.missing.hint", YandexURL),
		Commands: cmds,
		URL:      ChromiumGOSTURL,
	})
	return nil
}
