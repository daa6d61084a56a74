package siteoids

import (
	"context"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// subject builds a certificate with the given identity attributes
// (short names of pki: OGRN, OGRNIP, SNILS, INN, INNLE, CN).
func subject(sha1 string, kv ...string) *pki.Certificate {
	c := &pki.Certificate{SHA1: sha1}
	oid := map[string]string{"OGRN": certs.OIDOGRN, "OGRNIP": certs.OIDOGRNIP, "SNILS": certs.OIDSNILS, "INN": certs.OIDINN, "INNLE": certs.OIDINNLE, "CN": "2.5.4.3"}
	var attrs []pki.Attr
	for i := 0; i+1 < len(kv); i += 2 {
		attrs = append(attrs, pki.Attr{OID: oid[kv[i]], Short: kv[i], Value: kv[i+1]})
	}
	c.Subject = pki.NewName(attrs...)
	return c
}

var (
	headWithINN = subject("AA01", "CN", "ООО Ромашка", "OGRN", "1027700132195", "INNLE", "7701234567", "SNILS", "11223344595", "INN", "770123456789")
	headNoINN   = subject("AA02", "CN", "ГБУ Школа", "OGRN", "1027700132195", "INN", "007701234567", "SNILS", "11223344595")
	orgSystem   = subject("AA03", "CN", "ГИС", "OGRN", "1187746488346", "INNLE", "7704455470")
	soleProp    = subject("AA04", "CN", "ИП Иванов", "OGRNIP", "304500116000157", "INN", "500100732259", "SNILS", "11223344595")
	person      = subject("AA05", "CN", "Петров П.П.", "SNILS", "11223344595", "INN", "500100732259")
	testCert    = subject("AA06", "CN", "Test")
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		c    *pki.Certificate
		want Holder
		inn  bool
	}{
		{headWithINN, HolderOrgHead, true}, {headNoINN, HolderOrgHead, false}, {orgSystem, HolderOrg, false},
		{soleProp, HolderSoleProp, true}, {person, HolderPerson, true}, {testCert, HolderUnknown, false},
	} {
		if got := Classify(c.c); got != c.want {
			t.Errorf("%s: %v, want %v", c.c.Subject.Get("CN"), got, c.want)
		}
		if got := HasPersonalINN(c.c); got != c.inn {
			t.Errorf("%s: personal ИНН %v, want %v", c.c.Subject.Get("CN"), got, c.inn)
		}
	}
	// The real Treasury certificates of the fixtures name no person.
	if got := Classify(certtest.Cert(t, certtest.Leaf2025)); got != HolderOrg {
		t.Errorf("ЖИЛИЩНЫЙ КОМИТЕТ 2025: %v, want HolderOrg", got)
	}
}

func runAuthority(t *testing.T, sites []string, leaves ...*pki.Certificate) *doctor.Result {
	t.Helper()
	chk := &doctor.Check{ID: "site-oids", Title: i18n.T("check.site-oids.title"), Doc: i18n.T("check.site-oids.doc"),
		Run: func(_ context.Context, pass *doctor.Pass) error {
			authority(pass, pass.Options.Profiles, leaves, false)
			return nil
		}}
	return doctortest.Run(t, chk, doctortest.Windows().Host(), certtest.Sites(t, nil, sites...), nil)
}

func TestAuthorityEIS(t *testing.T) {
	res := runAuthority(t, []string{"eis"}, headWithINN, person, soleProp, orgSystem)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	text := doctortest.AllText(res, i18n.RU)
	for _, want := range []string{
		"«ООО Ромашка» (SHA-1 AA01): сертификат организации с указанием физического лица",
		"сертификатом организации «ООО Ромашка» подписывает только руководитель",
		"1 сентября 2024",
		"сертификат физического лица «Петров П.П.» годится сотруднику только вместе с МЧД",
		"с рабочего места узнать нельзя",
		"сертификатом ИП «ИП Иванов» подписывает сам предприниматель",
		"в сертификате «ГИС» не указано физическое лицо",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	// The МЧД itself is never claimed present or valid.
	for _, bad := range []string{"МЧД есть", "МЧД действует", "МЧД найден"} {
		if strings.Contains(text, bad) {
			t.Errorf("claims %q:\n%s", bad, text)
		}
	}
	if strings.Contains(text, "ПОИБ «Электронного бюджета»") {
		t.Errorf("ГМУ rights note without ГМУ selected:\n%s", text)
	}
	// Personal numbers stay masked in the labels and notes.
	if strings.Contains(text, "500100732259") || strings.Contains(text, "11223344595") {
		t.Errorf("personal numbers shown:\n%s", text)
	}
}

func TestAuthorityFZS(t *testing.T) {
	// The head's certificate without ИНН ФЛ and nothing else: a warning.
	res := runAuthority(t, []string{"fzs"}, headNoINN)
	f := doctortest.WantFinding(t, res, "site-oids.fzs-head-no-inn-fl", doctor.Warn)
	if f.Subject != "sha1:AA02" || !strings.Contains(f.Message.In(i18n.RU), "нет ИНН физического лица") || f.Hint.IsZero() {
		t.Errorf("finding %+v: %s", f, f.Message.In(i18n.RU))
	}
	// With another certificate that will do: a note only.
	for _, other := range []*pki.Certificate{headWithINN, person, soleProp} {
		res = runAuthority(t, []string{"fzs"}, headNoINN, other)
		doctortest.WantStatus(t, res, doctor.StatusOK)
		if !strings.Contains(doctortest.AllText(res, i18n.RU), "для ФЗС годится другой сертификат") {
			t.Errorf("with %s: no note:\n%s", other.Subject.Get("CN"), doctortest.Describe(res, i18n.RU))
		}
	}
	// An organisation's certificate naming no person: said, not warned
	// (such certificates sit on healthy workstations for other systems).
	res = runAuthority(t, []string{"fzs"}, orgSystem)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "names no person") {
		t.Errorf("no note for the system certificate:\n%s", doctortest.Describe(res, i18n.EN))
	}
	// Not selected: nothing about ФЗС.
	res = runAuthority(t, []string{"gmu"}, headNoINN)
	if len(res.Findings) != 0 || strings.Contains(doctortest.AllText(res, i18n.EN), "ФЗС") {
		t.Errorf("ФЗС advice without ФЗС:\n%s", doctortest.Describe(res, i18n.EN))
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "ПОИБ") {
		t.Errorf("no ГМУ rights note:\n%s", doctortest.Describe(res, i18n.EN))
	}
}
