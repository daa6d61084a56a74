package rootcerts

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

const (
	rtrSHA1   = "8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F"
	isrgSHA1  = "CABD2A79A1076A31F21D253635CB039D4329A5E8" // ISRG Root X1, in the fixture bundles
	debBundle = "/etc/ssl/certs/ca-certificates.crt"
)

// rtrPEM is the real Russian Trusted Root CA (testdata/certs/tls).
func rtrPEM(t *testing.T) string {
	return string(testutil.ReadTestdata(t, "certs", "tls", "russian-trusted-root-ca.pem"))
}

// publicBundle is a system CA bundle of real public CA certificates
// without the Russian Trusted Root CA (the RED OS fixture tree's).
func publicBundle(t *testing.T) []byte {
	return testutil.ReadTestdata(t, "linux", "redos-csp4-en", "root", "etc", "pki", "tls", "certs", "ca-bundle.crt")
}

// astra is a Linux (Astra) workstation with the GOST root in mRoot, the
// Debian bundle as given and no /etc/pki.
func astra(t *testing.T, bundle string) *doctortest.SnapBuilder {
	return doctortest.Linux().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		File(debBundle, bundle).
		Missing("/etc/pki").Missing("/home/buh/.pki")
}

func TestLinuxTLSRootInSystemBundle(t *testing.T) {
	b := astra(t, string(publicBundle(t))+rtrPEM(t))
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "2 of 2 needed installed" {
		t.Errorf("summary %q", got)
	}
	all := doctortest.AllText(res, i18n.EN)
	if !strings.Contains(all, debBundle) {
		t.Errorf("notes do not say where the root was found:\n%s", all)
	}
	if strings.Contains(all, "nssdb") {
		t.Errorf("NSS note without an NSS database:\n%s", all)
	}
	var metric bool
	for _, m := range res.Metrics {
		if m.Name == "root_days_left" && m.Labels["sha1"] == rtrSHA1 && m.Labels["store"] == debBundle {
			metric = m.Value > 2000 && m.Value < 2300 // 2032-02-27 from 2025-12
		}
	}
	if !metric {
		t.Errorf("no root_days_left metric of the bundle copy: %+v", res.Metrics)
	}

	// With a Chromium NSS database, a note gives the certutil command.
	b.File("/home/buh/.pki/nssdb/cert9.db", "")
	res = doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.RU); !strings.Contains(all, `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Russian Trusted Root CA" -i russian_trusted_root_ca.cer`) {
		t.Errorf("no certutil note:\n%s", all)
	}
}

func TestLinuxTLSRootMissingDebian(t *testing.T) {
	// The root sits in CryptoPro's mRoot (the old advice), which browsers
	// do not use: still missing, with a note saying why.
	b := astra(t, string(publicBundle(t))).
		Cert(host.LocalMachine, host.StoreRoot, mustDER(t, rtrPEM(t)), nil)
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	want := []string{
		"openssl x509 -inform DER -in russian_trusted_root_ca.cer -out russian_trusted_root_ca.crt",
		"sudo cp russian_trusted_root_ca.crt /usr/local/share/ca-certificates/russian_trusted_root_ca.crt && sudo update-ca-certificates",
	}
	if strings.Join(f.Commands, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s", strings.Join(f.Commands, "\n"))
	}
	if f.URL != "https://www.gosuslugi.ru/crt" {
		t.Errorf("URL %q", f.URL)
	}
	if msg := f.Message.In(i18n.RU); !strings.Contains(msg, debBundle) || !strings.Contains(msg, "ФЗС") {
		t.Errorf("message %s", msg)
	}
	if hint := f.Hint.In(i18n.EN); !strings.Contains(hint, "https://www.gosuslugi.ru/crt") || !strings.Contains(hint, "PEM") {
		t.Errorf("hint %s", hint)
	}
	if doctortest.Finding(res, "root-certs.missing") != nil || doctortest.Finding(res, "root-certs.wrong-store") != nil {
		t.Errorf("CryptoPro findings for a TLS root: %v", doctortest.Codes(res))
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), `LocalMachine\Root`) {
		t.Errorf("no note about the copy in CryptoPro's store:\n%s", doctortest.Describe(res, i18n.EN))
	}
}

func TestLinuxTLSRootMissingREDOS(t *testing.T) {
	b := doctortest.Linux().At(certtest.Dec2025).With(func(f *host.Facts) {
		f.Distro, f.ProductName, f.Version, f.User, f.Home = "redos", "RED OS 7.3", "7.3.4", "petrov", "/home/petrov"
	}).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Missing(debBundle).
		File("/etc/pki/tls/certs/ca-bundle.crt", string(publicBundle(t))).
		Missing("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem").
		File("/home/petrov/.pki/nssdb/cert9.db", "")
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	want := []string{
		"sudo cp russian_trusted_root_ca.cer /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust",
		`certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Russian Trusted Root CA" -i russian_trusted_root_ca.cer`,
	}
	if strings.Join(f.Commands, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s", strings.Join(f.Commands, "\n"))
	}
	hint := f.Hint.In(i18n.EN)
	if !strings.Contains(hint, "/home/petrov/.pki/nssdb") || !strings.Contains(hint, "nss-tools") || !strings.Contains(hint, "update-ca-trust") {
		t.Errorf("hint %s", hint)
	}
	if !strings.Contains(f.Message.In(i18n.EN), "/etc/pki/tls/certs/ca-bundle.crt") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

// An unknown distribution: the family comes from the bundle that exists;
// with no bundle either, the hint gives both variants.
func TestLinuxTLSRootFamilyFallback(t *testing.T) {
	b := doctortest.Linux().At(certtest.Dec2025).With(func(f *host.Facts) { f.Distro = "gentoo" }).
		Missing(debBundle).Missing("/etc/pki/tls/certs/ca-bundle.crt").Missing("/home/buh/.pki").
		File("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", string(publicBundle(t)))
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	if len(f.Commands) != 1 || !strings.HasSuffix(f.Commands[0], "sudo update-ca-trust") {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestLinuxNoSystemBundle(t *testing.T) {
	b := doctortest.Linux().At(certtest.Dec2025).With(func(f *host.Facts) { f.Distro = "" }).
		Missing("/etc/ssl").Missing("/etc/pki").Missing("/home/buh/.pki")
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.no-system-bundle", doctor.Fail)
	msg := f.Message.In(i18n.EN)
	for _, p := range []string{debBundle, "/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"} {
		if !strings.Contains(msg, p) {
			t.Errorf("message does not name %s: %s", p, msg)
		}
	}
	hint := f.Hint.In(i18n.RU)
	if !strings.Contains(hint, "ca-certificates") || !strings.Contains(hint, "update-ca-certificates") || !strings.Contains(hint, "update-ca-trust") {
		t.Errorf("hint %s", hint)
	}
	if doctortest.Finding(res, "root-certs.tls-missing") != nil {
		t.Error("tls-missing without any bundle read")
	}
	// The GOST root is still looked for in CryptoPro's stores.
	doctortest.WantFinding(t, res, "root-certs.missing", doctor.Fail)
}

func TestLinuxSystemBundleUnreadable(t *testing.T) {
	b := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		FileError(debBundle, "permission denied").Missing("/etc/pki").Missing("/home/buh/.pki")
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "root-certs.system-bundle-unreadable", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "permission denied") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

// A TLS root from the configuration, required always: one of the real
// public CA certificates of the fixture bundle.
func TestLinuxConfiguredTLSRoot(t *testing.T) {
	cfg := map[string]any{"roots": []any{
		map[string]any{"id": "isrg", "name_ru": "ISRG Root X1", "name_en": "ISRG Root X1", "sha1": isrgSHA1, "role": "required", "kind": "tls"},
		map[string]any{"id": "gost", "name_ru": "ГУЦ", "name_en": "GUC", "sha1": "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A", "role": "required"},
	}}
	res := doctortest.Run(t, Check, astra(t, string(publicBundle(t))).Host(), certtest.Sites(t, nil, "gmu"), cfg)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "2 of 2 needed installed" {
		t.Errorf("summary %q", got)
	}
	// Without it in the bundle: missing.
	res = doctortest.Run(t, Check, astra(t, rtrPEM(t)).Host(), certtest.Sites(t, nil, "gmu"), cfg)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	if f.Subject != "sha1:"+isrgSHA1 {
		t.Errorf("subject %q", f.Subject)
	}
	// A bad kind is a configuration error.
	bad := map[string]any{"roots": []any{map[string]any{"id": "x", "sha1": isrgSHA1, "role": "required", "kind": "https"}}}
	res = doctortest.Run(t, Check, astra(t, rtrPEM(t)).Host(), certtest.Sites(t, nil, "gmu"), bad)
	doctortest.WantStatus(t, res, doctor.StatusError)
}

// Windows keeps the Root store and certutil for the TLS root.
func TestWindowsTLSRootUnchanged(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.missing", doctor.Fail)
	if f.Subject != "sha1:"+rtrSHA1 || strings.Join(f.Commands, "\n") != "certutil -addstore Root russian_trusted_root_ca.cer" {
		t.Errorf("subject %q commands %q", f.Subject, f.Commands)
	}
	h = doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.CurrentUser, host.StoreRoot, mustDER(t, rtrPEM(t)), nil).Host()
	res = doctortest.Run(t, Check, h, certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func mustDER(t *testing.T, pemText string) []byte {
	t.Helper()
	list, err := pki.Parse([]byte(pemText))
	if err != nil || len(list) != 1 {
		t.Fatalf("parse: %v", err)
	}
	return list[0].Raw
}
