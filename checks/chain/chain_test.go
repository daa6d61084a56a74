package chain

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var key = &host.KeyLink{Container: `\\.\HDIMAGE\zhilkom`}

func TestValidChain(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "1 of 1 chains valid" {
		t.Errorf("summary %q", got)
	}
	if !strings.Contains(doctortest.AllText(res, i18n.RU), "ЖИЛИЩНЫЙ КОМИТЕТ → Федеральное казначейство → Минцифры России") {
		t.Errorf("no chain note:\n%s", doctortest.Describe(res, i18n.RU))
	}
}

// The key acceptance case: the Treasury intermediate is missing.
func TestMissingTreasuryIntermediate(t *testing.T) {
	for _, tc := range []struct {
		b        *doctortest.SnapBuilder
		download string
		install  string
	}{
		{doctortest.Windows(),
			"certutil -urlcache -split -f http://crl.roskazna.ru/crl/ucfk_2024.crt ucfk_2024.crt",
			"certutil -addstore CA ucfk_2024.crt"},
		{doctortest.Linux(),
			"curl -fLo ucfk_2024.crt http://crl.roskazna.ru/crl/ucfk_2024.crt",
			"sudo /opt/cprocsp/bin/amd64/certmgr -inst -store mCA -file ucfk_2024.crt"},
	} {
		h := tc.b.At(certtest.Dec2025).
			Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
			Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
			Host()
		res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
		doctortest.WantStatus(t, res, doctor.StatusFail)
		f := doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
		for _, lang := range i18n.Langs {
			msg := f.Message.In(lang)
			for _, want := range []string{"Федеральное казначейство", "066413A7CEE083E2A67D9F89A7D65619984CD9A7", "0x800B010A", "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%s message lacks %q: %s", lang, want, msg)
				}
			}
		}
		if !strings.Contains(f.Message.In(i18n.RU), "Федеральное казначейство 2024") || !strings.Contains(f.Message.In(i18n.EN), "Federal Treasury 2024") {
			t.Errorf("generation not named: %s", f.Message.In(i18n.RU))
		}
		if !strings.Contains(f.Message.In(i18n.RU), "Произошла внутренняя ошибка в цепочке сертификатов") {
			t.Errorf("no user-visible error text: %s", f.Message.In(i18n.RU))
		}
		if f.URL != "http://crl.roskazna.ru/crl/ucfk_2024.crt" {
			t.Errorf("URL %q", f.URL)
		}
		if len(f.Commands) != 2 || f.Commands[0] != tc.download || f.Commands[1] != tc.install {
			t.Errorf("%s commands %q", tc.b.Snapshot().OS, f.Commands)
		}
		if f.Subject != "sha1:E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" {
			t.Errorf("subject %q", f.Subject)
		}
	}
}

func TestRootOnlyInCAStore(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreCA, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.untrusted", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), `CurrentUser\CA`) || !strings.Contains(f.Message.In(i18n.RU), "Минцифры России (корневой ГУЦ 2022)") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
	want := "certutil -user -delstore CA 2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A"
	if f.Commands[len(f.Commands)-1] != want || f.Commands[1] != "certutil -addstore Root guc2022.cer" {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestMissingRoot(t *testing.T) {
	h := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
	if f.Commands[len(f.Commands)-1] != "sudo /opt/cprocsp/bin/amd64/certmgr -inst -store mRoot -file guc2022.cer" {
		t.Errorf("commands %q", f.Commands)
	}
	if !strings.Contains(f.Message.In(i18n.RU), "Минцифры России (корневой ГУЦ 2022)") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
}

func TestExpired(t *testing.T) {
	// The 2021 leaf checked in 2025: its own validity has ended.
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2018), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2021), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2021), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.expired", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "2023-02-02") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

func TestNotYetValid(t *testing.T) {
	h := doctortest.Windows().At(mustTime(t, "2025-06-01T00:00:00Z")).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.not-yet-valid", doctor.Fail)
	// The whole message in the report's language, with local times.
	ru := f.Message.In(i18n.RU)
	if !strings.Contains(ru, "действует только с") || strings.Contains(ru, "not valid") || !strings.Contains(ru, "проверено на 2025-06-01 03:00 UTC+03:00") {
		t.Errorf("Russian message %q", ru)
	}
}

func TestBadSignature(t *testing.T) {
	der := certtest.DER(t, certtest.FK2024)
	bad := append([]byte(nil), der...)
	bad[len(bad)-5] ^= 0x55 // inside the signature value
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, bad, nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.bad-signature", doctor.Fail)
	if ru := f.Message.In(i18n.RU); !strings.Contains(ru, "не проверяется ключом") || strings.Contains(ru, "does not verify") {
		t.Errorf("Russian message %q", ru)
	}
	if en := f.Message.In(i18n.EN); !strings.Contains(en, "does not verify with the key of") {
		t.Errorf("English message %q", en)
	}
	if len(f.Commands) != 1 || !strings.HasPrefix(f.Commands[0], "certutil -delstore CA ") {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestNoPersonalCertificates(t *testing.T) {
	res := doctortest.Run(t, Check, doctortest.Windows().Host(), doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An EFS-like RSA certificate next to the GOST one is not checked.
func TestNonGOSTCertificateIgnored(t *testing.T) {
	efs := certtest.RSASelfSigned(t, "buh", certtest.Dec2025.AddDate(-1, 0, 0), certtest.Dec2025.AddDate(1, 0, 0))
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Cert(host.CurrentUser, host.StoreMy, efs, nil).
		Cert(host.LocalMachine, host.StoreMy, efs, nil).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "not a GOST key") {
		t.Errorf("no note about the RSA certificate:\n%s", doctortest.Describe(res, i18n.EN))
	}
	// Only the RSA certificate: nothing to check.
	h = doctortest.Windows().At(certtest.Dec2025).Cert(host.CurrentUser, host.StoreMy, efs, nil).Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

// A CA missing from the built-in table is named from the --tsl list.
func TestMissingCANamedFromTSL(t *testing.T) {
	defer func(old func() *certs.Known) { loadKnown = old }(loadKnown)
	loadKnown = func() *certs.Known { k := certs.LoadKnown(); k.CAs = nil; return k }
	const path = "/home/buh/tsl.xml"
	sample := testutil.ReadTestdata(t, "..", "internal", "tsl", "testdata", "sample.xml")
	h := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		File(path, string(sample)).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{TSLPath: path}, nil)
	f := doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "per the accredited-CA list: Федеральное казначейство") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
	// The leaf's own caIssuers address still wins over e-trust.
	if f.URL != "http://crl.roskazna.ru/crl/ucfk_2024.crt" {
		t.Errorf("URL %q", f.URL)
	}
	// Without the list: unknown CA.
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f = doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "unknown certification authority") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

// The 2017 GOST 2001 leaf has no caIssuers: the Treasury 2017 CA is named
// from the built-in table and offered from e-trust by its thumbprint.
func TestMissing2017CAWithoutCAIssuers(t *testing.T) {
	h := doctortest.Windows().At(mustTime(t, "2018-01-01T00:00:00Z")).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.RootGUC2012), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, "ee-gost2001-fk-2017-by-fk-2017.der"), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "Federal Treasury 2017 (GOST 2001)") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
	wantURL := "https://e-trust.gosuslugi.ru/app/scc/portal/api/v1/portal/ca/download/48B19FB33BB637C88A54D19650730B67E42DB121"
	if f.URL != wantURL || f.Commands[1] != "certutil -addstore CA ucfk_2017.crt" {
		t.Errorf("URL %q, commands %q", f.URL, f.Commands)
	}
	// With the CA installed the GOST 2001 chain is valid.
	h = doctortest.Windows().At(mustTime(t, "2018-01-01T00:00:00Z")).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.RootGUC2012), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, "fk-ca-gost2001-2017-by-golovnoy-uc.pem"), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, "ee-gost2001-fk-2017-by-fk-2017.der"), key).
		Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}
