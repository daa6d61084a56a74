// Package plugin is the plugin check: the CryptoPro CAdES browser plug-in
// is installed, every browser has the CryptoPro extension and can reach the
// plug-in's native-messaging host, the selected sites are in the plug-in's
// trusted sites, and — for Госуслуги — the Госуслуги plug-in is registered.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the plugin check.
var Check = &doctor.Check{
	ID:        "plugin",
	Title:     i18n.T("check.plugin.title"),
	Doc:       i18n.T("check.plugin.doc"),
	OS:        []string{"windows", "linux"},
	NewConfig: func() any { return DefaultConfig() },
	Run:       run,
}

// BadVersion is a plug-in build with a known problem.
type BadVersion struct {
	Version string `json:"version"`
	Note    string `json:"note"` // shown as is
}

// Config of the plugin check (checks.plugin). The plug-in's version comes
// from the cprocsp-pki-plugin package on Linux and from its entry among the
// installed programs on Windows; where it is unknown these settings do
// nothing.
type Config struct {
	// MinVersion is the oldest acceptable plug-in version ("" = none).
	MinVersion string `json:"min_version"`
	// KnownBadVersions are builds with known problems.
	KnownBadVersions []BadVersion `json:"known_bad_versions"`
	// GospluginMinVersion is the oldest acceptable Госплагин ("" = none).
	// The extension refuses older programs («Работа Госплагина невозможна.
	// Обновите версию приложения») by a minimum it carries in its own
	// data, which is not published; set it from the extension's message.
	GospluginMinVersion string `json:"gosplugin_min_version"`
}

// DefaultConfig returns the defaults: no minimum (no site publishes one)
// and the certified build 2.0.13642, with which PKCS#7 signing fails with
// 0x80070057 «Параметр задан неверно» (reported in the issue trackers of
// two JS libraries for the plug-in; fixed in later builds).
func DefaultConfig() *Config {
	return &Config{KnownBadVersions: []BadVersion{{Version: "2.0.13642", Note: "PKCS#7: 0x80070057"}}}
}

// CryptoPro extension IDs (cadesplugin_api.js).
const (
	ExtMV2     = "iifchhfnnmpdbibifmljnfjhpififfog"
	ExtMV3     = "pfhgbfnnjiafkhfdkmpiflachepdcjod"
	ExtOpera   = "epebfcehmdedogndhlcacafjaacknbcm"
	ExtFirefox = "ru.cryptopro.nmcades@cryptopro.ru"
)

// Native-messaging host names.
const (
	HostCades = "ru.cryptopro.nmcades"
	HostIFC   = "ru.rtlabs.ifcplugin"
)

// Windows registry keys of the plug-in's trusted sites.
const (
	TrustedSitesKey       = `HKCU\Software\Crypto Pro\CAdESplugin`
	TrustedSitesPolicyKey = `HKLM\SOFTWARE\Policies\Crypto-Pro\CadesPlugin`
)

// Download locations.
const (
	PluginURL     = "https://www.cryptopro.ru/products/cades/plugin"
	ChromeStore   = "https://chromewebstore.google.com/detail/" + ExtMV3
	FirefoxXPIURL = "https://www.cryptopro.ru/sites/default/files/products/cades/extensions/firefox_cryptopro_extension_latest.xpi"
)

var versionRE = lazyre.New(`^[0-9]+(\.[0-9]+)*$`)

// ExtensionIDs returns the IDs that count as the CryptoPro extension in a
// browser (Yandex Browser also takes the Opera one).
func ExtensionIDs(b *browsers.Browser) []string {
	switch {
	case b.Family == browsers.FamilyFirefox:
		return []string{ExtFirefox}
	case b.ID == browsers.Yandex:
		return []string{ExtOpera, ExtMV2, ExtMV3}
	}
	return []string{ExtMV2, ExtMV3}
}

func run(ctx context.Context, pass *doctor.Pass) error {
	if cfg, ok := pass.Config.(*Config); ok && cfg.MinVersion != "" && !versionRE.MatchString(cfg.MinVersion) {
		return fmt.Errorf("min_version is %q, want a version such as 2.0.15400", cfg.MinVersion)
	}
	if cfg, ok := pass.Config.(*Config); ok && cfg.GospluginMinVersion != "" && !versionRE.MatchString(cfg.GospluginMinVersion) {
		return fmt.Errorf("gosplugin_min_version is %q, want a version such as 1.3.42.0", cfg.GospluginMinVersion)
	}
	sites := pass.Options.Profiles
	needCades := profile.AnyNeeds(sites, profile.NeedPlugin)
	needIFC := profile.AnyNeeds(sites, profile.NeedIFCPlugin)
	if !needCades && !needIFC {
		return doctor.Skip(i18n.T("plugin.skip.not-needed"))
	}
	h := pass.Host
	bs, err := browsers.DiscoverWith(ctx, h, browsers.Limits{SkipCaches: true})
	if err != nil {
		return err
	}
	c := &checker{pass: pass, h: h, f: h.Facts(), browsers: bs, sites: sites}
	if needCades {
		if err := c.cades(ctx); err != nil {
			return err
		}
	}
	if needIFC {
		if err := c.gosuslugi(ctx); err != nil {
			return err
		}
	}
	return nil
}

type checker struct {
	pass     *doctor.Pass
	h        host.Host
	f        host.Facts
	browsers []browsers.Browser
	sites    []*profile.Site
}

func (c *checker) win() bool { return c.f.OS == "windows" }

func (c *checker) cades(ctx context.Context) error {
	sev := platform.Severity(c.sites, profile.NeedPlugin)
	platform.NoteIfInferred(c.pass, profile.NeedPlugin)
	installed, where, version, err := c.pluginInstalled(ctx)
	if err != nil {
		return err
	}
	if !installed {
		c.pass.Summary(i18n.T("plugin.summary.missing"))
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.not-installed",
			Message:  i18n.T("plugin.not-installed", where),
			Hint:     c.installHint(),
			Commands: c.installCommands(),
			URL:      PluginURL,
			Subject:  where,
		})
	} else {
		if version == "" {
			c.pass.Summary(i18n.T("plugin.summary.installed"))
			c.pass.Note(i18n.T("plugin.note.found-path", where))
		} else {
			c.pass.Summary(i18n.T("plugin.summary", version))
			c.pass.Note(i18n.T("plugin.note.found", version, where))
			c.checkVersion(version, where)
		}
	}
	if err := c.extensions(ctx, sev); err != nil {
		return err
	}
	if !installed {
		return nil // the trusted sites are the plug-in's own setting
	}
	return c.trustedSites(ctx)
}

// checkVersion compares the installed version ("2.0.15400-1", the
// package release after the dash ignored) with the configured minimum and
// the known problem builds.
func (c *checker) checkVersion(version, where string) {
	cfg, _ := c.pass.Config.(*Config)
	if cfg == nil {
		return
	}
	build := version
	if i := strings.IndexByte(build, '-'); i >= 0 {
		build = build[:i]
	}
	report := func(code string, msg i18n.Text) {
		c.pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: code,
			Message:  msg,
			Hint:     i18n.T("plugin.upgrade.hint"),
			Commands: c.installCommands(),
			URL:      PluginURL,
			Subject:  where,
		})
	}
	if cfg.MinVersion != "" && cprocsp.CompareBuild(build, cfg.MinVersion) < 0 {
		report("plugin.too-old", i18n.T("plugin.too-old", build, cfg.MinVersion))
	}
	for _, b := range cfg.KnownBadVersions {
		if b.Version != "" && cprocsp.CompareBuild(build, b.Version) == 0 {
			report("plugin.known-problem-version", i18n.T("plugin.known-problem-version", build, b.Note))
		}
	}
}

// pluginInstalled looks for the plug-in: on Windows its files and its COM
// registration, on Linux libnpcades.so and the cprocsp-pki-plugin package.
func (c *checker) pluginInstalled(ctx context.Context) (ok bool, where, version string, err error) {
	if c.win() {
		var first string
		for _, pf := range []string{browsers.WinEnv(c.h, "ProgramFiles(x86)"), browsers.WinEnv(c.h, "ProgramFiles")} {
			p := pf + `\Crypto Pro\CAdES Browser Plug-in\nmcades.exe`
			if first == "" {
				first = p
			}
			fi, err := c.h.Stat(ctx, p)
			if err != nil {
				return false, "", "", fmt.Errorf("look for the plug-in: %w", err)
			}
			if fi.Exists {
				v, err := c.windowsVersion(ctx)
				return true, p, v, err
			}
		}
		dll, err := c.comServer(ctx, "CAdESCOM.CPSigner")
		if err != nil {
			return false, "", "", err
		}
		if dll != "" {
			v, err := c.windowsVersion(ctx)
			return true, dll, v, err
		}
		return false, first, "", nil
	}
	arch := cprocsp.ArchDir(c.f.Arch)
	lib := "/opt/cprocsp/lib/" + arch + "/libnpcades.so"
	fi, err := c.h.Stat(ctx, lib)
	if err != nil {
		return false, "", "", fmt.Errorf("look for the plug-in: %w", err)
	}
	pkg, err := platform.PackageVersion(ctx, c.h, "cprocsp-pki-plugin")
	if errors.Is(err, host.ErrNoExec) {
		// --root on an RPM system: the library file decides alone.
		c.pass.Note(i18n.T("plugin.note.mounted-package", "cprocsp-pki-plugin", err.Error()))
		pkg, err = "", nil
	}
	if err != nil {
		return false, "", "", err
	}
	if !fi.Exists && pkg != "" {
		// The package is there but the library is not: an incomplete
		// install (seen after converting the rpm with alien).
		c.pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "plugin.library-missing",
			Message:  i18n.T("plugin.library-missing", lib, pkg),
			Hint:     c.installHint(),
			Commands: c.installCommands(),
			URL:      PluginURL,
			Subject:  lib,
		})
		return true, "cprocsp-pki-plugin", pkg, nil
	}
	return fi.Exists, lib, pkg, nil
}

// UninstallKey lists the installed programs (in both registry views).
const UninstallKey = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`

// maxUninstallEntries bounds the scan of the installed programs.
const maxUninstallEntries = 2000

// IsPluginEntry reports whether an installed program's DisplayName is the
// CAdES plug-in. Its MSI product code is not known and its name is
// inferred («КриптоПро ЭЦП Browser plug-in», "CryptoPro CAdES Browser
// plug-in"), so the match is loose: a CAdES product, or a CryptoPro
// "Browser plug-in".
func IsPluginEntry(name string) bool {
	n := strings.ToLower(name)
	if strings.Contains(n, "cades") {
		return true
	}
	return strings.Contains(n, "browser plug-in") &&
		(strings.Contains(n, "криптопро") || strings.Contains(n, "cryptopro") || strings.Contains(n, "crypto-pro") || strings.Contains(n, "эцп"))
}

// windowsVersion reads the plug-in's version from its entry among the
// installed programs (DisplayVersion); "" when there is none. A snapshot
// that did not record the list gives a note, not an error: the version is
// a detail of the verdict, not the verdict.
func (c *checker) windowsVersion(ctx context.Context) (string, error) {
	return c.uninstallVersion(ctx, IsPluginEntry)
}

// comServer follows a ProgID to its InprocServer32 in either registry view
// and returns the DLL path when the file exists.
func (c *checker) comServer(ctx context.Context, progID string) (string, error) {
	k, err := c.h.RegistryKey(ctx, `HKCR\`+progID+`\CLSID`, host.RegViewDefault)
	if err != nil {
		return "", fmt.Errorf("read %s registration: %w", progID, err)
	}
	v, ok := k.Value("")
	if !k.Exists || !ok || v.Text() == "" {
		return "", nil
	}
	for _, view := range []host.RegView{host.RegView64, host.RegView32} {
		s, err := c.h.RegistryKey(ctx, `HKCR\CLSID\`+v.Text()+`\InprocServer32`, view)
		if err != nil {
			return "", fmt.Errorf("read %s server: %w", progID, err)
		}
		d, ok := s.Value("")
		if !s.Exists || !ok || d.Text() == "" {
			continue
		}
		p := browsers.ExpandEnv(c.h, strings.Trim(d.Text(), `"`))
		fi, err := c.h.Stat(ctx, p)
		if err != nil {
			return "", fmt.Errorf("look for %s: %w", p, err)
		}
		if fi.Exists {
			return p, nil
		}
	}
	return "", nil
}

func (c *checker) installHint() i18n.Text {
	if c.win() {
		return i18n.T("plugin.install.hint.windows")
	}
	return i18n.T("plugin.install.hint.linux")
}

func (c *checker) installCommands() []string {
	if c.win() {
		return []string{`cadesplugin.exe -silent -norestart -cadesargs "/qb REBOOT=ReallySuppress /passive"`}
	}
	if platform.UsesRPM(c.f) {
		return []string{"tar xzf cades-linux-amd64.tar.gz", "sudo rpm -i cades-linux-amd64/cprocsp-pki-cades-*.rpm cades-linux-amd64/cprocsp-pki-plugin-*.rpm"}
	}
	return []string{"tar xzf cades-linux-amd64.tar.gz", "sudo apt install ./cades-linux-amd64/cprocsp-pki-cades-*.deb ./cades-linux-amd64/cprocsp-pki-plugin-*.deb"}
}

// extensions: the CryptoPro extension and the native-messaging host for
// every browser that uses them.
func (c *checker) extensions(ctx context.Context, sev doctor.Severity) error {
	var users []*browsers.Browser
	anyHas := false
	for i := range c.browsers {
		b := &c.browsers[i]
		if b.Family == browsers.FamilyIE {
			continue
		}
		users = append(users, b)
		if b.HasExtension(ExtensionIDs(b)...) {
			anyHas = true
		}
	}
	if len(users) == 0 {
		c.pass.Note(i18n.T("plugin.note.no-browsers"))
		return nil
	}
	for _, b := range users {
		ids := ExtensionIDs(b)
		switch {
		case len(b.Profiles) == 0:
			c.pass.Note(i18n.T("plugin.note.no-profiles", b.Name))
		case !b.HasExtension(ids...):
			s := doctor.Warn
			if !anyHas {
				s = sev
			}
			url, cmd := ChromeStore, c.openCommand(b, ChromeStore)
			hint := i18n.T("plugin.extension-missing.hint", b.Name)
			if b.Family == browsers.FamilyFirefox {
				url, cmd = FirefoxXPIURL, c.openCommand(b, FirefoxXPIURL)
				hint = i18n.T("plugin.extension-missing.hint.firefox")
			}
			c.pass.Report(doctor.Finding{
				Severity: s, Code: "plugin.extension-missing",
				Message:  i18n.T("plugin.extension-missing", b.Name, len(b.Profiles), b.DataDir, strings.Join(ids, ", ")),
				Hint:     hint,
				Commands: []string{cmd},
				URL:      url,
				Subject:  b.DataDir,
			})
		default:
			c.pass.Note(i18n.T("plugin.note.extension", b.Name))
		}
		if err := c.nativeHost(ctx, b, HostCades, sev); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) openCommand(b *browsers.Browser, url string) string {
	exe := b.InstallPath
	if exe == "" {
		if c.win() {
			return "start " + url
		}
		return "xdg-open " + url
	}
	if c.win() {
		return `start "" "` + exe + `" ` + url
	}
	return exe + " " + url
}

// manifestLocations lists where a browser looks for a native-messaging
// host: registry keys on Windows, directories on Linux. The Chrome
// locations are documented by Google; the Chromium-Gost and Yandex ones
// are inferred (both read Chrome's too, which is what the plug-in installs).
func (c *checker) manifestLocations(b *browsers.Browser, name string) []string {
	if c.win() {
		var out []string
		add := func(sub string) {
			out = append(out, `HKCU\Software\`+sub+`\NativeMessagingHosts\`+name, `HKLM\SOFTWARE\`+sub+`\NativeMessagingHosts\`+name)
		}
		switch b.Family {
		case browsers.FamilyFirefox:
			add("Mozilla")
		default:
			add(`Google\Chrome`)
			switch b.ID {
			case browsers.Edge:
				add(`Microsoft\Edge`)
			case browsers.ChromiumGOST, browsers.Chromium:
				add("Chromium")
			}
		}
		return out
	}
	home := strings.TrimRight(c.f.Home, "/")
	var dirs []string
	switch b.ID {
	case browsers.Firefox:
		dirs = []string{"/usr/lib/mozilla/native-messaging-hosts", "/usr/lib64/mozilla/native-messaging-hosts", home + "/.mozilla/native-messaging-hosts"}
	case browsers.Chrome:
		dirs = []string{"/etc/opt/chrome/native-messaging-hosts", home + "/.config/google-chrome/NativeMessagingHosts"}
	case browsers.Chromium:
		dirs = []string{"/etc/chromium/native-messaging-hosts", home + "/.config/chromium/NativeMessagingHosts"}
	case browsers.ChromiumGOST:
		dirs = []string{"/etc/chromium-gost/native-messaging-hosts", "/etc/chromium/native-messaging-hosts", "/etc/opt/chrome/native-messaging-hosts", home + "/.config/chromium-gost/NativeMessagingHosts"}
	case browsers.Yandex:
		dirs = []string{"/etc/opt/yandex/browser/native-messaging-hosts", "/etc/opt/chrome/native-messaging-hosts", home + "/.config/yandex-browser/NativeMessagingHosts"}
	case browsers.Edge:
		dirs = []string{"/etc/opt/edge/native-messaging-hosts", home + "/.config/microsoft-edge/NativeMessagingHosts"}
	}
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = d + "/" + name + ".json"
	}
	return out
}

// Manifest is the part of a native-messaging manifest the check reads.
type Manifest struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// ParseManifest reads a native-messaging host manifest.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("parse native-messaging manifest: %w", err)
	}
	if m.Path == "" {
		return m, errors.New("parse native-messaging manifest: no path")
	}
	return m, nil
}

// found is a registered native-messaging host.
type found struct {
	where    string // registry key or manifest file
	manifest string // manifest file
	exe      string // the host executable ("" when unreadable)
	exists   bool
	problem  i18n.Text
}

// lookupHost finds the first registration of a native-messaging host among
// the locations; ok is false when there is none.
func (c *checker) lookupHost(ctx context.Context, locs []string) (found, bool, error) {
	for _, loc := range locs {
		fd := found{where: loc, manifest: loc}
		if c.win() {
			var k host.RegKey
			var err error
			for _, view := range []host.RegView{host.RegViewDefault, host.RegView32} {
				if strings.HasPrefix(loc, "HKCU") && view != host.RegViewDefault {
					continue
				}
				k, err = c.h.RegistryKey(ctx, loc, view)
				if err != nil {
					return fd, false, fmt.Errorf("read %s: %w", loc, err)
				}
				if k.Exists {
					break
				}
			}
			if !k.Exists {
				continue
			}
			v, _ := k.Value("")
			fd.manifest = browsers.ExpandEnv(c.h, strings.Trim(v.Text(), `"`))
			if fd.manifest == "" {
				fd.problem = i18n.T("plugin.problem.no-manifest-path")
				return fd, true, nil
			}
		}
		data, err := c.h.ReadFile(ctx, fd.manifest, 64<<10)
		if err != nil {
			if errors.Is(err, host.ErrFileNotFound) {
				if c.win() {
					fd.problem = i18n.T("plugin.problem.manifest-missing", fd.manifest)
					return fd, true, nil
				}
				continue
			}
			if platform.Unanswered(err) {
				return fd, false, err
			}
			fd.problem = i18n.T("plugin.problem.manifest-unreadable", fd.manifest, err.Error())
			return fd, true, nil
		}
		m, err := ParseManifest(data)
		if err != nil {
			fd.problem = i18n.T("plugin.problem.manifest-unreadable", fd.manifest, err.Error())
			return fd, true, nil
		}
		fd.exe = m.Path
		if c.win() && !strings.Contains(m.Path, `:\`) && !strings.HasPrefix(m.Path, `\\`) {
			if i := strings.LastIndexByte(fd.manifest, '\\'); i >= 0 {
				fd.exe = fd.manifest[:i+1] + m.Path
			}
		}
		fi, err := c.h.Stat(ctx, fd.exe)
		if err != nil {
			return fd, false, fmt.Errorf("look for %s: %w", fd.exe, err)
		}
		fd.exists = fi.Exists
		if !fi.Exists {
			fd.problem = i18n.T("plugin.problem.exe-missing")
		}
		return fd, true, nil
	}
	return found{}, false, nil
}

func (c *checker) nativeHost(ctx context.Context, b *browsers.Browser, name string, sev doctor.Severity) error {
	locs := c.manifestLocations(b, name)
	fd, ok, err := c.lookupHost(ctx, locs)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.native-host-missing",
			Message:  i18n.T("plugin.native-host-missing", name, b.Name, strings.Join(locs, "; ")),
			Hint:     i18n.T("plugin.native-host-missing.hint"),
			Commands: c.hostFix(ctx, b, name, locs),
			URL:      PluginURL,
			Subject:  locs[0],
		})
	case !fd.problem.IsZero():
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.native-host-broken",
			Message:  i18n.T("plugin.native-host-broken", name, b.Name, fd.where, fd.problem, fd.exe),
			Hint:     c.installHint(),
			Commands: c.installCommands(),
			URL:      PluginURL,
			Subject:  fd.where,
		})
	default:
		c.pass.Note(i18n.T("plugin.note.native-host", name, b.Name, fd.where))
	}
	return nil
}

// hostFix: on Linux, link the Chrome manifest the plug-in installed into
// the browser's directory when it exists; otherwise reinstall.
func (c *checker) hostFix(ctx context.Context, b *browsers.Browser, name string, locs []string) []string {
	if !c.win() {
		src := "/etc/opt/chrome/native-messaging-hosts/" + name + ".json"
		if b.Family == browsers.FamilyFirefox {
			src = ""
		}
		if src != "" && src != locs[0] {
			if data, err := c.h.ReadFile(ctx, src, 64<<10); err == nil && len(data) > 0 {
				dir := locs[0][:strings.LastIndexByte(locs[0], '/')]
				return []string{"sudo mkdir -p " + dir, "sudo ln -s " + src + " " + locs[0]}
			}
		}
	}
	return c.installCommands()
}

// trustedSites compares the plug-in's trusted sites with the sites.
func (c *checker) trustedSites(ctx context.Context) error {
	domains := platform.Domains(c.sites, profile.NeedPlugin)
	if len(domains) == 0 {
		return nil
	}
	var list []string
	var where string
	if c.win() {
		where = TrustedSitesKey
		// The user's list, and a machine policy list (its key is inferred
		// from one document); sites in either count.
		for _, key := range []string{TrustedSitesKey, TrustedSitesPolicyKey} {
			k, err := c.h.RegistryKey(ctx, key, host.RegViewDefault)
			if err != nil {
				return fmt.Errorf("read plug-in trusted sites: %w", err)
			}
			if v, ok := k.Value("TrustedSites"); ok {
				if v.Type == host.RegMultiSZ {
					list = append(list, v.Strings...)
				} else {
					list = append(list, strings.Fields(v.Text())...)
				}
			}
		}
	} else {
		ini := "/etc/opt/cprocsp/config64.ini"
		if a := cprocsp.ArchDir(c.f.Arch); a == "ia32" {
			ini = "/etc/opt/cprocsp/config.ini"
		}
		where = ini
		data, err := c.h.ReadFile(ctx, ini, 4<<20)
		if err != nil {
			if platform.Unanswered(err) {
				return fmt.Errorf("read plug-in trusted sites: %w", err)
			}
			c.pass.Note(i18n.T("plugin.note.trusted-sites-unknown", ini))
			return nil
		}
		var found bool
		list, found = ParseTrustedSites(data)
		if !found {
			c.pass.Note(i18n.T("plugin.note.trusted-sites-unknown", ini))
			return nil
		}
	}
	var missing []string
	for _, d := range domains {
		ok := false
		for _, e := range list {
			if platform.Covers(e, d) {
				ok = true
				break
			}
		}
		if !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		c.pass.Note(i18n.T("plugin.note.trusted-sites-ok", strings.Join(domains, ", ")))
		return nil
	}
	want := append([]string(nil), list...)
	for _, d := range missing {
		want = append(want, "https://"+d, "https://*."+d)
	}
	sort.Strings(missing)
	var cmd string
	var repair doctor.Repair
	if c.win() {
		cmd = `reg add "HKCU\Software\Crypto Pro\CAdESplugin" /v TrustedSites /t REG_MULTI_SZ /d "` + strings.Join(want, `\0`) + `" /f`
		repair = doctor.Repair{Kind: doctor.RepairSetRegValue, Key: TrustedSitesKey,
			Value: &host.RegValue{Name: "TrustedSites", Type: host.RegMultiSZ, Strings: want}}
	} else {
		cpconfig := cprocsp.SbinDir(cprocsp.ArchDir(c.f.Arch)) + "/cpconfig"
		cmd = "sudo " + cpconfig + ` -ini "\local\Software\Crypto Pro\CAdESplugin" -add multistring TrustedSites ` + shWords(want)
		repair = doctor.Repair{Kind: doctor.RepairRun, Admin: true,
			Argv: append([]string{cpconfig, "-ini", `\local\Software\Crypto Pro\CAdESplugin`, "-add", "multistring", "TrustedSites"}, want...)}
	}
	c.pass.Report(doctor.Finding{
		Severity: doctor.Warn, Code: "plugin.site-not-trusted",
		Message:  i18n.T("plugin.site-not-trusted", strings.Join(missing, ", "), where),
		Hint:     i18n.T("plugin.site-not-trusted.hint"),
		Commands: []string{cmd},
		Subject:  where,
		Repairs:  []doctor.Repair{repair},
	})
	return nil
}

// shWords quotes each word for sh: a site such as https://*.gov.ru must
// not be taken for a file-name pattern.
func shWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// ParseTrustedSites finds the TrustedSites value in the
// [\local\Software\Crypto Pro\CAdESplugin] section of CryptoPro's
// config64.ini. The layout of a multistring there is inferred, so every
// URL-like token of the value (and of its continuation lines) is taken.
// found is false when the section or the value is absent.
func ParseTrustedSites(data []byte) (sites []string, found bool) {
	in := false
	value := false
	for _, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "[") {
			sec := strings.ToLower(strings.Trim(line, `[]" `))
			in = strings.HasSuffix(sec, `crypto pro\cadesplugin`)
			value = false
			continue
		}
		if !in {
			continue
		}
		rest := line
		if k, v, ok := strings.Cut(line, "="); ok {
			key := strings.ToLower(strings.Trim(strings.TrimSpace(k), `"`))
			value = key == "trustedsites"
			if value {
				found = true
			}
			rest = v
		}
		if !value {
			continue
		}
		for _, tok := range strings.FieldsFunc(rest, func(r rune) bool {
			return r == '"' || r == ',' || r == ' ' || r == '\t'
		}) {
			if strings.Contains(tok, ".") && len(sites) < 1000 {
				sites = append(sites, tok)
			}
		}
	}
	return sites, found
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
