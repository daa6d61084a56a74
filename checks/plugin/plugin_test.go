package plugin_test

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/plugin"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const (
	home     = "/home/ivanov"
	nmcades  = "/opt/cprocsp/bin/amd64/nmcades"
	manifest = `{"name":"ru.cryptopro.nmcades","path":"/opt/cprocsp/bin/amd64/nmcades","type":"stdio"}`
)

// linuxBase: Chromium-Gost installed, the plug-in package present (and its
// library when lib), no other browser; call NoBrowsers after adding more.
func linuxBase(lib bool) *fakefs.Builder { return linuxWith(lib, "2.0.15400-1") }

// linuxWith is linuxBase with the plug-in package at version.
func linuxWith(lib bool, version string) *fakefs.Builder {
	b := fakefs.Linux().
		File("/opt/chromium-gost/chromium-gost", "ELF").
		File(nmcades, "ELF").
		Cmd("install ok installed "+version+"\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "cprocsp-pki-plugin").
		Missing("/etc/chromium-gost", "/etc/chromium", home+"/.config/chromium-gost/NativeMessagingHosts")
	if lib {
		b.File("/opt/cprocsp/lib/amd64/libnpcades.so", "ELF")
	}
	return b
}

func TestLinuxOK(t *testing.T) {
	b := linuxBase(true).
		Dir(home+"/.config/chromium-gost/Default/Extensions/"+plugin.ExtMV3+"/1.2.13_0").
		File("/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", manifest).
		File("/etc/opt/cprocsp/config64.ini", "[Parameters]\nx = 1\n[\\local\\Software\\Crypto Pro\\CAdESplugin]\nTrustedSites = \"https://*.gov.ru\", \"https://*.roskazna.ru\"\n[Other]\n")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "gmu", "eis", "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); !strings.Contains(s, "2.0.15400-1") {
		t.Errorf("summary %q", s)
	}
}

// TestLinuxVersion: the known problem build and a configured minimum are
// warnings with the upgrade commands; a current build passes both.
func TestLinuxVersion(t *testing.T) {
	healthy := func(version string) *fakefs.Builder {
		return linuxWith(true, version).
			Dir(home+"/.config/chromium-gost/Default/Extensions/"+plugin.ExtMV3+"/1.2.13_0").
			File("/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", manifest).
			File("/etc/opt/cprocsp/config64.ini", "[\\local\\Software\\Crypto Pro\\CAdESplugin]\nTrustedSites = \"https://*.gov.ru\", \"https://*.roskazna.ru\"\n").
			NoBrowsers()
	}
	sites := fakefs.Sites(t, "gmu", "eis", "fzs")
	res := doctortest.Run(t, plugin.Check, healthy("2.0.13642-1").Host(), sites, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "plugin.known-problem-version", doctor.Warn)
	if m := f.Message.In(i18n.EN); !strings.Contains(m, "2.0.13642 ") || !strings.Contains(m, "0x80070057") {
		t.Errorf("message %q", m)
	}
	if !strings.Contains(strings.Join(f.Commands, "\n"), "cprocsp-pki-plugin") {
		t.Errorf("commands %q", f.Commands)
	}

	cfg := map[string]any{"min_version": "2.0.15500", "known_bad_versions": []any{}}
	res = doctortest.Run(t, plugin.Check, healthy("2.0.15400-1").Host(), sites, cfg)
	doctortest.WantFinding(t, res, "plugin.too-old", doctor.Warn)
	if doctortest.Finding(res, "plugin.known-problem-version") != nil {
		t.Error("known problem reported with an empty list")
	}
	res = doctortest.Run(t, plugin.Check, healthy("2.0.15600-1").Host(), sites, cfg)
	doctortest.WantStatus(t, res, doctor.StatusOK)

	res = doctortest.Run(t, plugin.Check, healthy("2.0.15600-1").Host(), sites, map[string]any{"min_version": "latest"})
	doctortest.WantStatus(t, res, doctor.StatusError)
}

// The testdata/linux/alt-chromium-gost situation: Chromium-Gost without the
// CryptoPro extension, the plug-in's manifest only for Chrome and Firefox.
func TestLinuxExtensionMissing(t *testing.T) {
	b := linuxBase(true).
		Dir(home+"/.config/chromium-gost/Default/Extensions/nmmhkkegccagdldgiimedpiccmgmieda").
		Missing("/etc/opt/chrome", "/etc/opt/cprocsp/config64.ini")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "plugin.extension-missing", doctor.Fail)
	if !strings.Contains(f.Commands[0], "/opt/chromium-gost/chromium-gost https://chromewebstore.google.com/detail/"+plugin.ExtMV3) {
		t.Errorf("command %q", f.Commands)
	}
	f = doctortest.WantFinding(t, res, "plugin.native-host-missing", doctor.Fail)
	if !strings.Contains(strings.Join(f.Commands, " "), "cprocsp-pki-plugin") {
		t.Errorf("commands %q", f.Commands)
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "trusted-sites list was not found") {
		t.Error("no note about the unknown trusted-sites location")
	}
}

func TestLinuxChromiumLinksChromeManifest(t *testing.T) {
	b := linuxBase(true).
		File("/usr/bin/chromium", "ELF").
		Dir(home+"/.config/chromium/Default/Extensions/"+plugin.ExtMV2).
		Missing(home+"/.config/chromium/NativeMessagingHosts").
		Dir(home+"/.config/chromium-gost/Default/Extensions/"+plugin.ExtMV3).
		File("/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", manifest).
		File("/etc/opt/cprocsp/config64.ini", "")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "eis"), nil)
	f := doctortest.WantFinding(t, res, "plugin.native-host-missing", doctor.Fail)
	want := "sudo ln -s /etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json /etc/chromium/native-messaging-hosts/ru.cryptopro.nmcades.json"
	if strings.Join(f.Commands, "\n") != "sudo mkdir -p /etc/chromium/native-messaging-hosts\n"+want {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestLinuxBrokenHostAndLibrary(t *testing.T) {
	b := linuxBase(false).
		Missing("/opt/cprocsp/lib/amd64/libnpcades.so").
		Dir(home+"/.config/chromium-gost/Default/Extensions/"+plugin.ExtMV3).
		File("/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", `{"name":"ru.cryptopro.nmcades","path":"/opt/cprocsp/bin/amd64/nmcades-gone"}`).
		Missing("/opt/cprocsp/bin/amd64/nmcades-gone", "/etc/opt/cprocsp/config64.ini")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "eis"), nil)
	doctortest.WantFinding(t, res, "plugin.library-missing", doctor.Fail)
	f := doctortest.WantFinding(t, res, "plugin.native-host-broken", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), "nmcades-gone") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
}

func TestNotNeededSkips(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, plugin.Check, linuxBase(true).NoBrowsers().Host(), doctor.Options{}, nil), doctor.StatusSkipped)
}

func windowsBase() *fakefs.Builder {
	return fakefs.Windows().
		NoReg(host.RegViewDefault, `HKLM\SOFTWARE\Policies\Crypto-Pro`).
		File(`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, "MZ").
		Dir(`C:\Users\ivanov\AppData\Local\Microsoft\Edge\User Data\Default\Extensions\` + plugin.ExtMV3 + `\1.2.13_0`)
}

func TestWindowsNotInstalledThenTrustedSites(t *testing.T) {
	b := windowsBase().
		Missing(`C:\Program Files (x86)\Crypto Pro`, `C:\Program Files\Crypto Pro`).
		NoReg(host.RegViewDefault, `HKCR\CAdESCOM.CPSigner`, `HKCU\Software\Google`, `HKLM\SOFTWARE\Google`, `HKCU\Software\Microsoft\Edge`, `HKLM\SOFTWARE\Microsoft\Edge`).
		NoReg(host.RegView32, `HKLM\SOFTWARE\Google`, `HKLM\SOFTWARE\Microsoft\Edge`).
		Reg(`HKCU\Software\Crypto Pro\CAdESplugin`, host.RegViewDefault, fakefs.MultiSZ("TrustedSites", "https://zakupki.gov.ru"))
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "gmu", "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "plugin.not-installed", doctor.Fail)
	if !strings.Contains(f.Commands[0], "cadesplugin.exe -silent") {
		t.Errorf("commands %q", f.Commands)
	}
	doctortest.WantFinding(t, res, "plugin.native-host-missing", doctor.Fail)
	if doctortest.Finding(res, "plugin.site-not-trusted") != nil {
		t.Error("trusted sites judged without the plug-in")
	}

	// With the plug-in installed, the missing ГМУ site is reported.
	b = windowsBase().
		File(`C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in\nmcades.exe`, "MZ").
		NoReg(host.RegViewDefault, `HKCU\Software\Google`, `HKLM\SOFTWARE\Google`, `HKCU\Software\Microsoft\Edge`, `HKLM\SOFTWARE\Microsoft\Edge`).
		NoReg(host.RegView32, `HKLM\SOFTWARE\Google`, `HKLM\SOFTWARE\Microsoft\Edge`).
		Reg(`HKCU\Software\Crypto Pro\CAdESplugin`, host.RegViewDefault, fakefs.MultiSZ("TrustedSites", "https://zakupki.gov.ru"))
	res = doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "gmu", "eis"), nil)
	f = doctortest.WantFinding(t, res, "plugin.site-not-trusted", doctor.Warn)
	want := `reg add "HKCU\Software\Crypto Pro\CAdESplugin" /v TrustedSites /t REG_MULTI_SZ /d "https://zakupki.gov.ru\0https://bus.gov.ru\0https://*.bus.gov.ru" /f`
	if f.Commands[0] != want {
		t.Errorf("command\n%s\nwant\n%s", f.Commands[0], want)
	}
	if doctortest.Finding(res, "plugin.extension-missing") != nil {
		t.Error("Edge has the MV3 extension")
	}
}

func TestWindowsOKViaCOMAndRegistryHost(t *testing.T) {
	res := doctortest.Run(t, plugin.Check, windowsCOM("2.0.15400").NoBrowsers().Host(), fakefs.Sites(t, "gmu", "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "version 2.0.15400" {
		t.Errorf("summary %q", s)
	}

	// the known problem build is reported on Windows as well
	res = doctortest.Run(t, plugin.Check, windowsCOM("2.0.13642").NoBrowsers().Host(), fakefs.Sites(t, "gmu", "eis"), nil)
	f := doctortest.WantFinding(t, res, "plugin.known-problem-version", doctor.Warn)
	if !strings.Contains(f.Commands[0], "cadesplugin.exe") {
		t.Errorf("commands %q", f.Commands)
	}
}

// windowsCOM: the plug-in registered through COM, its host for Chrome,
// trusted sites, and its entry among the installed programs at version.
func windowsCOM(version string) *fakefs.Builder {
	clsid := "{B04C8637-10BD-484E-B0DA-B8A039F60024}"
	dir := `C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in`
	b := windowsBase().
		Missing(dir+`\nmcades.exe`, `C:\Program Files\Crypto Pro`).
		Reg(`HKCR\CAdESCOM.CPSigner\CLSID`, host.RegViewDefault, fakefs.SZ("", clsid)).
		NoReg(host.RegView64, `HKCR\CLSID\`+clsid).
		Reg(`HKCR\CLSID\`+clsid+`\InprocServer32`, host.RegView32, host.RegValue{Name: "", Type: host.RegExpandSZ, String: `%ProgramFiles(x86)%\Crypto Pro\CAdES Browser Plug-in\npcades.dll`}).
		File(dir+`\npcades.dll`, "MZ").
		Reg(`HKCU\Software\Google\Chrome\NativeMessagingHosts\ru.cryptopro.nmcades`, host.RegViewDefault, fakefs.SZ("", dir+`\nmcades.json`)).
		File(dir+`\nmcades.json`, `{"name":"ru.cryptopro.nmcades","path":"nmcades.exe"}`).
		File(dir+`\nmcades.exe`, "MZ").
		Reg(`HKCU\Software\Crypto Pro\CAdESplugin`, host.RegViewDefault, fakefs.MultiSZ("TrustedSites", "https://*.gov.ru")).
		// installed programs: another product in the 64-bit view, the
		// plug-in in the 32-bit one
		Reg(plugin.UninstallKey+`\{11111111-2222-3333-4444-555555555555}`, host.RegView64, fakefs.SZ("DisplayName", "КриптоПро CSP"), fakefs.SZ("DisplayVersion", "5.0.13000")).
		Reg(plugin.UninstallKey+`\7-Zip`, host.RegView32, fakefs.SZ("DisplayName", "7-Zip 19.00")).
		Reg(plugin.UninstallKey+`\{0E3B2A0C-1C31-4F4C-A1B4-7A7E93E0E3A0}`, host.RegView32, fakefs.SZ("DisplayName", "КриптоПро ЭЦП Browser plug-in"), fakefs.SZ("DisplayVersion", version))
	return b
}

func TestIsPluginEntry(t *testing.T) {
	for name, want := range map[string]bool{
		"КриптоПро ЭЦП Browser plug-in":   true,
		"CryptoPro CAdES Browser Plug-in": true,
		"Crypto-Pro Browser plug-in":      true,
		"КриптоПро CSP":                   false,
		"Adobe Flash Browser plug-in":     false,
		"":                                false,
	} {
		if got := plugin.IsPluginEntry(name); got != want {
			t.Errorf("IsPluginEntry(%q) = %v", name, got)
		}
	}
}

func TestParseTrustedSites(t *testing.T) {
	got, ok := plugin.ParseTrustedSites([]byte("[\\local\\Software\\Crypto Pro\\CAdESplugin]\n\"TrustedSites\" = \"https://a.ru\"\n  \"https://*.b.ru\"\n[x]\nTrustedSites = https://c.ru\n"))
	if !ok || strings.Join(got, " ") != "https://a.ru https://*.b.ru" {
		t.Fatalf("got %q %v", got, ok)
	}
	if _, ok := plugin.ParseTrustedSites([]byte("[x]\nTrustedSites = a.ru")); ok {
		t.Error("value outside the section found")
	}
}

func FuzzParseTrustedSites(f *testing.F) {
	f.Add([]byte("[\\local\\Software\\Crypto Pro\\CAdESplugin]\nTrustedSites = \"https://*.gov.ru\", \"https://*.roskazna.ru\"\n"))
	f.Add([]byte("[Parameters]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sites, _ := plugin.ParseTrustedSites(data)
		if len(sites) > 1000 {
			t.Fatal("unbounded")
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"name":"ru.cryptopro.nmcades","path":"/opt/cprocsp/bin/amd64/nmcades","type":"stdio"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := plugin.ParseManifest(data)
		if err == nil && m.Path == "" {
			t.Fatal("manifest without path accepted")
		}
	})
}

func TestWindowsTrustedSitesFromPolicy(t *testing.T) {
	b := fakefs.Windows().
		File(`C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in\nmcades.exe`, "MZ").
		NoReg(host.RegViewDefault, `HKCU\Software\Crypto Pro`).
		Reg(plugin.TrustedSitesPolicyKey, host.RegViewDefault, fakefs.MultiSZ("TrustedSites", "https://*.bus.gov.ru", "https://bus.gov.ru"))
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "in the plug-in's trusted sites: bus.gov.ru") {
		t.Errorf("output:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

// The Linux fix command must survive any shell: a bare https://*.bus.gov.ru
// is a glob (zsh stops with «no matches found»), so every site is quoted.
func TestLinuxTrustedSitesCommandQuotesWildcards(t *testing.T) {
	b := linuxBase(true).
		Dir(home+"/.config/chromium-gost/Default/Extensions/"+plugin.ExtMV3+"/1.2.13_0").
		File("/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", manifest).
		File("/etc/opt/cprocsp/config64.ini", "[\\local\\Software\\Crypto Pro\\CAdESplugin]\nTrustedSites = \"https://*.roskazna.ru\"\n")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.site-not-trusted", doctor.Warn)
	cmd := f.Commands[0]
	if !strings.HasSuffix(cmd, ` TrustedSites 'https://*.roskazna.ru' 'https://bus.gov.ru' 'https://*.bus.gov.ru'`) {
		t.Errorf("command %q", cmd)
	}
}

// The profile count in the message is labelled in both languages.
func TestExtensionMissingNamesProfileCount(t *testing.T) {
	b := linuxBase(true).
		Dir(home+"/.config/chromium-gost/Default/Extensions/nmmhkkegccagdldgiimedpiccmgmieda").
		Missing("/etc/opt/chrome", "/etc/opt/cprocsp/config64.ini")
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "eis"), nil)
	f := doctortest.WantFinding(t, res, "plugin.extension-missing", doctor.Fail)
	if en := f.Message.In(i18n.EN); !strings.Contains(en, "profiles: 1;") {
		t.Errorf("EN message %q", en)
	}
	if ru := f.Message.In(i18n.RU); !strings.Contains(ru, "профилей: 1;") {
		t.Errorf("RU message %q", ru)
	}
}

// The Gosuslugi host found in Chromium-Gost's directory is reported for
// Chromium-Gost, not for a browser named "-".
