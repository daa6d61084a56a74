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

// Paths of Госплагин on Linux as its packaging installs them (ALT and Nix
// packaging of 2025–2026, see gosuslugi.go).
const (
	gosExe       = "/opt/iitrust/gosuslugi_plugin/bin/gosuslugi_plugin"
	gosManifest  = `{"name":"chrome.gosuslugi.plugin","description":"chrome.gosuslugi.plugin","path":"/opt/iitrust/gosuslugi_plugin/bin/gosuslugi_plugin","type":"stdio","allowed_origins":["chrome-extension://jabjbhgjaidecageckilhonbggakppme/"]}`
	chromeNM     = "/etc/opt/chrome/native-messaging-hosts/"
	gostUserNM   = home + "/.config/chromium-gost/NativeMessagingHosts/"
	gostProfile  = home + "/.config/chromium-gost/Default"
	ifcManifest  = `{"name":"ru.rtlabs.ifcplugin","path":"/opt/ifc/ifc_chrome_host","type":"stdio"}`
	dpkgGosQuery = "${Status} ${Version}"
)

// gosLinux: Chromium-Gost (no CryptoPro plug-in needed: only Госуслуги is
// selected) with nothing of the Госуслуги plug-in; add to it, then call
// done.
func gosLinux() *fakefs.Builder {
	return fakefs.Linux().
		File("/opt/chromium-gost/chromium-gost", "ELF").
		Missing("/etc/chromium-gost", "/etc/chromium", "/etc/opt/cprocsp")
}

// done records every location not described as missing and returns the
// host.
func done(b *fakefs.Builder, version string) host.Host {
	for _, name := range []string{plugin.HostGosplugin, plugin.HostGospluginOld, plugin.HostIFC} {
		b.Missing(chromeNM+name+".json", gostUserNM+name+".json")
	}
	if version == "" {
		b.Cmd("", 1, "dpkg-query", "-W", "-f", dpkgGosQuery, plugin.GospluginPackage)
	} else {
		b.Cmd("install ok installed "+version+"\n", 0, "dpkg-query", "-W", "-f", dpkgGosQuery, plugin.GospluginPackage)
	}
	return b.NoBrowsers().Host()
}

func TestGospluginMissing(t *testing.T) {
	res := doctortest.Run(t, plugin.Check, done(gosLinux().Missing(home+"/.config/chromium-gost"), ""), fakefs.Sites(t, "epgu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "plugin.gosplugin-missing", doctor.Fail)
	if !strings.Contains(f.Message.In(i18n.EN), chromeNM+"chrome.gosuslugi.plugin.json") || !strings.Contains(strings.Join(f.Commands, "\n"), "Gosplugin_Linux-Debian_Installer.deb.sh") {
		t.Errorf("finding %s / %q", f.Message.In(i18n.EN), f.Commands)
	}
	if len(res.Findings) != 1 {
		t.Errorf("only Госплагин is needed, got %v", doctortest.Codes(res))
	}
}

func TestIFCOutdated(t *testing.T) {
	b := gosLinux().Missing(home+"/.config/chromium-gost").
		File(chromeNM+"ru.rtlabs.ifcplugin.json", ifcManifest).File("/opt/ifc/ifc_chrome_host", "ELF")
	res := doctortest.Run(t, plugin.Check, done(b, ""), fakefs.Sites(t, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.ifc-outdated", doctor.Fail)
	msg := f.Message.In(i18n.RU)
	if !strings.Contains(msg, "устаревший") || !strings.Contains(msg, chromeNM+"ru.rtlabs.ifcplugin.json") || !strings.Contains(msg, "chrome.gosuslugi.plugin") {
		t.Errorf("message %s", msg)
	}
	if len(res.Findings) != 1 {
		t.Errorf("got %v", doctortest.Codes(res))
	}
}

func TestGospluginOKAndVersion(t *testing.T) {
	build := func() host.Host {
		b := gosLinux().
			File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
			Dir(gostProfile + "/Extensions/" + plugin.ExtGosplugin + "/1.3.42.0_0")
		return done(b, "1.3.42.0-1")
	}
	res := doctortest.Run(t, plugin.Check, build(), fakefs.Sites(t, "epgu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	text := doctortest.AllText(res, i18n.EN)
	for _, want := range []string{"Госплагин version 1.3.42.0-1 (gosuslugi-plugin)", "Госплагин extension: Chromium-Gost, profile Default", chromeNM + "chrome.gosuslugi.plugin.json"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	// A configured minimum above the installed build.
	res = doctortest.Run(t, plugin.Check, build(), fakefs.Sites(t, "epgu"), map[string]any{"gosplugin_min_version": "1.3.50.0"})
	f := doctortest.WantFinding(t, res, "plugin.gosplugin-too-old", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.RU), "Обновите версию приложения") || !strings.Contains(f.Message.In(i18n.RU), "1.3.42.0") {
		t.Errorf("message %s", f.Message.In(i18n.RU))
	}
	res = doctortest.Run(t, plugin.Check, build(), fakefs.Sites(t, "epgu"), map[string]any{"gosplugin_min_version": "1.3.x"})
	doctortest.WantStatus(t, res, doctor.StatusError)
}

// A stale per-user manifest (left by an old install, its program gone)
// shadows the working system one: Chromium reads the per-user one first.
func TestGospluginUserManifestShadows(t *testing.T) {
	stale := `{"name":"chrome.gosuslugi.plugin","path":"/home/ivanov/.local/gosplugin-old/gosuslugi_plugin","type":"stdio"}`
	b := gosLinux().
		File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
		File(gostUserNM+"chrome.gosuslugi.plugin.json", stale).Missing(home + "/.local/gosplugin-old").
		Dir(gostProfile + "/Extensions/" + plugin.ExtGosplugin + "/1.3.42.0_0")
	res := doctortest.Run(t, plugin.Check, done(b, "1.3.42.0-1"), fakefs.Sites(t, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.gosplugin-user-manifest-shadows", doctor.Warn)
	if len(f.Commands) != 1 || f.Commands[0] != "rm '"+gostUserNM+"chrome.gosuslugi.plugin.json'" {
		t.Errorf("commands %q", f.Commands)
	}
	if msg := f.Message.In(i18n.EN); !strings.Contains(msg, chromeNM+"chrome.gosuslugi.plugin.json") || !strings.Contains(msg, "Chromium-Gost") {
		t.Errorf("message %s", msg)
	}
	// The same program in both: not a problem.
	b = gosLinux().
		File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
		File(gostUserNM+"chrome.gosuslugi.plugin.json", gosManifest).
		Dir(gostProfile + "/Extensions/" + plugin.ExtGosplugin + "/1.3.42.0_0")
	res = doctortest.Run(t, plugin.Check, done(b, "1.3.42.0-1"), fakefs.Sites(t, "epgu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestGosuslugiExtensionsConflict(t *testing.T) {
	b := gosLinux().
		File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
		Dir(gostProfile + "/Extensions/" + plugin.ExtGosplugin + "/1.3.42.0_0").
		Dir(gostProfile + "/Extensions/" + plugin.ExtIFC + "/1.2.8_1")
	res := doctortest.Run(t, plugin.Check, done(b, "1.3.42.0-1"), fakefs.Sites(t, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.gosuslugi-extensions-conflict", doctor.Warn)
	if len(f.Commands) != 1 || f.Commands[0] != "/opt/chromium-gost/chromium-gost chrome://extensions/?id="+plugin.ExtIFC {
		t.Errorf("commands %q", f.Commands)
	}
	if msg := f.Message.In(i18n.RU); !strings.Contains(msg, "Подпишите в плагине") || !strings.Contains(msg, "Расширение для плагина Госуслуг") {
		t.Errorf("message %s", msg)
	}
}

// Yandex Browser installs Госплагин from the Opera add-ons store: that ID
// counts, and conflicts with the old extension just the same.
func TestGospluginOperaStoreExtension(t *testing.T) {
	b := gosLinux().
		File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
		Dir(gostProfile + "/Extensions/" + plugin.ExtGospluginOpera + "/1.3.42.0_0").
		Dir(gostProfile + "/Extensions/" + plugin.ExtIFC + "/1.2.8_1")
	res := doctortest.Run(t, plugin.Check, done(b, "1.3.42.0-1"), fakefs.Sites(t, "epgu"), nil)
	doctortest.WantFinding(t, res, "plugin.gosuslugi-extensions-conflict", doctor.Warn)
	for _, f := range res.Findings {
		if f.Code == "plugin.gosplugin-extension-missing" {
			t.Errorf("the Opera-store extension not counted: %+v", f)
		}
	}
}

func TestGospluginExtensionMissingAndOldHost(t *testing.T) {
	b := gosLinux().
		File(chromeNM+"chrome.gosuslugi.plugin.json", gosManifest).File(gosExe, "ELF").
		Dir(gostProfile + "/Extensions/" + plugin.ExtIFC + "/1.2.8_1")
	res := doctortest.Run(t, plugin.Check, done(b, "1.3.42.0-1"), fakefs.Sites(t, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.gosplugin-extension-missing", doctor.Warn)
	if f.URL != plugin.GospluginStore || !strings.Contains(f.Commands[0], plugin.ExtGosplugin) {
		t.Errorf("finding %+v", f)
	}
	old := `{"name":"gosuslugi.plugin","path":"/opt/iitrust/gosuslugi_plugin/bin/gosuslugi_plugin","type":"stdio"}`
	b = gosLinux().
		File(chromeNM+"gosuslugi.plugin.json", old).File(gosExe, "ELF").
		Dir(gostProfile + "/Extensions/" + plugin.ExtGosplugin + "/1.2.0_0")
	res = doctortest.Run(t, plugin.Check, done(b, "1.2.0.0-1"), fakefs.Sites(t, "epgu"), nil)
	doctortest.WantFinding(t, res, "plugin.gosplugin-old-host", doctor.Warn)
}

// Windows: a stale per-user (HKCU) registration pointing at a manifest that
// is gone shadows the machine one; the version comes from the installed
// programs.
func TestWindowsGospluginShadowAndVersion(t *testing.T) {
	dir := `C:\Program Files\Gosplugin`
	b := fakefs.Windows().
		File(`C:\Program Files\Google\Chrome\Application\chrome.exe`, "MZ").
		Dir(`C:\Users\ivanov\AppData\Local\Google\Chrome\User Data\Default\Extensions\`+plugin.ExtGosplugin+`\1.3.42.0_0`).
		Reg(`HKCU\Software\Google\Chrome\NativeMessagingHosts\chrome.gosuslugi.plugin`, host.RegViewDefault, fakefs.SZ("", `C:\Users\ivanov\AppData\Local\Gosplugin-old\chrome.gosuslugi.plugin.json`)).
		Missing(`C:\Users\ivanov\AppData\Local\Gosplugin-old`).
		Reg(`HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\chrome.gosuslugi.plugin`, host.RegViewDefault, fakefs.SZ("", dir+`\chrome.gosuslugi.plugin.json`)).
		File(dir+`\chrome.gosuslugi.plugin.json`, `{"name":"chrome.gosuslugi.plugin","path":"gosuslugi_plugin.exe","type":"stdio"}`).
		File(dir+`\gosuslugi_plugin.exe`, "MZ").
		NoReg(host.RegViewDefault, `HKCU\Software\Google\Chrome\NativeMessagingHosts\gosuslugi.plugin`, `HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\gosuslugi.plugin`,
			`HKCU\Software\Google\Chrome\NativeMessagingHosts\ru.rtlabs.ifcplugin`, `HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\ru.rtlabs.ifcplugin`).
		NoReg(host.RegView32, `HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\gosuslugi.plugin`, `HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\ru.rtlabs.ifcplugin`).
		Reg(plugin.UninstallKey+`\Gosplugin`, host.RegView64, fakefs.SZ("DisplayName", "Госплагин"), fakefs.SZ("DisplayVersion", "1.3.42.0")).
		NoReg(host.RegView32, plugin.UninstallKey)
	res := doctortest.Run(t, plugin.Check, b.NoBrowsers().Host(), fakefs.Sites(t, "epgu"), nil)
	f := doctortest.WantFinding(t, res, "plugin.gosplugin-user-manifest-shadows", doctor.Warn)
	if len(f.Commands) != 1 || f.Commands[0] != `reg delete "HKCU\Software\Google\Chrome\NativeMessagingHosts\chrome.gosuslugi.plugin" /f` {
		t.Errorf("commands %q", f.Commands)
	}
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "Госплагин version 1.3.42.0") {
		t.Errorf("no version:\n%s", doctortest.Describe(res, i18n.EN))
	}
}

func TestIsGospluginEntry(t *testing.T) {
	for name, want := range map[string]bool{"Госплагин": true, "Gosplugin 1.3": true, "Плагин Госуслуг": true, "КриптоПро ЭЦП Browser plug-in": false, "IFCPlugin": false} {
		if plugin.IsGospluginEntry(name) != want {
			t.Errorf("%q: %v", name, !want)
		}
	}
}
