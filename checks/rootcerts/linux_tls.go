package rootcerts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// linuxTLS is what the check knows about TLS trust on a Linux machine.
// Each browser verifies HTTPS certificates against its own store:
//   - Chromium-Gost hands TLS to CryptoPro (msspi), so the root of every
//     HTTPS site it opens, RSA ones included, must be in CryptoPro's
//     uRoot/mRoot (the Chromium-Gost maintainer, deemru/Chromium-Gost
//     issue 127, 2026) [V];
//   - Firefox uses its profile's own NSS database (cert9.db) besides its
//     built-in roots, which lack the Russian roots [V: Mozilla's documented
//     behaviour]; the system bundle is not read [I for every distribution];
//   - the other Chromium-family browsers (Chrome, Chromium, Yandex, Edge)
//     use the system CA bundle and ~/.pki/nssdb [I].
//
// On Windows the stores are shared, so none of this applies there.
type linuxTLS struct {
	bundles *certs.SystemBundles
	nss     certs.NSSDB
	// known is set when the browsers could be discovered; then only the
	// stores of the browsers present are judged.
	known   bool
	gost    []string // browsers that take TLS roots from CryptoPro
	system  []string // browsers that use the system bundle / ~/.pki/nssdb
	firefox []ffProfile
}

// ffProfile is one Firefox profile and its NSS database.
type ffProfile struct {
	name, dir string
	db        []byte // cert9.db, nil when absent or unreadable
	problem   string // why db is nil ("" when the file does not exist)
}

// maxNSSDB bounds the read of a Firefox cert9.db (a few hundred KiB in
// practice).
const maxNSSDB = 32 << 20

func anyTLS(roots []certs.Root) bool {
	for _, r := range roots {
		if r.TLS() {
			return true
		}
	}
	return false
}

func loadLinuxTLS(ctx context.Context, pass *doctor.Pass) *linuxTLS {
	s := &linuxTLS{bundles: certs.LoadSystemBundles(ctx, pass.Host), nss: certs.FindNSSDB(ctx, pass.Host)}
	if s.bundles.AnyRead() && len(s.bundles.Errors) > 0 {
		pass.Note(i18n.T("root-certs.note.bundle-errors", s.bundles.ErrorText()))
	}
	bs, err := browsers.DiscoverWith(ctx, pass.Host, browsers.Limits{SkipCaches: true})
	if err != nil {
		pass.Note(i18n.T("root-certs.note.browsers-unknown", err.Error()))
		return s
	}
	s.known = true
	for i := range bs {
		b := &bs[i]
		switch {
		case b.ID == browsers.ChromiumGOST:
			s.gost = append(s.gost, b.Name)
		case b.Family == browsers.FamilyFirefox:
			for _, p := range b.Profiles {
				s.firefox = append(s.firefox, loadFFProfile(ctx, pass.Host, p))
			}
		case b.Family == browsers.FamilyChromium:
			s.system = append(s.system, b.Name)
		}
	}
	return s
}

func loadFFProfile(ctx context.Context, h host.Host, p browsers.Profile) ffProfile {
	fp := ffProfile{name: p.Name, dir: p.Path}
	db, err := h.ReadFile(ctx, strings.TrimRight(p.Path, "/")+"/cert9.db", maxNSSDB)
	switch {
	case err == nil:
		fp.db = db
	case !errors.Is(err, host.ErrFileNotFound):
		fp.problem = err.Error()
	}
	return fp
}

// bundleMatters reports whether the system bundle is judged: some browser
// present uses it, or the browsers are unknown (then it is the best guess,
// and other programs use it too).
func (s *linuxTLS) bundleMatters() bool {
	return !s.known || len(s.system) > 0 || (len(s.gost) == 0 && len(s.firefox) == 0)
}

// check looks for a TLS root in the store of every browser present and
// reports what is wrong; it returns whether the root is everywhere it must
// be.
func (s *linuxTLS) check(pass *doctor.Pass, cmds certs.Cmds, st *certs.Stores, r certs.Root, need bool, why i18n.Text, window int, now time.Time) bool {
	ok := true
	if s.bundleMatters() {
		ok = s.checkBundle(pass, cmds, st, r, need, why, window, now)
	} else if len(s.bundles.Find(r.SHA1)) == 0 && need {
		pass.Note(i18n.T("root-certs.note.bundle-unused", r.Name()))
	}
	if len(s.gost) > 0 && !s.checkCryptoPro(pass, cmds, st, r, need, why) {
		ok = false
	}
	for _, p := range s.firefox {
		if !s.checkFirefox(pass, r, p, need, why) {
			ok = false
		}
	}
	return ok
}

// checkCryptoPro: Chromium-Gost takes every HTTPS root from CryptoPro's
// Root stores.
func (s *linuxTLS) checkCryptoPro(pass *doctor.Pass, cmds certs.Cmds, st *certs.Stores, r certs.Root, need bool, why i18n.Text) bool {
	who := strings.Join(s.gost, ", ")
	if in, _ := where(st, r.SHA1); len(in) > 0 {
		pass.Note(i18n.T("root-certs.note.tls-cprocsp-ok", r.Name(), storeList(in), who))
		return true
	}
	if !need {
		return false
	}
	f := doctor.Finding{
		Severity: doctor.Fail, Code: "root-certs.tls-missing-cprocsp", Subject: "sha1:" + r.SHA1,
		Message:  i18n.T("root-certs.tls-missing-cprocsp.msg", r.Name(), r.SHA1, who, why),
		Hint:     i18n.T("root-certs.tls-missing-cprocsp.hint", r.DownloadURL, r.FileName(), who),
		Commands: cmds.InstallRoot(r, host.CurrentUser),
		URL:      r.DownloadURL,
	}
	if add, ok := certs.InstallRootRepair(r, false); ok {
		add.Location = host.CurrentUser
		f.Repairs = []doctor.Repair{add}
	}
	pass.Report(f)
	return false
}

// checkFirefox: Firefox takes the Russian roots only from its profile's
// NSS database.
func (s *linuxTLS) checkFirefox(pass *doctor.Pass, r certs.Root, p ffProfile, need bool, why i18n.Text) bool {
	switch {
	case p.problem != "":
		pass.Note(i18n.T("root-certs.note.firefox-db-unreadable", p.name, p.dir, p.problem))
		return true
	case p.db == nil:
		pass.Note(i18n.T("root-certs.note.firefox-no-db", p.name, p.dir))
		return true
	case certs.ContainsCertDER(p.db, r.SHA1):
		pass.Note(i18n.T("root-certs.note.firefox-ok", r.Name(), p.name))
		return true
	case !need:
		return false
	}
	pass.Report(doctor.Finding{
		Severity: doctor.Warn, Code: "root-certs.tls-missing-firefox", Subject: "sha1:" + r.SHA1,
		Message:  i18n.T("root-certs.tls-missing-firefox.msg", r.Name(), r.SHA1, p.name, p.dir, why),
		Hint:     i18n.T("root-certs.tls-missing-firefox.hint", r.DownloadURL, r.FileName()),
		Commands: []string{addToFirefox(r, p.dir)},
		URL:      r.DownloadURL,
	})
	return false
}

// addToFirefox is the certutil command that adds a TLS root to a Firefox
// profile's NSS database (Firefox closed).
func addToFirefox(r certs.Root, dir string) string {
	name := strings.ReplaceAll(r.ShortName(), `"`, "")
	return `certutil -d sql:'` + strings.ReplaceAll(dir, "'", `'\''`) + `' -A -t "C,," -n "` + name + `" -i '` + strings.ReplaceAll(r.FileName(), "'", `'\''`) + `'`
}

// checkBundle looks for a TLS root in the system CA bundle and reports
// what is wrong; it returns whether the root is there.
func (s *linuxTLS) checkBundle(pass *doctor.Pass, cmds certs.Cmds, st *certs.Stores, r certs.Root, need bool, why i18n.Text, window int, now time.Time) bool {
	if hits := s.bundles.Find(r.SHA1); len(hits) > 0 {
		var paths []string
		for _, h := range hits {
			paths = appendOnce(paths, h.Path)
		}
		checkExpiry(pass, r, hits[0].Cert, strings.Join(paths, ", "), need, why, window, now)
		if need && s.nss.Exists {
			pass.Note(i18n.T("root-certs.note.tls-nssdb", r.Name(), s.nss.Dir, cmds.AddToNSSDB(r)))
		}
		return true
	}
	if inCSP := st.Find(r.SHA1); len(inCSP) > 0 && len(s.gost) == 0 {
		pass.Note(i18n.T("root-certs.note.tls-in-cprocsp", r.Name(), storeList(inCSP)))
	}
	if !need {
		if s.bundles.AnyRead() {
			pass.Note(i18n.T("root-certs.note.absent-unneeded", r.Name(), r.SHA1))
		}
		return false
	}
	family := certs.DistroFamily(cmds.Distro)
	if family == "" {
		family = s.bundles.Family()
	}
	commands := cmds.InstallSystemTLSRoot(r, family)
	if s.nss.Exists {
		commands = append(commands, cmds.AddToNSSDB(r))
	}
	hint := s.installHint(cmds, r, family)
	switch {
	case s.bundles.AnyRead():
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "root-certs.tls-missing", Subject: "sha1:" + r.SHA1,
			Message:  i18n.T("root-certs.tls-missing.msg", r.Name(), r.SHA1, strings.Join(s.bundles.Read, ", "), why),
			Hint:     hint,
			Commands: commands,
			URL:      r.DownloadURL,
			Repairs:  systemRepair(r),
		})
	case len(s.bundles.Errors) == 0:
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "root-certs.no-system-bundle", Subject: "sha1:" + r.SHA1,
			Message:  i18n.T("root-certs.no-system-bundle.msg", certs.BundlePathList(), r.Name(), r.SHA1, why),
			Hint:     i18n.T("root-certs.no-system-bundle.hint", hint),
			Commands: commands,
			URL:      r.DownloadURL,
			Repairs:  systemRepair(r),
		})
	default:
		// The bundle exists but could not be read: whether the root is
		// there is unknown.
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "root-certs.system-bundle-unreadable", Subject: "sha1:" + r.SHA1,
			Message: i18n.T("root-certs.system-bundle-unreadable.msg", s.bundles.ErrorText(), r.Name(), r.SHA1, why),
			Hint:    i18n.T("root-certs.system-bundle-unreadable.hint", hint),
			URL:     r.DownloadURL,
		})
	}
	return false
}

// installHint explains the commands: download, (convert,) install into the
// system bundle, and the NSS database when the user has one.
func (s *linuxTLS) installHint(cmds certs.Cmds, r certs.Root, family string) i18n.Text {
	var base i18n.Text
	switch family {
	case certs.FamilyDebian:
		base = i18n.T("root-certs.tls.hint.debian", r.DownloadURL, r.FileName(), r.PEMName())
	case certs.FamilyCATrust:
		base = i18n.T("root-certs.tls.hint.ca-trust", r.DownloadURL, r.FileName())
	default:
		base = i18n.T("root-certs.tls.hint.unknown", r.DownloadURL, r.FileName(),
			strings.Join(cmds.InstallSystemTLSRoot(r, certs.FamilyDebian), " && "),
			strings.Join(cmds.InstallSystemTLSRoot(r, certs.FamilyCATrust), " && "))
	}
	if !s.nss.Exists {
		return base
	}
	pkg := certs.NSSToolsPackage(cmds.Distro)
	if pkg == "" {
		return i18n.T("root-certs.tls.hint.with-nss", base, s.nss.Dir)
	}
	return i18n.T("root-certs.tls.hint.with-nss-pkg", base, s.nss.Dir, pkg)
}

// systemRepair installs the embedded copy of the root into the system CA
// bundle for `gmu-doctor fix`.
func systemRepair(r certs.Root) []doctor.Repair {
	if add, ok := certs.InstallRootRepair(r, true); ok {
		return []doctor.Repair{add}
	}
	return nil
}
