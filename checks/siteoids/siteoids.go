// Package siteoids is the site-oids check: for every selected site, a
// personal certificate carries the extended key usages and OIDs the site
// requires. The ГМУ authority OIDs are not publicly known, so for ГМУ the
// check lists the certificate's OIDs and says how to configure them.
package siteoids

import (
	"context"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the site-oids check.
var Check = &doctor.Check{
	ID:    "site-oids",
	Title: i18n.T("check.site-oids.title"),
	Doc:   i18n.T("check.site-oids.doc"),
	Run:   run,
}

const oidEKUExtension = "2.5.29.37"

func run(ctx context.Context, pass *doctor.Pass) error {
	if len(pass.Options.Profiles) == 0 {
		return doctor.Skip(i18n.T("site-oids.skip.no-sites"))
	}
	leaves, err := certs.ValidPersonal(ctx, pass.Host)
	if err != nil {
		return err
	}
	if len(leaves) == 0 {
		return doctor.Skip(i18n.T("site-oids.skip.no-certs"))
	}
	show := pass.Options.ShowPersonal
	fit := 0
	for _, site := range pass.Options.Profiles {
		if checkSite(pass, site, leaves, show) {
			fit++
		}
	}
	pass.Summary(i18n.T("site-oids.summary", fit, len(pass.Options.Profiles)))
	return nil
}

// checkSite reports whether some certificate fits the site.
func checkSite(pass *doctor.Pass, site *profile.Site, leaves []*pki.Certificate, show bool) bool {
	name := i18n.Pair(site.NameRU, site.NameEN)
	type miss struct {
		c        *pki.Certificate
		eku, oid []string
	}
	var misses []miss
	fits := false
	for _, c := range leaves {
		m := miss{c: c, eku: missingEKU(c, site.RequiredEKU), oid: missingOIDs(c, site.RequiredOIDs)}
		if roles := present(c, site.KnownRoleOIDs); len(roles) > 0 {
			pass.Note(i18n.T("site-oids.note.roles", name, certs.Label(c, show), oidList(roles)))
		}
		if len(m.eku) == 0 && len(m.oid) == 0 {
			fits = true
			if len(site.RequiredEKU)+len(site.RequiredOIDs) > 0 {
				pass.Note(i18n.T("site-oids.note.fits", name, certs.Label(c, show), c.SHA1))
			}
			continue
		}
		misses = append(misses, m)
	}
	if !fits {
		for _, m := range misses {
			label := certs.Label(m.c, show)
			if len(m.eku) > 0 {
				pass.Report(doctor.Finding{
					Severity: doctor.Fail, Code: "site-oids.missing-eku", Subject: "sha1:" + m.c.SHA1,
					Message: i18n.T("site-oids.missing-eku.msg", label, m.c.SHA1, name, oidList(m.eku)),
					Hint:    i18n.T("site-oids.missing.hint", name),
				})
			}
			if len(m.oid) > 0 {
				pass.Report(doctor.Finding{
					Severity: doctor.Fail, Code: "site-oids.missing-oid", Subject: "sha1:" + m.c.SHA1,
					Message: i18n.T("site-oids.missing-oid.msg", label, m.c.SHA1, name, oidList(m.oid)),
					Hint:    i18n.T("site-oids.missing.hint", name),
				})
			}
		}
	}
	if site.ID == "gmu" && len(site.RequiredOIDs) == 0 {
		for _, c := range leaves {
			reportGMUUnconfirmed(pass, c, show)
		}
	}
	return fits
}

func reportGMUUnconfirmed(pass *doctor.Pass, c *pki.Certificate, show bool) {
	eku := oidList(c.ExtKeyUsage)
	pol := oidList(c.Policies)
	title := i18n.T("site-oids.gmu.no-title")
	if len(c.SANTitleNumbers) > 0 {
		title = i18n.T("site-oids.gmu.title", strings.Join(c.SANTitleNumbers, ", "))
	}
	pass.Report(doctor.Finding{
		Severity: doctor.Warn, Code: "site-oids.gmu-unconfirmed", Subject: "sha1:" + c.SHA1,
		Message:  i18n.T("site-oids.gmu-unconfirmed.msg", certs.Label(c, show), c.SHA1, eku, pol, title),
		Hint:     i18n.T("site-oids.gmu-unconfirmed.hint"),
		Commands: []string{yamlSnippet(c)},
	})
}

// yamlSnippet is the config-file fragment that sets the ГМУ OIDs, filled
// with the certificate's Russian-arc OIDs as candidates.
func yamlSnippet(c *pki.Certificate) string {
	var cand []string
	for _, o := range append(append([]string(nil), c.ExtKeyUsage...), c.Policies...) {
		if strings.HasPrefix(o, "1.2.643.") && !strings.HasPrefix(o, "1.2.643.100.113.") && !contains(cand, o) {
			cand = append(cand, o)
		}
	}
	if len(cand) == 0 {
		cand = []string{"<OID>"}
	}
	var b strings.Builder
	b.WriteString("sites:\n  gmu:\n    required_oids:\n")
	for _, o := range cand {
		fmt.Fprintf(&b, "      - %q\n", o)
	}
	return strings.TrimRight(b.String(), "\n")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func hasExt(c *pki.Certificate, oid string) bool { return contains(c.Extensions, oid) }

// missingEKU returns the required EKUs the certificate lacks. A
// certificate without the EKU extension may be used for any purpose.
func missingEKU(c *pki.Certificate, want []string) []string {
	if !hasExt(c, oidEKUExtension) || contains(c.ExtKeyUsage, "2.5.29.37.0") {
		return nil
	}
	var out []string
	for _, o := range want {
		if !contains(c.ExtKeyUsage, o) {
			out = append(out, o)
		}
	}
	return out
}

// missingOIDs returns the required OIDs present neither as EKU nor as
// certificate policy.
func missingOIDs(c *pki.Certificate, want []string) []string {
	var out []string
	for _, o := range want {
		if !contains(c.ExtKeyUsage, o) && !contains(c.Policies, o) {
			out = append(out, o)
		}
	}
	return out
}

func present(c *pki.Certificate, oids []string) []string {
	var out []string
	for _, o := range oids {
		if contains(c.ExtKeyUsage, o) || contains(c.Policies, o) {
			out = append(out, o)
		}
	}
	return out
}

// oidList names OIDs: "Проверка подлинности клиента (1.3.6.1.5.5.7.3.2), …".
func oidList(oids []string) i18n.Text {
	if len(oids) == 0 {
		return i18n.T("site-oids.none")
	}
	parts := make([]i18n.Text, 0, len(oids))
	for _, o := range oids {
		if ru, en, ok := pki.OIDName(o); ok {
			parts = append(parts, i18n.T("site-oids.oid", i18n.Pair(ru, en), o))
		} else {
			parts = append(parts, i18n.T("site-oids.oid", i18n.T("site-oids.unknown-oid"), o))
		}
	}
	return i18n.T("site-oids.list", parts)
}
