// Package clock is the clock check: a workstation clock that is behind makes
// every recently issued certificate "not yet valid", and signing fails with
// a chain or validity error that does not mention the clock.
package clock

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Config of the clock check (checks.clock in the config file).
type Config struct {
	// ToleranceMinutes is how far a certificate's start of validity may be
	// ahead of the clock before the clock is called wrong.
	ToleranceMinutes int `json:"tolerance_minutes"`
}

// Check is the clock check.
var Check = &doctor.Check{
	ID:        "clock",
	Title:     i18n.T("check.clock.title"),
	Doc:       i18n.T("check.clock.doc"),
	NewConfig: func() any { return &Config{ToleranceMinutes: 5} },
	Run:       run,
}

// Earliest is the earliest date a correct clock can show: every
// certificate of the current Russian PKI was issued later.
var Earliest = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// newest is the certificate with the latest start of validity.
type newest struct {
	notBefore time.Time
	name      string
	sha1      string
	loc       host.StoreLocation
	store     host.StoreName
}

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg := pass.Config.(*Config)
	if cfg.ToleranceMinutes < 0 {
		return fmt.Errorf("tolerance_minutes is %d, want 0 or more", cfg.ToleranceMinutes)
	}
	f := pass.Host.Facts()
	now := pass.Host.Now()
	zone := time.FixedZone("", f.UTCOffsetSeconds)
	local := now.In(zone)
	pass.Summary(i18n.T("clock.summary", local.Format("2006-01-02 15:04:05"), platform.UTCOffset(f.UTCOffsetSeconds), zoneName(f)))
	if !russianOffset(f.UTCOffsetSeconds) {
		pass.Note(i18n.T("clock.note.foreign-zone", platform.UTCOffset(f.UTCOffsetSeconds)))
	}

	if now.Before(Earliest) {
		pass.Report(doctor.Finding{
			Severity: doctor.Fail,
			Code:     "clock.before-2020",
			Message:  i18n.T("clock.before-2020", local.Format("2006-01-02 15:04")),
			Hint:     fixHint(f.OS),
			Commands: fixCommands(f.OS),
		})
		return nil
	}

	var top newest
	count := 0
	for _, loc := range host.Locations {
		for _, st := range host.CoreStores {
			certs, err := pass.Host.Certificates(ctx, loc, st)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				pass.Note(i18n.T("clock.note.store-unread", string(loc), string(st), err.Error()))
				continue
			}
			for _, c := range certs {
				if len(c.DER) == 0 {
					continue
				}
				x, err := x509.ParseCertificate(c.DER)
				if err != nil {
					pass.Note(i18n.T("clock.note.cert-unparsed", c.SHA1, string(loc), string(st), err.Error()))
					continue
				}
				count++
				if x.NotBefore.After(top.notBefore) {
					name := subjectName(x.Subject)
					top = newest{notBefore: x.NotBefore, name: name, sha1: c.SHA1, loc: loc, store: st}
				}
			}
		}
	}
	if count == 0 {
		pass.Note(i18n.T("clock.note.no-certs"))
		return nil
	}
	tolerance := time.Duration(cfg.ToleranceMinutes) * time.Minute
	if top.notBefore.After(now.Add(tolerance)) {
		pass.Report(doctor.Finding{
			Severity: doctor.Fail,
			Code:     "clock.behind-certificate",
			Message: i18n.T("clock.behind-certificate", local.Format("2006-01-02 15:04"),
				top.name, top.sha1, string(top.loc), string(top.store), top.notBefore.In(zone).Format("2006-01-02 15:04")),
			Hint:     fixHint(f.OS),
			Commands: fixCommands(f.OS),
			Subject:  top.sha1,
		})
		return nil
	}
	pass.Note(i18n.T("clock.note.newest", top.name, top.notBefore.In(zone).Format("2006-01-02 15:04")))
	return nil
}

// subjectName names a certificate by its CN, else its organisation: never
// by the whole subject, which may hold the holder's СНИЛС and ИНН.
func subjectName(n pkix.Name) string {
	for _, list := range [][]string{{n.CommonName}, n.Organization, n.OrganizationalUnit} {
		for _, v := range list {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return "—"
}

func fixHint(goos string) i18n.Text {
	switch goos {
	case "windows":
		return i18n.T("clock.fix.windows")
	case "darwin":
		return i18n.T("clock.fix.darwin")
	}
	return i18n.T("clock.fix.linux")
}

func fixCommands(goos string) []string {
	switch goos {
	case "windows":
		return []string{"w32tm /resync"}
	case "darwin":
		return []string{"sudo sntp -sS time.apple.com"}
	}
	return []string{"sudo timedatectl set-ntp true", "sudo chronyc makestep"}
}

func zoneName(f host.Facts) string {
	if f.TimeZone == "" {
		return "?"
	}
	return f.TimeZone
}

// russianOffset reports whether the offset is one of Russia's zones:
// UTC+2 (Kaliningrad) to UTC+12 (Kamchatka), whole hours.
func russianOffset(sec int) bool {
	return sec%3600 == 0 && sec >= 2*3600 && sec <= 12*3600
}
