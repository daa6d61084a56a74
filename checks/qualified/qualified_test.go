package qualified

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var key = &host.KeyLink{Container: `\\.\HDIMAGE\zhilkom`}

func leafHost(t *testing.T, der []byte) *doctortest.SnapBuilder {
	return doctortest.Windows().At(certtest.Dec2025).Cert(host.CurrentUser, host.StoreMy, der, key)
}

func TestRealQualifiedCertificate(t *testing.T) {
	res := doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).Host(), certtest.Sites(t, nil, "gmu", "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	text := doctortest.AllText(res, i18n.RU)
	for _, want := range []string{"КриптоПро CSP (4.0.9969)", "KC1, KC2", "с использованием квалифицированной ЭП"} {
		if !strings.Contains(text, want) {
			t.Errorf("note lacks %q:\n%s", want, text)
		}
	}
}

func TestEPGUNeedsSNILS(t *testing.T) {
	res := doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).Host(), certtest.Sites(t, nil, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "qualified-profile.no-snils", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.RU), "ЕПГУ") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
	// With other sites selected the certificate is still good for them.
	res = doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).Host(), certtest.Sites(t, nil, "gmu", "epgu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	doctortest.WantFinding(t, res, "qualified-profile.no-snils", doctor.Warn)
}

func TestBadOGRN(t *testing.T) {
	der := certtest.DER(t, certtest.Leaf2025)
	bad := bytes.Replace(der, []byte("1047839009129"), []byte("1047839009120"), 1)
	if bytes.Equal(bad, der) {
		t.Fatal("ОГРН not found in the certificate")
	}
	res := doctortest.Run(t, Check, leafHost(t, bad).Host(), certtest.Sites(t, nil, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "qualified-profile.bad-ogrn", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "1047839009120") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

func TestNotQualified(t *testing.T) {
	der := certtest.DER(t, "rfc9215-example1-gost2012-256-testparamset-selfsigned.der")
	res := doctortest.Run(t, Check, leafHost(t, der).Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	for _, code := range []string{"qualified-profile.no-identity", "qualified-profile.no-subject-sign-tool", "qualified-profile.no-issuer-sign-tool", "qualified-profile.no-class-policy"} {
		doctortest.WantFinding(t, res, code, doctor.Fail)
	}
}

func TestNotApplicable(t *testing.T) {
	sites := certtest.Sites(t, nil, "gmu")
	sites.Profiles[0].QualifiedCert = false
	res := doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).Host(), sites, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
	// Only an expired certificate: nothing to check.
	res = doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2021)).Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

func TestTSL(t *testing.T) {
	sample, err := os.ReadFile(testutil.RepoRoot(t) + "/internal/tsl/testdata/sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	const path = `C:\Users\buh\tsl.xml`
	o := certtest.Sites(t, nil, "gmu")
	o.TSLPath = path

	res := doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).File(path, string(sample)).Host(), o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.RU), "издатель аккредитован — Федеральное казначейство (ОГРН 1047797019830)") {
		t.Errorf("no accreditation note:\n%s", doctortest.Describe(res, i18n.RU))
	}

	// The same key listed under a CA whose accreditation ended.
	ended := strings.Replace(string(sample), "<Статус>Действует</Статус>", "<Статус>Аннулирована</Статус>", 1)
	res = doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).File(path, ended).Host(), o, nil)
	f := doctortest.WantFinding(t, res, "qualified-profile.accreditation-ended", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.RU), "Аннулирована") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}

	// A certificate from a CA that is not in the list.
	res = doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.LeafGisGKH)).At(mustDate("2022-06-01")).File(path, string(sample)).Host(), o, nil)
	f = doctortest.WantFinding(t, res, "qualified-profile.issuer-not-accredited", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "1D8026D28962E704818F1E4AE8AB7292762DDD3D") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}

	// A broken file: a warning, the profile checks still run.
	res = doctortest.Run(t, Check, leafHost(t, certtest.DER(t, certtest.Leaf2025)).File(path, "<html>").Host(), o, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	doctortest.WantFinding(t, res, "qualified-profile.tsl-unreadable", doctor.Warn)
}

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
