// Package siteoids is the site-oids check: for every selected site, a
// personal certificate carries the extended key usages and OIDs the site
// requires, and what else the site needs to accept its holder (authority.go).
// ГМУ requires no OIDs: since 2020 63-ФЗ art. 17 part 2.1 forbids operators of
// state systems to require extra OIDs, and bus.gov.ru grants access through
// rights in the Treasury's ПОИБ. So for ГМУ the check lists the
// certificate's OIDs as information; sites.gmu.required_oids still makes
// them required for those who configure it.
package siteoids

import (
	"context"
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
	authority(pass, pass.Options.Profiles, leaves, show)
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
			noteGMUOIDs(pass, c, show)
		}
	}
	return fits
}

// noteGMUOIDs lists the certificate's OIDs for ГМУ, as information: no
// OID is required there (see the package comment).
func noteGMUOIDs(pass *doctor.Pass, c *pki.Certificate, show bool) {
	title := i18n.T("site-oids.gmu.no-title")
	if len(c.SANTitleNumbers) > 0 {
		title = i18n.T("site-oids.gmu.title", strings.Join(c.SANTitleNumbers, ", "))
	}
	pass.Note(i18n.T("site-oids.note.gmu-oids", certs.Label(c, show), c.SHA1, oidList(c.ExtKeyUsage), oidList(c.Policies), title))
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
