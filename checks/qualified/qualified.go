// Package qualified is the qualified-profile check: each personal
// certificate has the fields of a qualified certificate (Приказ ФСБ № 795):
// valid ОГРН/ОГРНИП, СНИЛС and ИНН, the signing-tool extensions, a class
// policy (КС1…), and, with --tsl, an issuer accredited in the e-trust list.
package qualified

import (
	"context"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/tsl"
)

// Check is the qualified-profile check.
var Check = &doctor.Check{
	ID:    "qualified-profile",
	Title: i18n.T("check.qualified-profile.title"),
	Doc:   i18n.T("check.qualified-profile.doc"),
	Run:   run,
}

type state struct {
	pass       *doctor.Pass
	show       bool
	snilsSites []string
	// snilsOnly: every selected site that needs a qualified certificate
	// needs СНИЛС too, so a certificate without it is of no use here.
	snilsOnly bool
	list      *tsl.List
}

func run(ctx context.Context, pass *doctor.Pass) error {
	var needing, snils []string
	for _, s := range pass.Options.Profiles {
		if s.QualifiedCert {
			needing = append(needing, s.NameRU)
		}
		if s.RequiresSNILS {
			snils = append(snils, s.NameRU)
		}
	}
	if len(needing) == 0 {
		return doctor.Skip(i18n.T("qualified-profile.skip.not-needed"))
	}
	leaves, err := certs.ValidPersonal(ctx, pass.Host)
	if err != nil {
		return err
	}
	if len(leaves) == 0 {
		return doctor.Skip(i18n.T("qualified-profile.skip.no-certs"))
	}
	s := &state{pass: pass, show: pass.Options.ShowPersonal, snilsSites: snils, snilsOnly: len(snils) == len(needing)}
	if pass.Options.TSLPath != "" {
		s.loadTSL(ctx, pass.Options.TSLPath)
	}
	good := 0
	for _, c := range leaves {
		if s.checkOne(c) {
			good++
		}
	}
	pass.Summary(i18n.T("qualified-profile.summary", good, len(leaves)))
	return nil
}

// loadTSL reads the accredited-CA list given with --tsl. The file is read
// through the host, like every other file (with a snapshot, it must have
// been recorded).
func (s *state) loadTSL(ctx context.Context, path string) {
	var err error
	s.list, err = certs.LoadTSL(ctx, s.pass.Host, path)
	if err != nil {
		s.pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "qualified-profile.tsl-unreadable", Subject: path,
			Message: i18n.T("qualified-profile.tsl-unreadable.msg", path, err.Error()),
			Hint:    i18n.T("qualified-profile.tsl-unreadable.hint"),
			URL:     "https://e-trust.gosuslugi.ru/app/scc/portal/api/v1/portal/ca/getxml",
		})
		return
	}
	s.pass.Note(i18n.T("qualified-profile.note.tsl", path, s.list.Version, len(s.list.CAs)))
}

// checkOne reports the problems of one certificate; true when it has none.
func (s *state) checkOne(c *pki.Certificate) bool {
	label := certs.Label(c, s.show)
	ok := true
	report := func(code string, msg i18n.Text, hint i18n.Text) {
		ok = false
		s.pass.Report(doctor.Finding{Severity: doctor.Fail, Code: code, Subject: "sha1:" + c.SHA1, Message: msg, Hint: hint})
	}
	reissue := i18n.T("qualified-profile.hint.reissue")
	get := func(oid string) string { return strings.TrimSpace(c.Subject.Get(oid)) }
	ogrn, ogrnip, snils, inn, innle := get(certs.OIDOGRN), get(certs.OIDOGRNIP), get(certs.OIDSNILS), get(certs.OIDINN), get(certs.OIDINNLE)
	mask := func(v string) string {
		if s.show {
			return v
		}
		return certs.Mask(v)
	}
	check := func(name, value string, valid func(string) bool, personal bool) {
		if value == "" || valid(value) {
			return
		}
		shown := value
		if personal {
			shown = mask(value)
		}
		report("qualified-profile.bad-"+strings.ToLower(name), i18n.T("qualified-profile.bad-id.msg", label, c.SHA1, name, shown), reissue)
	}
	check("OGRN", ogrn, ValidOGRN, false)
	check("OGRNIP", ogrnip, ValidOGRNIP, false)
	check("SNILS", snils, ValidSNILS, true)
	check("INN", inn, ValidINN, !organisationINN(inn))
	check("INNLE", innle, ValidINN10, false)
	if ogrn == "" && ogrnip == "" && snils == "" {
		report("qualified-profile.no-identity", i18n.T("qualified-profile.no-identity.msg", label, c.SHA1), reissue)
	}
	if ogrn != "" && inn == "" && innle == "" {
		report("qualified-profile.no-inn", i18n.T("qualified-profile.no-inn.msg", label, c.SHA1), reissue)
	}
	if snils == "" && len(s.snilsSites) > 0 {
		// Fine for the other selected sites: a warning unless every one
		// of them needs СНИЛС.
		f := doctor.Finding{Severity: doctor.Warn, Code: "qualified-profile.no-snils", Subject: "sha1:" + c.SHA1,
			Message: i18n.T("qualified-profile.no-snils.msg", label, c.SHA1, strings.Join(s.snilsSites, ", ")),
			Hint:    i18n.T("qualified-profile.no-snils.hint")}
		if s.snilsOnly {
			f.Severity, ok = doctor.Fail, false
		}
		s.pass.Report(f)
	}
	if c.SubjectSignTool == "" {
		report("qualified-profile.no-subject-sign-tool", i18n.T("qualified-profile.no-ext.msg", label, c.SHA1, "subjectSignTool (1.2.643.100.111)"), reissue)
	}
	if c.IssuerSignTool == nil {
		report("qualified-profile.no-issuer-sign-tool", i18n.T("qualified-profile.no-ext.msg", label, c.SHA1, "issuerSignTool (1.2.643.100.112)"), reissue)
	}
	classes := c.SignToolClasses()
	if len(classes) == 0 {
		report("qualified-profile.no-class-policy", i18n.T("qualified-profile.no-class-policy.msg", label, c.SHA1), reissue)
	}
	s.pass.Note(i18n.T("qualified-profile.note.cert", label, c.SHA1, orDash(c.SubjectSignTool), orDash(strings.Join(classes, ", ")), identKind(c.IdentificationKind)))
	if s.list != nil && !s.checkAccredited(c, label) {
		ok = false
	}
	return ok
}

func (s *state) checkAccredited(c *pki.Certificate, label string) bool {
	aki := c.AuthorityKeyIDHex()
	ca, _ := s.list.ByKeyID(aki)
	switch {
	case ca == nil:
		s.pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "qualified-profile.issuer-not-accredited", Subject: "sha1:" + c.SHA1,
			Message: i18n.T("qualified-profile.issuer-not-accredited.msg", label, c.SHA1, c.Issuer.Get("CN"), orDash(aki)),
			Hint:    i18n.T("qualified-profile.issuer-not-accredited.hint"),
		})
		return false
	case !ca.Active():
		s.pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "qualified-profile.accreditation-ended", Subject: "sha1:" + c.SHA1,
			Message: i18n.T("qualified-profile.accreditation-ended.msg", label, c.SHA1, ca.Name, ca.Status, orDash(ca.StatusSince)),
			Hint:    i18n.T("qualified-profile.hint.reissue"),
		})
		return false
	}
	s.pass.Note(i18n.T("qualified-profile.note.accredited", label, ca.Name, ca.OGRN))
	return true
}

// organisationINN reports whether an ИНН value has an organisation's form
// (10 digits, or 12 starting with "00"); any other value, valid or not, may
// be a person's and is masked.
func organisationINN(v string) bool {
	return digits(v, 10) || digits(v, 12) && strings.HasPrefix(v, "00")
}

func identKind(k *int) i18n.Text {
	if k == nil {
		return i18n.T("qualified-profile.ident.absent")
	}
	switch *k {
	case 0, 1, 2, 3:
		return i18n.T(fmt.Sprintf("qualified-profile.ident.%d", *k))
	}
	return i18n.Raw(fmt.Sprint(*k))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
