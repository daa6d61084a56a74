package csp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

func output(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "linux", "outputs", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sites(t *testing.T, ov map[string]any, ids ...string) doctor.Options {
	t.Helper()
	s, err := profile.Resolve(ids, ov)
	if err != nil {
		t.Fatal(err)
	}
	return doctor.Options{Sites: ids, Profiles: s}
}

const csptestWin = `C:\Program Files\Crypto Pro\CSP\csptest.exe`

func windowsCSP(t *testing.T, providers ...string) *fakefs.Builder {
	b := fakefs.Windows().
		Reg(csp.InstallPropertiesKey(csp.ProductCodes[0].Code), host.RegViewDefault,
			fakefs.SZ("DisplayVersion", "5.0.13000"), fakefs.SZ("ProductID", "50500-00000-0ABCD-EFGH0-XYZ12"),
			fakefs.SZ("InstallLocation", `C:\Program Files\Crypto Pro\CSP\`)).
		File(csptestWin, "MZ").
		Cmd(output(t, "csptest-keyset-verifycontext-5.0.13000-windows.txt"), 0, csptestWin, "-keyset", "-verifycontext")
	if providers == nil {
		providers = []string{"Microsoft Base Cryptographic Provider v1.0", "Microsoft Enhanced RSA and AES Cryptographic Provider",
			csp.Providers[75], csp.Providers[80], csp.Providers[81]}
	}
	for _, p := range providers {
		b.Reg(csp.ProviderKey+`\`+p, host.RegViewDefault, fakefs.SZ("Image Path", "cpcspi.dll"))
	}
	return b
}

func TestWindowsOK(t *testing.T) {
	res := doctortest.Run(t, csp.Check, windowsCSP(t).Host(), sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "5.0.13000 KC1" {
		t.Errorf("summary %q", s)
	}
}

func TestWindowsNotInstalled(t *testing.T) {
	b := fakefs.Windows()
	for _, pc := range csp.ProductCodes {
		b.NoReg(host.RegViewDefault, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\`+pc.Code)
	}
	b.NoReg(host.RegView64, `HKLM\SOFTWARE\Crypto Pro`).NoReg(host.RegView32, `HKLM\SOFTWARE\Crypto Pro`)
	res := doctortest.Run(t, csp.Check, b.Host(), sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "csp.not-installed", doctor.Fail)
	if !strings.Contains(strings.Join(f.Commands, " "), "CryptoProCSP.exe -gm2") || f.URL == "" {
		t.Errorf("commands %q url %q", f.Commands, f.URL)
	}
}

func TestWindowsOtherCSPAndMissingProvider(t *testing.T) {
	b := windowsCSP(t, "Microsoft Base Cryptographic Provider v1.0", csp.Providers[80], "Infotecs GOST 2012/512 Cryptographic Service Provider", "eToken Base Cryptographic Provider")
	res := doctortest.Run(t, csp.Check, b.Host(), sites(t, nil, "gmu"), map[string]any{"ignore_providers": []any{"etoken"}})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "csp.other-csp", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "Infotecs") || strings.Contains(f.Message.In(i18n.EN), "eToken") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
	f = doctortest.WantFinding(t, res, "csp.provider-not-registered", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "Strong") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
}

func linuxCSP(t *testing.T, out, pkg string) *fakefs.Builder {
	b := fakefs.Linux().File("/opt/cprocsp/bin/amd64/csptest", "#!").
		Cmd(out, 0, "/opt/cprocsp/bin/amd64/csptest", "-keyset", "-verifycontext")
	if pkg == "" {
		return b.Cmd("", 1, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base")
	}
	return b.Cmd("install ok installed "+pkg+"\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base")
}

func TestLinuxOK(t *testing.T) {
	res := doctortest.Run(t, csp.Check, linuxCSP(t, output(t, "csptest-keyset-verifycontext-5.0.12455.txt"), "5.0.12455-6").Host(), sites(t, nil, "all"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	all := doctortest.AllText(res, i18n.RU)
	if !strings.Contains(all, "5.0.12455 KC1") || !strings.Contains(all, "5.0.12455-6") {
		t.Errorf("output:\n%s", all)
	}
}

func TestLinuxOldForGOSTTLS(t *testing.T) {
	h := linuxCSP(t, output(t, "csptest-keyset-verifycontext-4.0.9944.txt"), "4.0.9944-5").Host()
	res := doctortest.Run(t, csp.Check, h, sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	doctortest.WantFinding(t, res, "csp.old-for-gost-tls", doctor.Warn)
	// ГМУ needs no GOST TLS: the same machine is fine for it.
	doctortest.WantStatus(t, doctortest.Run(t, csp.Check, h, sites(t, nil, "gmu"), nil), doctor.StatusOK)
}

func TestLinuxSiteMinimumAndBadBuild(t *testing.T) {
	h := linuxCSP(t, output(t, "csptest-keyset-verifycontext-4.0.9944.txt"), "").Host()
	opts := sites(t, map[string]any{"gmu": map[string]any{"min_csp_build": "5.0.12000"}}, "gmu")
	res := doctortest.Run(t, csp.Check, h, opts, map[string]any{"known_bad_builds": []any{map[string]any{"build": "4.0.9944", "note": "test"}}})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "csp.too-old-for-site", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.RU), "ГМУ") || !strings.Contains(f.Message.In(i18n.EN), "GMU") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
	doctortest.WantFinding(t, res, "csp.known-problem-build", doctor.Warn)
}

func TestLinuxNotInstalled(t *testing.T) {
	b := fakefs.Linux().Missing("/opt/cprocsp").Facts(func(f *host.Facts) { f.Distro = "redos" }).
		Cmd("", 1, "rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", "lsb-cprocsp-base")
	res := doctortest.Run(t, csp.Check, b.Host(), sites(t, nil, "eis"), nil)
	f := doctortest.WantFinding(t, res, "csp.not-installed", doctor.Fail)
	if got := strings.Join(f.Commands, "\n"); !strings.Contains(got, "sudo ./install.sh") || !strings.Contains(got, "linux-amd64.tgz") {
		t.Errorf("commands %q", got)
	}
}

func TestLinuxUnparsableVersion(t *testing.T) {
	res := doctortest.Run(t, csp.Check, linuxCSP(t, "Segmentation fault\n", "5.0.12455-6").Host(), sites(t, nil, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "csp.version-unknown", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "Segmentation fault") || !strings.Contains(f.Commands[0], "csptest -keyset -verifycontext") {
		t.Errorf("finding %+v", f)
	}
}

func TestNotRecordedIsError(t *testing.T) {
	res := doctortest.Run(t, csp.Check, fakefs.Windows().Host(), sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusError)
	if !strings.Contains(res.Reason.In(i18n.EN), "not recorded") {
		t.Errorf("reason %q", res.Reason.In(i18n.EN))
	}
}

func TestNotApplicableOnDarwin(t *testing.T) {
	h := fakefs.Linux().Facts(func(f *host.Facts) { f.OS = "darwin" }).Host()
	doctortest.WantStatus(t, doctortest.Run(t, csp.Check, h, sites(t, nil, "gmu"), nil), doctor.StatusSkipped)
}

func TestWindowsWithoutCsptest(t *testing.T) {
	b := fakefs.Windows().
		Reg(csp.InstallPropertiesKey(csp.ProductCodes[1].Code), host.RegViewDefault, fakefs.SZ("DisplayVersion", "4.0.9969")).
		NoReg(host.RegViewDefault, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\`+csp.ProductCodes[0].Code).
		Missing(`C:\Program Files\Crypto Pro`).
		Reg(csp.ProviderKey+`\`+csp.Providers[80], host.RegViewDefault).
		Reg(csp.ProviderKey+`\`+csp.Providers[81], host.RegViewDefault)
	res := doctortest.Run(t, csp.Check, b.Host(), sites(t, nil, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.RU); s != "4.0.9969" {
		t.Errorf("summary %q", s)
	}
}

func TestWindowsVendorKeyOnly(t *testing.T) {
	b := fakefs.Windows()
	for _, pc := range csp.ProductCodes {
		b.NoReg(host.RegViewDefault, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\`+pc.Code)
	}
	b.Reg(`HKLM\SOFTWARE\Crypto Pro\Cryptography\CurrentVersion\Parameters`, host.RegView64).
		Missing(`C:\Program Files\Crypto Pro\CSP\csptest.exe`).
		Reg(csp.ProviderKey+`\`+csp.Providers[80], host.RegViewDefault).
		Reg(csp.ProviderKey+`\`+csp.Providers[81], host.RegViewDefault)
	res := doctortest.Run(t, csp.Check, b.Host(), sites(t, nil, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "csp.version-unknown", doctor.Warn)
	if f.Commands[0] != `"C:\Program Files\Crypto Pro\CSP\csptest.exe" -keyset -verifycontext` {
		t.Errorf("command %q", f.Commands)
	}
}
