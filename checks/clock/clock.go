// Package clock is the clock check: a workstation clock that is behind makes
// every recently issued certificate "not yet valid", and signing fails with
// a chain or validity error that does not mention the clock.
package clock

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
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
	// The stores as every certificate check of the run sees them (read and
	// parsed once per run, by our parser: it also reads the accredited CAs'
	// certificates that crypto/x509 rejects, as Windows and CryptoPro do).
	st := certs.LoadCore(ctx, pass.Host)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for _, loc := range host.Locations {
		for _, name := range host.CoreStores {
			if err, ok := st.Errors[certs.StoreLabel(loc, name)]; ok {
				pass.Note(i18n.T("clock.note.store-unread", string(loc), string(name), err.Error()))
			}
		}
	}
	for _, e := range st.Entries {
		if len(e.Host.DER) == 0 {
			continue
		}
		if e.Cert == nil {
			pass.Note(i18n.T("clock.note.cert-unparsed", e.Host.SHA1, string(e.Loc), string(e.Store), e.Err.Error()))
			continue
		}
		count++
		if e.Cert.NotBefore.After(top.notBefore) {
			top = newest{notBefore: e.Cert.NotBefore, name: subjectName(e.Cert.Subject), sha1: e.Host.SHA1, loc: e.Loc, store: e.Store}
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
func subjectName(n pki.Name) string {
	// the last CN (as crypto/x509 reads a name), else the first O, else OU
	cn := ""
	for _, a := range n.Attrs() {
		if a.OID == oidCN {
			cn = a.Value
		}
	}
	if v := strings.TrimSpace(cn); v != "" {
		return v
	}
	for _, oid := range []string{oidO, oidOU} {
		for _, a := range n.Attrs() {
			if v := strings.TrimSpace(a.Value); a.OID == oid && v != "" {
				return v
			}
		}
	}
	return "—"
}

// Name attribute OIDs (X.520).
const (
	oidCN = "2.5.4.3"
	oidO  = "2.5.4.10"
	oidOU = "2.5.4.11"
)

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
