package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// The Госуслуги plug-in. Госплагин is the current one; IFCPlugin
// (ru.rtlabs.ifcplugin, «Плагин для работы с электронной подписью») is the
// outdated one it replaced. Sources (field-notes-2026.md): public copies of
// the Госплагин extension's background script (host names, the obsolete
// one tried second), ALT and Nix packaging of 2025–2026 (package name,
// program and manifest paths, extension ID), deemru/Chromium-Gost issue 139
// (the two extensions fighting).
const (
	// HostGosplugin is Госплагин's native-messaging host [V-sec].
	HostGosplugin = "chrome.gosuslugi.plugin"
	// HostGospluginOld is the host name of older Госплагин builds, which
	// the extension tries when the current one is absent [V-sec].
	HostGospluginOld = "gosuslugi.plugin"
	// ExtGosplugin is the Госплагин extension (Chrome Web Store) [V-sec].
	ExtGosplugin = "jabjbhgjaidecageckilhonbggakppme"
	// ExtGospluginOpera is the Госплагин extension from the Opera add-ons
	// store, which Yandex Browser installs (its host is
	// opera.gosuslugi.plugin in Nix packaging) [V-sec].
	ExtGospluginOpera = "npijgiimlfmdighlfbbhjmnjicedfooc"
	// ExtIFC is «Расширение для плагина Госуслуг» (IFCPlugin's extension,
	// store name "ifcplugin-extension") [V-sec].
	ExtIFC = "pbefkdcndngodfeigfdgiodgnmbgcfha"
	// GospluginPackage is the Linux package (rpm name seen in ALT
	// packaging; the deb inside the official installer is inferred to be
	// named the same) [V-sec]/[I].
	GospluginPackage = "gosuslugi-plugin"
	// GospluginURL is the Госплагин page of Госуслуги.
	GospluginURL = "https://www.gosuslugi.ru/landing/gosplugin"
	// GospluginLinuxInstaller is the official Linux installer archive (a
	// self-extracting .sh with a .deb payload, used by AUR, Gentoo and Nix
	// packaging).
	GospluginLinuxInstaller = "https://gu-st.ru/content/Gosplugin/Gosplugin_Linux-Debian_Installer.deb.zip"
	// GospluginStore is the extension's page.
	GospluginStore = "https://chromewebstore.google.com/detail/" + ExtGosplugin
)

// IsGospluginEntry reports whether an installed program's DisplayName is
// Госплагин. Its Windows installer's product name is not known from a
// public source ([I]): «Госплагин», "Gosplugin" or «Плагин Госуслуг».
func IsGospluginEntry(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "госплагин") || strings.Contains(n, "gosplugin") ||
		strings.Contains(n, "плагин госуслуг") || strings.Contains(n, "gosuslugi plugin")
}

// registration is one place a native-messaging host is registered, with
// the browsers that read it.
type registration struct {
	found
	owners string // "Chromium-Gost, Google Chrome"
	user   bool   // a per-user location (HKCU, ~/.config/…)
}

// hostLocations lists the manifest locations of a host for every browser
// that can use it (Chromium family and Firefox), in each browser's reading
// order, without repeats; owner maps a location to the browsers reading it.
func (c *checker) hostLocations(name string) (locs []string, owner map[string]string) {
	owner = map[string]string{}
	for i := range c.browsers {
		b := &c.browsers[i]
		if b.Family == browsers.FamilyIE {
			continue
		}
		for _, l := range c.manifestLocations(b, name) {
			if _, ok := owner[l]; !ok {
				owner[l] = b.Name
				locs = append(locs, l)
			} else if !strings.Contains(owner[l], b.Name) {
				owner[l] += ", " + b.Name
			}
		}
	}
	return locs, owner
}

// isUserLevel reports whether a manifest location belongs to the user (a
// per-user manifest is read before the system one, so a stale one shadows
// a good system registration).
func (c *checker) isUserLevel(loc string) bool {
	if c.win() {
		return strings.HasPrefix(strings.ToUpper(loc), `HKCU\`)
	}
	home := strings.TrimRight(c.f.Home, "/")
	return home != "" && strings.HasPrefix(loc, home+"/")
}

// registrations finds every registration of a host among its locations.
func (c *checker) registrations(ctx context.Context, name string) ([]registration, []string, error) {
	locs, owner := c.hostLocations(name)
	var out []registration
	for _, l := range locs {
		fd, ok, err := c.lookupHost(ctx, []string{l})
		if err != nil {
			return nil, locs, err
		}
		if ok {
			out = append(out, registration{found: fd, owners: owner[l], user: c.isUserLevel(l)})
		}
	}
	return out, locs, nil
}

// gosuslugi: Госплагин (or, outdated, IFCPlugin) registered for the
// browsers, its version, its extension, and the two conflicts users meet:
// Госплагин's extension next to «Расширение для плагина Госуслуг», and a
// stale per-user manifest shadowing the system one.
func (c *checker) gosuslugi(ctx context.Context) error {
	sev := platform.Severity(c.sites, profile.NeedIFCPlugin)
	regs, locs, err := c.registrations(ctx, HostGosplugin)
	if err != nil {
		return err
	}
	if len(locs) == 0 {
		if !profile.AnyNeeds(c.sites, profile.NeedPlugin) {
			c.pass.Note(i18n.T("plugin.note.no-browsers"))
		}
		return nil
	}
	old, _, err := c.registrations(ctx, HostGospluginOld)
	if err != nil {
		return err
	}
	ifc, _, err := c.registrations(ctx, HostIFC)
	if err != nil {
		return err
	}
	working := func(rs []registration) []registration {
		var ok []registration
		for _, r := range rs {
			if r.problem.IsZero() {
				ok = append(ok, r)
			}
		}
		return ok
	}
	good := working(regs)
	switch {
	case len(regs) == 0 && len(old) > 0:
		r := old[0]
		c.pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "plugin.gosplugin-old-host",
			Message:  i18n.T("plugin.gosplugin-old-host", HostGospluginOld, r.where, HostGosplugin),
			Hint:     i18n.T("plugin.gosplugin-install.hint"),
			Commands: c.gospluginInstall(),
			URL:      GospluginURL,
			Subject:  r.where,
		})
	case len(regs) == 0 && len(working(ifc)) > 0:
		r := working(ifc)[0]
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.ifc-outdated",
			Message:  i18n.T("plugin.ifc-outdated", HostIFC, r.where, HostGosplugin, strings.Join(locs, "; ")),
			Hint:     i18n.T("plugin.gosplugin-install.hint"),
			Commands: c.gospluginInstall(),
			URL:      GospluginURL,
			Subject:  locs[0],
		})
	case len(regs) == 0:
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.gosplugin-missing",
			Message:  i18n.T("plugin.gosplugin-missing", HostGosplugin, strings.Join(locs, "; ")),
			Hint:     i18n.T("plugin.gosplugin-install.hint"),
			Commands: c.gospluginInstall(),
			URL:      GospluginURL,
			Subject:  locs[0],
		})
	case len(good) == 0:
		r := regs[0]
		c.pass.Report(doctor.Finding{
			Severity: sev, Code: "plugin.gosplugin-broken",
			Message:  i18n.T("plugin.native-host-broken", HostGosplugin, orDash(r.owners), r.where, r.problem, r.exe),
			Hint:     i18n.T("plugin.gosplugin-install.hint"),
			Commands: c.gospluginInstall(),
			URL:      GospluginURL,
			Subject:  r.where,
		})
	default:
		c.pass.Note(i18n.T("plugin.note.native-host", HostGosplugin, orDash(good[0].owners), good[0].where))
		if len(working(ifc)) > 0 {
			c.pass.Note(i18n.T("plugin.note.ifc-also", HostIFC, working(ifc)[0].where))
		}
	}
	c.shadowed(regs)
	if len(regs) > 0 || len(old) > 0 {
		if err := c.gospluginVersion(ctx); err != nil {
			return err
		}
	}
	c.gospluginExtensions(len(regs) > 0 || len(old) > 0)
	return nil
}

// shadowed reports a per-user manifest of Госплагин that is broken or
// points elsewhere than a working system one: the browser reads the
// per-user one first, so the good system registration is never used.
// Chromium's native-messaging launcher looks in HKEY_CURRENT_USER first
// and uses the manifest path found there even when the file is gone
// (crbug.com/1034919#c6, native_process_launcher_win.cc); on Linux it takes
// the per-user manifest file when it exists [V: Chromium source].
func (c *checker) shadowed(regs []registration) {
	for _, u := range regs {
		if !u.user {
			continue
		}
		for _, s := range regs {
			if s.user || !s.problem.IsZero() || !sharesBrowser(u.owners, s.owners) {
				continue
			}
			if u.problem.IsZero() && strings.EqualFold(u.exe, s.exe) {
				continue
			}
			why := u.problem
			if why.IsZero() {
				why = i18n.T("plugin.problem.other-program", u.exe, s.exe)
			}
			cmd := "rm " + shWords([]string{u.manifest})
			if c.win() {
				cmd = `reg delete "` + u.where + `" /f`
			}
			c.pass.Report(doctor.Finding{
				Severity: doctor.Warn, Code: "plugin.gosplugin-user-manifest-shadows",
				Message:  i18n.T("plugin.gosplugin-user-manifest-shadows", u.where, orDash(u.owners), why, s.where),
				Hint:     i18n.T("plugin.gosplugin-user-manifest-shadows.hint"),
				Commands: []string{cmd},
				Subject:  u.where,
			})
			break
		}
	}
}

// sharesBrowser reports whether two owner lists name a common browser.
func sharesBrowser(a, b string) bool {
	for _, x := range strings.Split(a, ", ") {
		for _, y := range strings.Split(b, ", ") {
			if x != "" && x == y {
				return true
			}
		}
	}
	return false
}

// gospluginVersion reads Госплагин's version (Linux: the package; Windows:
// its entry among the installed programs) and compares it with the
// configured minimum.
func (c *checker) gospluginVersion(ctx context.Context) error {
	var version, where string
	if c.win() {
		v, err := c.uninstallVersion(ctx, IsGospluginEntry)
		if err != nil {
			return err
		}
		version, where = v, UninstallKey
	} else {
		v, err := platform.PackageVersion(ctx, c.h, GospluginPackage)
		if errors.Is(err, host.ErrNoExec) {
			// --root on an RPM system: the version is not determinable.
			c.pass.Note(i18n.T("plugin.note.mounted-package", GospluginPackage, err.Error()))
			return nil
		}
		if err != nil {
			return err
		}
		version, where = v, GospluginPackage
	}
	if version == "" {
		c.pass.Note(i18n.T("plugin.note.gosplugin-version-unknown", where))
		return nil
	}
	c.pass.Note(i18n.T("plugin.note.gosplugin-version", version, where))
	cfg, _ := c.pass.Config.(*Config)
	if cfg == nil || cfg.GospluginMinVersion == "" {
		return nil
	}
	build := version
	if i := strings.IndexByte(build, '-'); i >= 0 {
		build = build[:i]
	}
	if cprocsp.CompareBuild(build, cfg.GospluginMinVersion) < 0 {
		c.pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "plugin.gosplugin-too-old",
			Message:  i18n.T("plugin.gosplugin-too-old", build, cfg.GospluginMinVersion, where),
			Hint:     i18n.T("plugin.gosplugin-install.hint"),
			Commands: c.gospluginInstall(),
			URL:      GospluginURL,
			Subject:  where,
		})
	}
	return nil
}

// uninstallVersion returns the DisplayVersion of the first installed
// program whose DisplayName matches, in either registry view; "" when
// none (or the snapshot did not record the list: a note says so).
func (c *checker) uninstallVersion(ctx context.Context, match func(string) bool) (string, error) {
	for _, view := range []host.RegView{host.RegView64, host.RegView32} {
		k, err := c.h.RegistryKey(ctx, UninstallKey, view)
		for i := 0; err == nil && i < len(k.SubKeys) && i < maxUninstallEntries; i++ {
			var e host.RegKey
			if e, err = c.h.RegistryKey(ctx, UninstallKey+`\`+k.SubKeys[i], view); err != nil {
				break
			}
			dn, _ := e.Value("DisplayName")
			dv, _ := e.Value("DisplayVersion")
			if match(dn.Text()) && strings.TrimSpace(dv.Text()) != "" {
				return strings.TrimSpace(dv.Text()), nil
			}
		}
		if errors.Is(err, host.ErrNotRecorded) {
			c.pass.Note(i18n.T("plugin.note.version-unknown", UninstallKey, err.Error()))
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("read the installed programs: %w", err)
		}
	}
	return "", nil
}

// gospluginExtensions: the Госплагин extension somewhere, and never next
// to «Расширение для плагина Госуслуг» in one profile (signing then stalls
// on «Подпишите в плагине» until one is disabled).
func (c *checker) gospluginExtensions(installed bool) {
	anyHas := false
	var chromium []*browsers.Browser
	for i := range c.browsers {
		b := &c.browsers[i]
		if b.Family != browsers.FamilyChromium {
			continue
		}
		chromium = append(chromium, b)
		for _, p := range b.Profiles {
			gos := p.HasExtension(ExtGosplugin, ExtGospluginOpera)
			if gos {
				anyHas = true
				c.pass.Note(i18n.T("plugin.note.gosplugin-extension", b.Name, p.Name))
			}
			if gos && p.HasExtension(ExtIFC) {
				c.pass.Report(doctor.Finding{
					Severity: doctor.Warn, Code: "plugin.gosuslugi-extensions-conflict",
					Message:  i18n.T("plugin.gosuslugi-extensions-conflict", b.Name, p.Name, p.Path, ExtGosplugin, ExtIFC),
					Hint:     i18n.T("plugin.gosuslugi-extensions-conflict.hint", b.Name),
					Commands: []string{c.openCommand(b, "chrome://extensions/?id="+ExtIFC)},
					Subject:  p.Path,
				})
			}
		}
	}
	if anyHas || !installed || len(chromium) == 0 {
		return
	}
	b := chromium[0]
	c.pass.Report(doctor.Finding{
		Severity: doctor.Warn, Code: "plugin.gosplugin-extension-missing",
		Message:  i18n.T("plugin.gosplugin-extension-missing", ExtGosplugin, browserNames(chromium)),
		Hint:     i18n.T("plugin.gosplugin-extension-missing.hint"),
		Commands: []string{c.openCommand(b, GospluginStore)},
		URL:      GospluginStore,
		Subject:  b.DataDir,
	})
}

func browserNames(bs []*browsers.Browser) string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = b.Name
	}
	return strings.Join(names, ", ")
}

// gospluginInstall: the commands that install Госплагин. Windows: its
// installer from the Госуслуги page (file name not published: [I]);
// Linux: the official installer archive (a .sh with a .deb inside).
func (c *checker) gospluginInstall() []string {
	switch {
	case c.win():
		return []string{"start " + GospluginURL}
	case platform.UsesRPM(c.f):
		// The official installer carries a .deb; RPM builds are
		// distributions' own (ALT: gosuslugi-plugin).
		return []string{"xdg-open " + GospluginURL}
	}
	return []string{
		"curl -fLO " + GospluginLinuxInstaller,
		"unzip Gosplugin_Linux-Debian_Installer.deb.zip",
		"sudo sh ./Gosplugin_Linux-Debian_Installer.deb.sh",
	}
}
