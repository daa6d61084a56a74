package iezones_test

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/iezones"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const (
	is  = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	pol = `Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`
)

// base: nothing configured anywhere.
func base() *fakefs.Builder {
	return fakefs.Windows().
		NoReg(host.RegViewDefault,
			`HKLM\`+pol, `HKCU\`+pol,
			`HKCU\`+is+`\ZoneMap`, `HKLM\`+is+`\ZoneMap`,
			`HKCU\`+is+`\Zones`, `HKLM\`+is+`\Zones`)
}

func goodZone(b *fakefs.Builder) *fakefs.Builder {
	return b.Reg(`HKCU\`+is+`\Zones\2`, host.RegViewDefault,
		fakefs.DWORD("1200", 0), fakefs.DWORD("1201", 0), fakefs.DWORD("1400", 0),
		fakefs.DWORD("1406", 0), fakefs.DWORD("1809", 3), fakefs.DWORD("2500", 3))
}

func TestTrusted(t *testing.T) {
	b := goodZone(fakefs.Windows().
		NoReg(host.RegViewDefault, `HKLM\`+pol, `HKCU\`+pol, `HKLM\`+is+`\ZoneMap`, `HKLM\`+is+`\Zones`, `HKCU\`+is+`\ZoneMap\EscDomains`).
		Reg(`HKCU\`+is+`\ZoneMap\Domains\gov.ru\bus`, host.RegViewDefault, fakefs.DWORD("https", 2)).
		Reg(`HKCU\`+is+`\ZoneMap\Domains\gov.ru\*`, host.RegViewDefault, fakefs.DWORD("*", 2)))
	res := doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "gmu", "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "trusted sites: 2 of 2" {
		t.Errorf("summary %q", s)
	}
}

func TestNotTrustedAndBadActions(t *testing.T) {
	b := base()
	res := doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "gmu"), nil)
	// ГМУ's need for the zone is inferred: warn, not fail.
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "ie-zones.not-trusted", doctor.Warn)
	want := `reg add "HKCU\` + is + `\ZoneMap\Domains\gov.ru\bus" /v https /t REG_DWORD /d 2 /f`
	if f.Commands[0] != want {
		t.Errorf("command %q, want %q", f.Commands[0], want)
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "inferred") {
		t.Error("no note that the requirement is inferred")
	}

	b = base().Reg(`HKCU\`+is+`\ZoneMap\Domains\gov.ru\zakupki`, host.RegViewDefault, fakefs.DWORD("https", 4)).
		Reg(`HKLM\`+pol+`\Zones\2`, host.RegViewDefault, fakefs.DWORD("1201", 3)).
		NoReg(host.RegViewDefault, `HKLM\`+pol+`\ZoneMapKey`).
		Reg(`HKCU\`+is+`\Zones\2`, host.RegViewDefault, fakefs.DWORD("1201", 0), fakefs.DWORD("1809", 0))
	res = doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "eis"), nil)
	f = doctortest.WantFinding(t, res, "ie-zones.wrong-zone", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "zone 4") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
	var policy, user bool
	for _, f := range res.Findings {
		if f.Code != "ie-zones.action" {
			continue
		}
		if strings.Contains(f.Subject, `\Policies\`) && strings.Contains(f.Commands[0], "/v 1201 ") {
			policy = strings.Contains(f.Hint.In(i18n.EN), "Group Policy")
		}
		if strings.Contains(f.Commands[0], "/v 1809 /t REG_DWORD /d 3") {
			user = true
		}
	}
	if !policy || !user {
		t.Errorf("want the policy 1201 and the user 1809 findings:\n%s", doctortest.Describe(res, i18n.EN))
	}
}

func TestHKLMOnlyAndPolicyZoneMap(t *testing.T) {
	// Only HKLM counts; the HKCU entry is ignored, the policy list wins.
	b := goodZone(fakefs.Windows()).
		Reg(`HKLM\`+pol, host.RegViewDefault, fakefs.DWORD("Security_HKLM_only", 1)).
		Reg(`HKLM\`+pol+`\ZoneMapKey`, host.RegViewDefault, fakefs.SZ("https://*.roskazna.ru", "2")).
		NoReg(host.RegViewDefault, `HKLM\`+pol+`\Zones`, `HKLM\`+is+`\ZoneMap`, `HKLM\`+is+`\Zones`).
		Reg(`HKCU\`+is+`\ZoneMap\Domains\gov.ru\zakupki`, host.RegViewDefault, fakefs.DWORD("https", 2))
	res := doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "eis"), map[string]any{"actions": map[string]any{"1201": []any{0}}})
	f := doctortest.WantFinding(t, res, "ie-zones.not-trusted", doctor.Warn)
	if !strings.HasPrefix(f.Commands[0], `reg add "HKLM\`) {
		t.Errorf("command %q", f.Commands[0])
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "Security_HKLM_only") {
		t.Error("no note about Security_HKLM_only")
	}
}

func TestSkips(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, iezones.Check, base().Host(), fakefs.Sites(t, "epgu"), nil), doctor.StatusSkipped)
	doctortest.WantStatus(t, doctortest.Run(t, iezones.Check, fakefs.Linux().Host(), fakefs.Sites(t, "gmu"), nil), doctor.StatusSkipped)
}

func TestNotRecorded(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, iezones.Check, fakefs.Windows().Host(), fakefs.Sites(t, "gmu"), nil), doctor.StatusError)
}

// IE's Trusted sites dialog and many set-up scripts store a host whole
// (Domains\zakupki.gov.ru) rather than split (Domains\gov.ru\zakupki);
// both mean the same to IE.
func TestWholeHostKey(t *testing.T) {
	for _, proto := range []string{"https", "*"} {
		b := base().Reg(`HKCU\`+is+`\ZoneMap\Domains\zakupki.gov.ru`, host.RegViewDefault, fakefs.DWORD(proto, 2))
		res := doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "eis"), nil)
		for _, f := range res.Findings {
			if f.Code == "ie-zones.not-trusted" || f.Code == "ie-zones.wrong-zone" {
				t.Errorf("%s=2 on the whole-host key: unexpected %s\n%s", proto, f.Code, doctortest.Describe(res, i18n.EN))
			}
		}
		// The whole-host key in another zone is reported as such.
		b = base().Reg(`HKCU\`+is+`\ZoneMap\Domains\zakupki.gov.ru`, host.RegViewDefault, fakefs.DWORD(proto, 4))
		res = doctortest.Run(t, iezones.Check, b.Host(), fakefs.Sites(t, "eis"), nil)
		doctortest.WantFinding(t, res, "ie-zones.wrong-zone", doctor.Warn)
	}
}
