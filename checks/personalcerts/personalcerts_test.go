package personalcerts

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

const leafSHA1 = "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC"

var (
	key       = &host.KeyLink{Container: `\\.\HDIMAGE\zhilkom`, Provider: "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider", ProvType: 80, KeySpec: 1}
	enumCont  = []string{"/opt/cprocsp/bin/amd64/csptest", "-keyset", "-enum_cont", "-fqcn", "-verifycontext"}
	contList  = "CSP (Type:80) v5.0.10003 KC1 Release Ver:5.0.12455 OS:Linux CPU:AMD64 FastCode:READY:AVX.\nAcquireContext: OK. HCRYPTPROV: 1\n\\\\.\\HDIMAGE\\zhilkom\nOK.\n[ErrorCode: 0x00000000]\n"
	contEmpty = "CSP (Type:80) v5.0.10003 KC1 Release Ver:5.0.12455 OS:Linux CPU:AMD64 FastCode:READY:AVX.\nAcquireContext: OK. HCRYPTPROV: 1\nOK.\n[ErrorCode: 0x00000000]\n"
)

func metric(res *doctor.Result, name string) (float64, map[string]string, bool) {
	for _, m := range res.Metrics {
		if m.Name == name {
			return m.Value, m.Labels, true
		}
	}
	return 0, nil, false
}

func TestHealthyLinux(t *testing.T) {
	h := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Command(enumCont, contList, 0).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	// 2025-12-01 09:00 → 2026-09-26 14:02: 299 whole days.
	v, labels, ok := metric(res, "cert_days_left")
	if !ok || v != 299 || labels["sha1"] != leafSHA1 || labels["store"] != `CurrentUser\My` || labels["subject_cn"] != "ЖИЛИЩНЫЙ КОМИТЕТ" {
		t.Errorf("cert_days_left = %v %v %v", v, labels, ok)
	}
	kv, _, ok := metric(res, "private_key_days_left")
	if !ok || kv < 290 || kv > 300 {
		t.Errorf("private_key_days_left = %v %v", kv, ok)
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "299 days left") {
		t.Errorf("no days-left note:\n%s", doctortest.Describe(res, i18n.EN))
	}
}

func TestNoKeyLink(t *testing.T) {
	for _, b := range []*doctortest.SnapBuilder{doctortest.Windows(), doctortest.Linux().Command(enumCont, contList, 0)} {
		h := b.At(certtest.Dec2025).Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), nil).Host()
		res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
		f := doctortest.WantFinding(t, res, "personal-certs.no-key-link", doctor.Fail)
		if f.Subject != "sha1:"+leafSHA1 {
			t.Errorf("subject %q", f.Subject)
		}
		if b.Snapshot().OS == "windows" {
			if !strings.Contains(f.Hint.In(i18n.RU), "КриптоПро CSP → Сервис → Просмотреть сертификаты в контейнере") {
				t.Errorf("hint %s", f.Hint.In(i18n.RU))
			}
		} else if f.Commands[len(f.Commands)-1] != `/opt/cprocsp/bin/amd64/certmgr -inst -store uMy -cont '\\.\HDIMAGE\zhilkom'` {
			t.Errorf("commands %q", f.Commands)
		}
	}
}

func TestContainerMissing(t *testing.T) {
	h := doctortest.Linux().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Command(enumCont, contEmpty, 0).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "personal-certs.container-missing", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "0x80090016") || !strings.Contains(f.Message.In(i18n.EN), `\\.\HDIMAGE\zhilkom`) {
		t.Errorf("message %s", f.Message.In(i18n.EN))
	}
	// csptest not installed: the container cannot be checked, no finding.
	h = doctortest.Linux().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		CommandNotFound(enumCont).Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestExpiringAndKeyPeriod(t *testing.T) {
	// 2026-09-10: 16 days before the end of both periods.
	h := doctortest.Windows().At(time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	doctortest.WantFinding(t, res, "personal-certs.expiring", doctor.Warn)
	// A smaller threshold from the config: no warning.
	res = doctortest.Run(t, Check, h, doctor.Options{}, map[string]any{"warn_days": 10})
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestKeyExpired(t *testing.T) {
	c := certtest.Cert(t, certtest.Leaf2025)
	if c.PrivateKeyNotAfter == nil {
		t.Fatal("the 2025 leaf has no private key usage period")
	}
	// The key period ends 43 s before the certificate (14:02:00 vs 14:02:43).
	at := c.PrivateKeyNotAfter.Add(time.Second)
	if !at.Before(c.NotAfter) {
		t.Fatalf("key period %s does not end before the certificate %s", c.PrivateKeyNotAfter, c.NotAfter)
	}
	h := doctortest.Windows().At(at).
		Cert(host.CurrentUser, host.StoreMy, c.Raw, key).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "personal-certs.key-expired", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.RU), "0x80090010") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
	if doctortest.Finding(res, "personal-certs.expired") != nil {
		t.Error("the certificate itself is still valid")
	}
}

func TestExpiredLeftover(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2021), key).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "personal-certs.expired-leftover", doctor.Warn)
	if len(f.Commands) != 1 || f.Commands[0] != "certutil -user -delstore My 861ECDDB257106C004D963C33FCB7C40C032D8B8" {
		t.Errorf("commands %q", f.Commands)
	}
	if got := res.Summary.In(i18n.EN); got != "1 of 2 valid" {
		t.Errorf("summary %q", got)
	}
	// Only the expired one: fail.
	h = doctortest.Windows().At(certtest.Dec2025).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2021), key).Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantFinding(t, res, "personal-certs.expired", doctor.Fail)
}

func TestNoCertificates(t *testing.T) {
	h := doctortest.Linux().Command(enumCont, contList, 0).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "personal-certs.none", doctor.Fail)
	if f.Commands[0] != strings.Join(enumCont, " ") {
		t.Errorf("commands %q", f.Commands)
	}
	// Store not readable: error, not "no certificates".
	h = doctortest.Windows().StoreError(host.CurrentUser, host.StoreMy, "access denied").Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusError)
}

func TestUnreadableEntry(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		CertEntry(host.CurrentUser, host.StoreMy, host.Certificate{SHA1: "00112233445566778899AABBCCDDEEFF00112233", Error: "blob has no certificate property"}).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantFinding(t, res, "personal-certs.unreadable", doctor.Warn)
}

// TestListingOnlyEntry: a store read through certmgr's listing has no
// certificate body; the entry's text quotes the subject, whose СНИЛС must
// be masked, and the hint must not call the entry damaged.
func TestListingOnlyEntry(t *testing.T) {
	src := "certmgr -list -store uMy"
	entry := host.Certificate{SHA1: leafSHA1, Source: src,
		Error: `certificate body not available (read with certmgr -list -store uMy): subject "OGRN=1027810321496, SNILS=11335005899, INN=784200123456, CN=Иванов", issuer "CN=Федеральное казначейство", valid until 2026-09-26`}
	h := doctortest.Linux().At(certtest.Dec2025).CertEntry(host.CurrentUser, host.StoreMy, entry).Command(enumCont, contList, 0).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "personal-certs.unreadable", doctor.Warn)
	msg := f.Message.In(i18n.EN)
	for _, leak := range []string{"11335005899", "784200123456"} {
		if strings.Contains(msg, leak) {
			t.Errorf("personal number %s printed unmasked: %q", leak, msg)
		}
	}
	if !strings.Contains(msg, "1027810321496") || !strings.Contains(msg, leafSHA1) {
		t.Errorf("message lost the ОГРН or the thumbprint: %q", msg)
	}
	if hint := f.Hint.In(i18n.EN); !strings.Contains(hint, "Nothing is damaged") || !strings.Contains(hint, src) {
		t.Errorf("hint %q", hint)
	}
	res = doctortest.Run(t, Check, h, doctor.Options{ShowPersonal: true}, nil)
	if msg := doctortest.Finding(res, "personal-certs.unreadable").Message.In(i18n.EN); !strings.Contains(msg, "SNILS=11335005899") {
		t.Errorf("--show-personal: %q", msg)
	}
}

func TestOnlyNonGOSTCertificate(t *testing.T) {
	efs := certtest.RSASelfSigned(t, "buh", certtest.Dec2025.AddDate(-1, 0, 0), certtest.Dec2025.AddDate(1, 0, 0))
	h := doctortest.Windows().At(certtest.Dec2025).Cert(host.CurrentUser, host.StoreMy, efs, nil).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantFinding(t, res, "personal-certs.none", doctor.Fail)
	if doctortest.Finding(res, "personal-certs.no-key-link") != nil {
		t.Error("the RSA certificate was checked for a key link")
	}
}
