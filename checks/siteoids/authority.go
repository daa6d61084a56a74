package siteoids

import (
	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Holder is whom a qualified certificate was issued to, read from the
// subject's identity attributes (Приказ ФСБ № 795).
type Holder int

// Holders.
const (
	// HolderUnknown: no ОГРН, ОГРНИП or СНИЛС (a test or foreign
	// certificate).
	HolderUnknown Holder = iota
	// HolderOrgHead: an organisation's certificate (ОГРН) that names a
	// person (СНИЛС). Since 2022 the ФНС and Treasury CAs issue these only
	// to the head (руководитель); employees get certificates of their own.
	HolderOrgHead
	// HolderOrg: an organisation's certificate that names no person — a
	// certificate for an information system or an electronic seal.
	HolderOrg
	// HolderSoleProp: an individual entrepreneur (ОГРНИП).
	HolderSoleProp
	// HolderPerson: a natural person (СНИЛС, no ОГРН or ОГРНИП).
	HolderPerson
)

// Classify says whom the certificate was issued to.
func Classify(c *pki.Certificate) Holder {
	has := func(oid string) bool { return c.Subject.Get(oid) != "" }
	switch {
	case has(certs.OIDOGRNIP):
		return HolderSoleProp
	case has(certs.OIDOGRN) && has(certs.OIDSNILS):
		return HolderOrgHead
	case has(certs.OIDOGRN) || has(certs.OIDINNLE):
		return HolderOrg
	case has(certs.OIDSNILS):
		return HolderPerson
	}
	return HolderUnknown
}

// HasPersonalINN reports whether the certificate carries a person's ИНН
// (ИНН ФЛ, 12 digits), which the Электронный бюджет requires in the head's
// certificate.
func HasPersonalINN(c *pki.Certificate) bool {
	return certs.IsPersonalINN(c.Subject.Get(certs.OIDINN))
}

func (h Holder) text() i18n.Text {
	switch h {
	case HolderOrgHead:
		return i18n.T("site-oids.holder.org-head")
	case HolderOrg:
		return i18n.T("site-oids.holder.org")
	case HolderSoleProp:
		return i18n.T("site-oids.holder.sole-prop")
	case HolderPerson:
		return i18n.T("site-oids.holder.person")
	}
	return i18n.T("site-oids.holder.unknown")
}

// authority says, for each certificate, whom it was issued to and what each
// selected site needs besides the certificate: ЕИС signs employees only
// with their own certificate plus an МЧД (since 2024-09-01), the
// Электронный бюджет (ФЗС) needs ИНН ФЛ in the head's certificate, ГМУ
// needs rights granted in ПОИБ. Whether an МЧД or the rights exist the
// workstation cannot know, so those are said as information, never as
// present or missing.
func authority(pass *doctor.Pass, sites []*profile.Site, leaves []*pki.Certificate, show bool) {
	holders := make([]Holder, len(leaves))
	for i, c := range leaves {
		holders[i] = Classify(c)
		pass.Note(i18n.T("site-oids.note.holder", certs.Label(c, show), c.SHA1, holders[i].text()))
	}
	for _, site := range sites {
		switch site.ID {
		case "eis":
			eisAuthority(pass, leaves, holders, show)
		case "fzs":
			fzsAuthority(pass, leaves, holders, show)
		case "gmu":
			pass.Note(i18n.T("site-oids.note.gmu-rights"))
		}
	}
}

func eisAuthority(pass *doctor.Pass, leaves []*pki.Certificate, holders []Holder, show bool) {
	for i, c := range leaves {
		label := certs.Label(c, show)
		switch holders[i] {
		case HolderOrgHead:
			pass.Note(i18n.T("site-oids.note.eis-org-head", label))
		case HolderOrg:
			pass.Note(i18n.T("site-oids.note.eis-org", label))
		case HolderSoleProp:
			pass.Note(i18n.T("site-oids.note.eis-sole-prop", label))
		case HolderPerson:
			pass.Note(i18n.T("site-oids.note.eis-person", label))
		}
	}
}

func fzsAuthority(pass *doctor.Pass, leaves []*pki.Certificate, holders []Holder, show bool) {
	anyFits := false
	var heads []int
	for i, c := range leaves {
		switch {
		case holders[i] == HolderOrgHead && !HasPersonalINN(c):
			heads = append(heads, i)
		case holders[i] == HolderOrgHead, holders[i] == HolderPerson, holders[i] == HolderSoleProp:
			anyFits = true
		case holders[i] == HolderOrg:
			pass.Note(i18n.T("site-oids.note.fzs-org", certs.Label(c, show)))
		}
	}
	for _, i := range heads {
		c := leaves[i]
		if anyFits {
			pass.Note(i18n.T("site-oids.note.fzs-head-no-inn", certs.Label(c, show), c.SHA1))
			continue
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "site-oids.fzs-head-no-inn-fl", Subject: "sha1:" + c.SHA1,
			Message: i18n.T("site-oids.fzs-head-no-inn-fl.msg", certs.Label(c, show), c.SHA1),
			Hint:    i18n.T("site-oids.fzs-head-no-inn-fl.hint"),
			URL:     "https://alania.roskazna.gov.ru/gis/elektronnyj-byudzhet/",
		})
	}
}
