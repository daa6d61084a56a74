package rootcerts

import (
	"context"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// linuxTLS is what the check knows about TLS trust on a Linux machine:
// browsers there verify HTTPS certificates against the system CA bundle
// (and Chromium-family browsers also against ~/.pki/nssdb), not against
// CryptoPro's mRoot/uRoot.
type linuxTLS struct {
	bundles *certs.SystemBundles
	nss     certs.NSSDB
}

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
	return s
}

// check looks for a TLS root in the system CA bundle and reports what is
// wrong; it returns whether the root is there.
func (s *linuxTLS) check(pass *doctor.Pass, cmds certs.Cmds, st *certs.Stores, r certs.Root, need bool, why i18n.Text, window int, now time.Time) bool {
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
	if inCSP := st.Find(r.SHA1); len(inCSP) > 0 {
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
		})
	case len(s.bundles.Errors) == 0:
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "root-certs.no-system-bundle", Subject: "sha1:" + r.SHA1,
			Message:  i18n.T("root-certs.no-system-bundle.msg", certs.BundlePathList(), r.Name(), r.SHA1, why),
			Hint:     i18n.T("root-certs.no-system-bundle.hint", hint),
			Commands: commands,
			URL:      r.DownloadURL,
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
