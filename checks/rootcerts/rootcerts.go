// Package rootcerts is the root-certs check: the trust anchors the sites
// need are installed, by SHA-1 thumbprint, in a Root store (not in CA or
// My), and are not about to expire. On Linux the roots of the sites'
// HTTPS certificates (kind "tls") are looked for in the system CA bundle,
// which the browsers use, instead of CryptoPro's stores (linux_tls.go).
package rootcerts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Config is checks.root-certs in the config file.
type Config struct {
	// Roots replaces the built-in list of known roots when not empty.
	Roots []certs.Root `json:"roots"`
	// ExpiryWarnDays: a needed root expiring within this many days is a
	// warning (default 180).
	ExpiryWarnDays int `json:"expiry_warn_days"`
}

// DefaultExpiryWarnDays is the default of Config.ExpiryWarnDays.
const DefaultExpiryWarnDays = 180

// Check is the root-certs check.
var Check = &doctor.Check{
	ID:        "root-certs",
	Title:     i18n.T("check.root-certs.title"),
	Doc:       i18n.T("check.root-certs.doc"),
	NewConfig: func() any { return &Config{ExpiryWarnDays: DefaultExpiryWarnDays} },
	Run:       run,
}

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg, _ := pass.Config.(*Config)
	if cfg == nil {
		cfg = &Config{ExpiryWarnDays: DefaultExpiryWarnDays}
	}
	known := certs.LoadKnown()
	roots := known.Roots
	if len(cfg.Roots) > 0 {
		roots = cfg.Roots
		for _, r := range roots {
			if err := r.Validate(); err != nil {
				return fmt.Errorf("checks.root-certs.roots: %w", err)
			}
		}
	}
	st := certs.LoadCore(ctx, pass.Host)
	if !st.Read(host.LocalMachine, host.StoreRoot) && !st.Read(host.CurrentUser, host.StoreRoot) {
		return fmt.Errorf("read the Root certificate stores: %s", st.ErrorText())
	}
	if len(st.Errors) > 0 {
		pass.Note(i18n.T("certs.note.store-errors", st.ErrorText()))
	}
	now := pass.Host.Now()
	cmds := certs.For(pass.Host.Facts())
	users := rootUsers(st, known, roots, pass)
	var sys *linuxTLS
	if pass.Host.Facts().OS == "linux" && anyTLS(roots) {
		sys = loadLinuxTLS(ctx, pass)
	}

	needed, present := 0, 0
	for _, r := range roots {
		why, need := neededBecause(r, users[r.ID], pass.Options.Profiles)
		if need {
			needed++
		}
		if sys != nil && r.TLS() {
			if sys.check(pass, cmds, st, r, need, why, cfg.ExpiryWarnDays, now) && need {
				present++
			}
			continue
		}
		inRoot, elsewhere := where(st, r.SHA1)
		switch {
		case len(inRoot) > 0:
			if need {
				present++
			}
			checkExpiry(pass, r, inRoot[0].Cert, storeList(inRoot), need, why, cfg.ExpiryWarnDays, now)
		case len(elsewhere) > 0:
			reportWrongStore(pass, cmds, r, elsewhere, need, why)
		case need:
			reportMissing(pass, cmds, r, users[r.ID], why)
		default:
			pass.Note(i18n.T("root-certs.note.absent-unneeded", r.Name(), r.SHA1))
		}
	}
	pass.Summary(i18n.T("root-certs.summary", present, needed))
	return nil
}

// rootUsers maps a root ID to the personal certificates (labels) whose
// issuer chain, followed by key identifier, ends at that root.
func rootUsers(st *certs.Stores, known *certs.Known, roots []certs.Root, pass *doctor.Pass) map[string][]string {
	index := certs.NewKeyIndex(st.Parsed(host.StoreRoot, host.StoreCA, host.StoreMy))
	now := pass.Host.Now()
	out := map[string][]string{}
	for _, e := range st.Personal() {
		if e.Cert == nil || now.After(e.Cert.NotAfter) {
			continue
		}
		for _, aki := range index.IssuerKeyIDs(e.Cert, known) {
			if r, ok := certs.RootBySKI(roots, aki); ok {
				out[r.ID] = appendOnce(out[r.ID], certs.Label(e.Cert, pass.Options.ShowPersonal))
			}
		}
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

// neededBecause says whether a root is needed here and why.
func neededBecause(r certs.Root, users []string, sites []*profile.Site) (i18n.Text, bool) {
	switch {
	case r.Role == certs.RoleRequired:
		return i18n.T("root-certs.why.required"), true
	case strings.HasPrefix(r.Role, certs.RoleNeedPfx):
		need := strings.TrimPrefix(r.Role, certs.RoleNeedPfx)
		var names []string
		for _, s := range profile.Needing(sites, need) {
			names = append(names, s.NameRU)
		}
		if len(names) == 0 {
			return i18n.Text{}, false
		}
		return i18n.T("root-certs.why.sites", strings.Join(names, ", ")), true
	case len(users) > 0:
		return i18n.T("root-certs.why.certs", strings.Join(users, "; ")), true
	}
	return i18n.Text{}, false
}

// where returns the entries with the thumbprint in Root stores and in the
// other stores.
func where(st *certs.Stores, sha1 string) (inRoot, elsewhere []certs.Entry) {
	for _, e := range st.Find(sha1) {
		if e.Store == host.StoreRoot || e.Store == host.StoreAuthRoot {
			inRoot = append(inRoot, e)
		} else {
			elsewhere = append(elsewhere, e)
		}
	}
	return inRoot, elsewhere
}

// checkExpiry reports the expiry of an installed root; c is the installed
// certificate (nil when it did not parse), stores says where it is.
func checkExpiry(pass *doctor.Pass, r certs.Root, c *pki.Certificate, stores string, need bool, why i18n.Text, window int, now time.Time) {
	expiry := r.Expiry()
	if c != nil {
		expiry = c.NotAfter
	}
	if expiry.IsZero() {
		pass.Note(i18n.T("root-certs.note.present", r.Name(), r.SHA1, stores))
		return
	}
	days := certs.DaysLeft(now, expiry)
	pass.Metric("root_days_left", float64(days), map[string]string{"sha1": r.SHA1, "root": r.ID, "store": stores})
	date := certs.LocalDate(pass.Host.Facts(), expiry)
	switch {
	case days < 0 && need:
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "root-certs.expired", Subject: "sha1:" + r.SHA1,
			Message: i18n.T("root-certs.expired.msg", r.Name(), r.SHA1, date, stores, why),
			Hint:    i18n.T("root-certs.expired.hint"),
		})
	case days < 0:
		pass.Note(i18n.T("root-certs.note.expired-unneeded", r.Name(), r.SHA1, date))
	case days <= window && need:
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "root-certs.expiring", Subject: "sha1:" + r.SHA1,
			Message: i18n.T("root-certs.expiring.msg", r.Name(), r.SHA1, date, days, why),
			Hint:    i18n.T("root-certs.expiring.hint"),
		})
	case days <= window:
		pass.Note(i18n.T("root-certs.note.expiring-unneeded", r.Name(), date, days))
	default:
		pass.Note(i18n.T("root-certs.note.present-days", r.Name(), r.SHA1, stores, days))
	}
}

func storeList(es []certs.Entry) string {
	var parts []string
	for _, e := range es {
		parts = appendOnce(parts, e.Where())
	}
	return strings.Join(parts, ", ")
}

func reportWrongStore(pass *doctor.Pass, cmds certs.Cmds, r certs.Root, elsewhere []certs.Entry, need bool, why i18n.Text) {
	sev := doctor.Warn
	if need {
		sev = doctor.Fail
	}
	if why.IsZero() {
		why = i18n.T("root-certs.why.none")
	}
	c := cmds.InstallRoot(r, host.LocalMachine)
	for _, e := range elsewhere {
		c = append(c, cmds.Delete(e.Loc, e.Store, r.SHA1))
	}
	f := doctor.Finding{
		Severity: sev, Code: "root-certs.wrong-store", Subject: "sha1:" + r.SHA1,
		Message:  i18n.T("root-certs.wrong-store.msg", r.Name(), r.SHA1, storeList(elsewhere), why),
		Hint:     installHint(cmds, r),
		Commands: c,
		URL:      r.DownloadURL,
	}
	if add, ok := certs.InstallRootRepair(r, false, elsewhere...); ok {
		f.Repairs = append(f.Repairs, add)
		for _, e := range elsewhere {
			f.Repairs = append(f.Repairs, certs.RemoveRepair(e, add.Name))
		}
	}
	pass.Report(f)
}

func reportMissing(pass *doctor.Pass, cmds certs.Cmds, r certs.Root, users []string, why i18n.Text) {
	sev := doctor.Fail
	if r.Role == certs.RoleIfUsed {
		// The certificate may still chain through a cross certificate;
		// the chain check has the final word.
		sev = doctor.Warn
	}
	f := doctor.Finding{
		Severity: sev, Code: "root-certs.missing", Subject: "sha1:" + r.SHA1,
		Message:  i18n.T("root-certs.missing.msg", r.Name(), r.SHA1, why),
		Hint:     installHint(cmds, r),
		Commands: cmds.InstallRoot(r, host.LocalMachine),
		URL:      r.DownloadURL,
	}
	if add, ok := certs.InstallRootRepair(r, false); ok {
		f.Repairs = []doctor.Repair{add}
	}
	pass.Report(f)
}

func installHint(cmds certs.Cmds, r certs.Root) i18n.Text {
	user := cmds.Install(host.CurrentUser, host.StoreRoot, r.FileName())
	if cmds.Windows() {
		return i18n.T("root-certs.install.hint.windows", r.FileName(), r.DownloadURL, user)
	}
	return i18n.T("root-certs.install.hint.cprocsp", r.FileName(), r.DownloadURL, user)
}
