package rootcerts

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func TestRootInstalled(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "1 of 1 needed installed" {
		t.Errorf("summary %q", got)
	}
	found := false
	for _, m := range res.Metrics {
		if m.Name == "root_days_left" && m.Labels["sha1"] == "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A" {
			found = true
			if m.Value < 5000 {
				t.Errorf("root_days_left %v", m.Value)
			}
		}
	}
	if !found {
		t.Errorf("no root_days_left metric: %+v", res.Metrics)
	}
}

func TestRequiredRootMissingWindows(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "root-certs.missing", doctor.Fail)
	if f.Subject != "sha1:2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A" {
		t.Errorf("subject %q", f.Subject)
	}
	want := []string{
		"certutil -urlcache -split -f https://e-trust.gosuslugi.ru/app/scc/portal/api/v1/portal/ca/download/2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A guc2022.cer",
		"certutil -addstore Root guc2022.cer",
	}
	if strings.Join(f.Commands, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s", strings.Join(f.Commands, "\n"))
	}
	if !strings.Contains(f.Hint.In(i18n.RU), "certutil -user -addstore Root guc2022.cer") {
		t.Errorf("hint lacks the per-user variant: %s", f.Hint.In(i18n.RU))
	}
}

func TestRussianTrustedRootForFZS(t *testing.T) {
	b := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		File("/etc/ssl/certs/ca-certificates.crt", string(publicBundle(t))).
		Missing("/etc/pki").Missing("/home/buh/.pki")
	// Not needed for ГМУ alone.
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	// Needed for ФЗС; on Linux it belongs in the system CA bundle.
	res = doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	if f.Subject != "sha1:8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F" {
		t.Errorf("subject %q", f.Subject)
	}
	if f.Commands[len(f.Commands)-1] != "sudo cp russian_trusted_root_ca.crt /usr/local/share/ca-certificates/russian_trusted_root_ca.crt && sudo update-ca-certificates" {
		t.Errorf("commands %q", f.Commands)
	}
	if f.URL != "https://www.gosuslugi.ru/crt" || !strings.Contains(f.Message.In(i18n.RU), "ФЗС") {
		t.Errorf("URL %q, message %s", f.URL, f.Message.In(i18n.RU))
	}
}

func TestRootInWrongStore(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreCA, certtest.DER(t, certtest.Root2022), nil).
		Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.wrong-store", doctor.Fail)
	if doctortest.Finding(res, "root-certs.missing") != nil {
		t.Error("a root in the wrong store is also reported missing")
	}
	last := f.Commands[len(f.Commands)-1]
	if last != "certutil -user -delstore CA 2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A" {
		t.Errorf("commands %q", f.Commands)
	}
	if !strings.Contains(f.Message.In(i18n.EN), `CurrentUser\CA`) {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

// A personal certificate issued under the 2012 GOST-2001 head CA makes
// that root needed; it expires within the window.
func TestOldRootNeededAndExpiring(t *testing.T) {
	b := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil)
	// An expired leaf (2021, checked in 2025) does not make its root needed.
	b.Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2021), nil)
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)

	// A valid leaf (2021, checked in 2022) whose chain goes to the 2018 root.
	b2 := doctortest.Windows().At(mustTime("2022-06-01T00:00:00Z")).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2021), &host.KeyLink{Container: `\\.\HDIMAGE\x`})
	res = doctortest.Run(t, Check, b2.Host(), certtest.Sites(t, nil, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.missing", doctor.Warn)
	if f.Subject != "sha1:4BC6DC14D97010C41A26E058AD851F81C842415A" {
		t.Errorf("subject %q", f.Subject)
	}
	if !strings.Contains(f.Message.In(i18n.RU), "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ") {
		t.Errorf("message does not name the certificate: %s", f.Message.In(i18n.RU))
	}

	// ГУЦ 2012 installed and needed by a cert; checked in 2027-03 it is
	// within the 180-day window.
	b3 := doctortest.Windows().At(mustTime("2027-03-01T00:00:00Z")).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.RootGUC2012), nil)
	res = doctortest.Run(t, Check, b3.Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK) // not needed: only a note
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "2027-07-17") {
		t.Errorf("no expiry note:\n%s", doctortest.Describe(res, i18n.EN))
	}
	res = doctortest.Run(t, Check, b3.Host(), certtest.Sites(t, nil, "gmu"), map[string]any{"roots": []any{
		map[string]any{"id": "guc-2012", "name_ru": "ГУЦ", "name_en": "GUC", "sha1": "8CAE88BBFD404A7A53630864F9033606E1DC45E2", "role": "required"},
	}, "expiry_warn_days": 200})
	f = doctortest.WantFinding(t, res, "root-certs.expiring", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "2027-07-17") {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
}

func TestBadConfig(t *testing.T) {
	h := doctortest.Windows().Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "gmu"), map[string]any{"roots": []any{map[string]any{"id": "x", "sha1": "12", "role": "required"}}})
	doctortest.WantStatus(t, res, doctor.StatusError)
}

func TestStoresUnreadable(t *testing.T) {
	h := doctortest.Windows().
		StoreError(host.LocalMachine, host.StoreRoot, "access denied").
		StoreError(host.CurrentUser, host.StoreRoot, "access denied").Host()
	res := doctortest.Run(t, Check, h, certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusError)
}

func mustTime(s string) (t time.Time) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
