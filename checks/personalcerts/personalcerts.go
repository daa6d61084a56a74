// Package personalcerts is the personal-certs check: the user has a
// personal certificate with a link to its private key, the key container
// is there, and neither the certificate nor the key has expired or is
// about to.
package personalcerts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Config is checks.personal-certs in the config file.
type Config struct {
	// WarnDays: a certificate or private key that expires within this many
	// days is a warning (default 30).
	WarnDays int `json:"warn_days"`
}

// DefaultWarnDays is the default of Config.WarnDays.
const DefaultWarnDays = 30

// Check is the personal-certs check.
var Check = &doctor.Check{
	ID:        "personal-certs",
	Title:     i18n.T("check.personal-certs.title"),
	Doc:       i18n.T("check.personal-certs.doc"),
	NewConfig: func() any { return &Config{WarnDays: DefaultWarnDays} },
	Run:       run,
}

type state struct {
	pass       *doctor.Pass
	cfg        *Config
	now        time.Time
	cmds       certs.Cmds
	show       bool
	containers []cprocsp.Container
	contKnown  bool // the container list was read
}

// date formats t as a date in the workstation's time zone.
func (s *state) date(t time.Time) string { return certs.LocalDate(s.pass.Host.Facts(), t) }

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg, _ := pass.Config.(*Config)
	if cfg == nil {
		cfg = &Config{WarnDays: DefaultWarnDays}
	}
	st := certs.Load(ctx, pass.Host, host.Locations, []host.StoreName{host.StoreMy})
	if !st.Read(host.CurrentUser, host.StoreMy) {
		return fmt.Errorf("read the personal certificate store: %s", st.ErrorText())
	}
	s := &state{pass: pass, cfg: cfg, now: pass.Host.Now(), cmds: certs.For(pass.Host.Facts()), show: pass.Options.ShowPersonal}
	if !s.cmds.Windows() {
		s.listContainers(ctx)
	}
	var mine []certs.Entry
	for _, e := range st.In(host.CurrentUser, host.StoreMy) {
		if e.Cert != nil && !certs.Signing(e.Cert) {
			pass.Note(i18n.T("certs.note.non-gost", certs.Label(e.Cert, s.show), e.Cert.SHA1, e.Where()))
			continue
		}
		mine = append(mine, e)
	}
	usable := 0
	for _, e := range mine {
		if e.Cert != nil && e.Cert.ValidAt(s.now) {
			usable++
		}
	}
	if len(mine) == 0 {
		s.reportNone()
	}
	for _, e := range mine {
		s.checkOne(e, usable)
	}
	for _, e := range st.In(host.LocalMachine, host.StoreMy) {
		if !certs.Signing(e.Cert) {
			continue
		}
		pass.Note(i18n.T("personal-certs.note.machine", certs.Label(e.Cert, s.show), e.Cert.SHA1, certs.DaysLeft(s.now, e.Cert.NotAfter)))
	}
	if err, ok := st.Errors[certs.StoreLabel(host.LocalMachine, host.StoreMy)]; ok {
		pass.Note(i18n.T("certs.note.store-errors", certs.StoreLabel(host.LocalMachine, host.StoreMy)+": "+err.Error()))
	}
	pass.Summary(i18n.T("personal-certs.summary", usable, len(mine)))
	return nil
}

// listContainers asks CryptoPro which key containers are reachable.
func (s *state) listContainers(ctx context.Context) {
	argv := s.cmds.ListContainers()
	res, err := s.pass.Host.Run(ctx, host.Command{Argv: argv})
	if errors.Is(err, host.ErrNoExec) {
		s.pass.Note(i18n.T("personal-certs.note.mounted", strings.Join(argv, " ")))
		return
	}
	if err != nil {
		s.pass.Note(i18n.T("personal-certs.note.containers-unknown", strings.Join(argv, " "), err.Error()))
		return
	}
	list, err := cprocsp.ParseContainers(append(append([]byte(nil), res.Stdout...), res.Stderr...))
	if err != nil {
		s.pass.Note(i18n.T("personal-certs.note.containers-unknown", strings.Join(argv, " "), err.Error()))
		return
	}
	s.containers, s.contKnown = list, true
	names := make([]string, 0, len(list))
	for _, c := range list {
		names = append(names, c.FQCN)
	}
	if len(names) == 0 {
		names = append(names, "—")
	}
	s.pass.Note(i18n.T("personal-certs.note.containers", strings.Join(names, "; ")))
}

func (s *state) containerCommands() []string {
	if s.cmds.Windows() {
		return nil
	}
	out := []string{strings.Join(s.cmds.ListContainers(), " ")}
	if len(s.containers) == 1 {
		return append(out, s.cmds.InstallFromContainer(s.containers[0].FQCN))
	}
	return append(out, s.cmds.InstallFromContainer(`\\.\HDIMAGE\<container>`))
}

func (s *state) installHint() i18n.Text {
	if s.cmds.Windows() {
		return i18n.T("personal-certs.install.hint.windows")
	}
	return i18n.T("personal-certs.install.hint.cprocsp")
}

func (s *state) reportNone() {
	s.pass.Report(doctor.Finding{
		Severity: doctor.Fail, Code: "personal-certs.none",
		Message:  i18n.T("personal-certs.none.msg", certs.StoreLabel(host.CurrentUser, host.StoreMy)),
		Hint:     s.installHint(),
		Commands: s.containerCommands(),
	})
}

func (s *state) checkOne(e certs.Entry, usable int) {
	pass := s.pass
	if e.Cert == nil {
		// The error may quote the subject (certmgr's listing): mask it.
		hint := i18n.T("personal-certs.unreadable.hint")
		if e.Host.FromListing() {
			// Only certmgr's listing could be read, not the certificate:
			// nothing is damaged, gmu-doctor just cannot check it.
			hint = i18n.T("personal-certs.unreadable.hint.listing", e.Host.Source)
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "personal-certs.unreadable", Subject: "sha1:" + e.SHA1(),
			Message: i18n.T("personal-certs.unreadable.msg", e.SHA1(), e.Where(), certs.SafeText(fmt.Sprint(e.Err), s.show)),
			Hint:    hint,
		})
		return
	}
	c := e.Cert
	label := certs.Label(c, s.show)
	subject := "sha1:" + c.SHA1
	labels := map[string]string{"sha1": c.SHA1, "store": e.Where(), "subject_cn": label}
	days := certs.DaysLeft(s.now, c.NotAfter)
	pass.Metric("cert_days_left", float64(days), labels)
	keyDays := days
	if c.PrivateKeyNotAfter != nil {
		keyDays = certs.DaysLeft(s.now, *c.PrivateKeyNotAfter)
		pass.Metric("private_key_days_left", float64(keyDays), labels)
		pass.Note(i18n.T("personal-certs.note.cert-key", label, c.SHA1, s.date(c.NotAfter), days, s.date(*c.PrivateKeyNotAfter), keyDays))
	} else {
		pass.Note(i18n.T("personal-certs.note.cert", label, c.SHA1, s.date(c.NotAfter), days))
	}

	if s.now.After(c.NotAfter) {
		del := []string{s.cmds.Delete(e.Loc, e.Store, c.SHA1)}
		if usable > 0 {
			pass.Report(doctor.Finding{
				Severity: doctor.Warn, Code: "personal-certs.expired-leftover", Subject: subject,
				Message: i18n.T("personal-certs.expired-leftover.msg", label, c.SHA1, s.date(c.NotAfter), e.Where()),
				Hint:    i18n.T("personal-certs.expired-leftover.hint"), Commands: del,
				Repairs: []doctor.Repair{certs.RemoveRepair(e, label)},
			})
			return
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "personal-certs.expired", Subject: subject,
			Message: i18n.T("personal-certs.expired.msg", label, c.SHA1, s.date(c.NotAfter), -days),
			Hint:    i18n.T("personal-certs.expired.hint"),
		})
		return
	}
	if s.now.Before(c.NotBefore) {
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "personal-certs.not-yet-valid", Subject: subject,
			Message: i18n.T("personal-certs.not-yet-valid.msg", label, c.SHA1, c.NotBefore.Format(time.RFC3339), s.now.Format(time.RFC3339)),
			Hint:    i18n.T("personal-certs.not-yet-valid.hint"),
		})
	} else if days <= s.cfg.WarnDays {
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "personal-certs.expiring", Subject: subject,
			Message: i18n.T("personal-certs.expiring.msg", label, c.SHA1, s.date(c.NotAfter), days),
			Hint:    i18n.T("personal-certs.expiring.hint"),
		})
	}
	if c.PrivateKeyNotAfter != nil {
		switch {
		case s.now.After(*c.PrivateKeyNotAfter):
			pass.Report(doctor.Finding{
				Severity: doctor.Fail, Code: "personal-certs.key-expired", Subject: subject,
				Message: i18n.T("personal-certs.key-expired.msg", label, c.SHA1, s.date(*c.PrivateKeyNotAfter)),
				Hint:    i18n.T("personal-certs.key-expired.hint"),
			})
		case keyDays <= s.cfg.WarnDays && keyDays < days:
			pass.Report(doctor.Finding{
				Severity: doctor.Warn, Code: "personal-certs.key-expiring", Subject: subject,
				Message: i18n.T("personal-certs.key-expiring.msg", label, c.SHA1, s.date(*c.PrivateKeyNotAfter), keyDays),
				Hint:    i18n.T("personal-certs.key-expiring.hint"),
			})
		}
	}
	s.checkKey(e, label, subject)
}

func (s *state) checkKey(e certs.Entry, label, subject string) {
	k := e.Host.Key
	switch {
	case k == nil:
		s.pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "personal-certs.no-key-link", Subject: subject,
			Message:  i18n.T("personal-certs.no-key-link.msg", label, e.Cert.SHA1, e.Where()),
			Hint:     s.installHint(),
			Commands: s.containerCommands(),
		})
	case k.Error != "":
		s.pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "personal-certs.key-link-error", Subject: subject,
			Message:  i18n.T("personal-certs.key-link-error.msg", label, e.Cert.SHA1, k.Error),
			Hint:     s.installHint(),
			Commands: s.containerCommands(),
		})
	case s.contKnown && !s.hasContainer(k.Container):
		cmds := []string{strings.Join(s.cmds.ListContainers(), " ")}
		s.pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "personal-certs.container-missing", Subject: subject,
			Message:  i18n.T("personal-certs.container-missing.msg", label, e.Cert.SHA1, k.Container),
			Hint:     i18n.T("personal-certs.container-missing.hint"),
			Commands: cmds,
		})
	}
}

// hasContainer matches a key link against the listed containers: by full
// name, by unique name, or by the container name without the reader.
func (s *state) hasContainer(link string) bool {
	name := containerName(link)
	for _, c := range s.containers {
		if strings.EqualFold(c.FQCN, link) || c.Unique != "" && strings.EqualFold(c.Unique, link) || strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

// containerName strips the reader from `\\.\HDIMAGE\name`.
func containerName(link string) string {
	if strings.HasPrefix(link, `\\.\`) {
		rest := link[len(`\\.\`):]
		if i := strings.IndexByte(rest, '\\'); i >= 0 {
			return rest[i+1:]
		}
	}
	return link
}
