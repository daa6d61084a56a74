package siteoids

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

var key = &host.KeyLink{Container: `\\.\HDIMAGE\x`}

func with(t *testing.T, name string, at time.Time) host.Host {
	return doctortest.Windows().At(at).Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, name), key).Host()
}

func TestEISClientAuth(t *testing.T) {
	res := doctortest.Run(t, Check, with(t, certtest.Leaf2025, certtest.Dec2025), certtest.Sites(t, nil, "eis", "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "2 of 2 sites covered" {
		t.Errorf("summary %q", got)
	}
}

func TestMissingEKU(t *testing.T) {
	o := certtest.Sites(t, map[string]any{"eis": map[string]any{"required_eku": []any{"1.3.6.1.5.5.7.3.3"}}}, "eis")
	res := doctortest.Run(t, Check, with(t, certtest.Leaf2025, certtest.Dec2025), o, nil)
	f := doctortest.WantFinding(t, res, "site-oids.missing-eku", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.RU), "Подписывание кода (1.3.6.1.5.5.7.3.3)") || !strings.Contains(f.Message.In(i18n.RU), "ЕИС") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
}

// ГМУ requires no OIDs: a healthy workstation gets no warning, only the
// certificate's OIDs and who grants rights, as information.
func TestGMUOIDsAreInformation(t *testing.T) {
	at := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	res := doctortest.Run(t, Check, with(t, certtest.Leaf2021, at), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if len(res.Findings) != 0 {
		t.Fatalf("findings on a healthy ГМУ workstation:\n%s", doctortest.Describe(res, i18n.EN))
	}
	text := doctortest.AllText(res, i18n.RU)
	for _, want := range []string{"Проверка подлинности клиента (1.3.6.1.5.5.7.3.2)", "1.2.643.3.61.502710.1.6.3.2", "1102140957", "КС1", "ПОИБ", "пользователь заблокирован", "63-ФЗ"} {
		if !strings.Contains(text, want) {
			t.Errorf("notes lack %q:\n%s", want, text)
		}
	}
	// Once configured, the OIDs are required: the 2021 certificate has
	// this one, the 2025 certificate has not.
	o := certtest.Sites(t, map[string]any{"gmu": map[string]any{"required_oids": []any{"1.2.643.3.61.502710.1.6.3.2"}}}, "gmu")
	res = doctortest.Run(t, Check, with(t, certtest.Leaf2021, at), o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	res = doctortest.Run(t, Check, with(t, certtest.Leaf2025, certtest.Dec2025), o, nil)
	doctortest.WantFinding(t, res, "site-oids.missing-oid", doctor.Fail)
}

func TestKnownRoles(t *testing.T) {
	o := certtest.Sites(t, map[string]any{"eis": map[string]any{"known_role_oids": []any{"1.3.6.1.5.5.7.3.4"}}}, "eis")
	res := doctortest.Run(t, Check, with(t, certtest.Leaf2025, certtest.Dec2025), o, nil)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "has the roles: E-mail protection (1.3.6.1.5.5.7.3.4)") {
		t.Errorf("no role note:\n%s", doctortest.Describe(res, i18n.EN))
	}
}

func TestNotApplicable(t *testing.T) {
	res := doctortest.Run(t, Check, doctortest.Windows().Host(), certtest.Sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
	res = doctortest.Run(t, Check, with(t, certtest.Leaf2025, certtest.Dec2025), doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}
