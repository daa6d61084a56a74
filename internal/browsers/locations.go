package browsers

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// WinEnv returns a Windows environment variable of the host, or the
// "%NAME%" form (which the live Windows back end expands) when it is not
// known, so that paths stay usable both live and in snapshots.
func WinEnv(h host.Host, name string) string {
	if v, ok := h.LookupEnv(name); ok && v != "" {
		return strings.TrimRight(v, `\`)
	}
	return "%" + name + "%"
}

// ExpandEnv replaces the %VARIABLES% of a Windows path that the host knows
// (REG_EXPAND_SZ values); unknown ones are left for the live back end.
func ExpandEnv(h host.Host, p string) string {
	out := ""
	for i := 0; i < 16; i++ {
		a := strings.IndexByte(p, '%')
		if a < 0 {
			break
		}
		b := strings.IndexByte(p[a+1:], '%')
		if b < 0 {
			break
		}
		name := p[a+1 : a+1+b]
		if v, ok := h.LookupEnv(name); ok && name != "" {
			out += p[:a] + v
		} else {
			out += p[:a+2+b]
		}
		p = p[a+2+b:]
	}
	return out + p
}

// windowsSpecs: install and data locations on Windows. The Chrome, Edge,
// Yandex and Firefox locations are the vendors' per-user and per-machine
// defaults; the Chromium-Gost ones are inferred (it installs like Chromium
// under its own name and keeps Chromium's user-data folder).
func windowsSpecs(h host.Host) []spec {
	local := WinEnv(h, "LOCALAPPDATA")
	roaming := WinEnv(h, "APPDATA")
	pf := WinEnv(h, "ProgramFiles")
	pf86 := WinEnv(h, "ProgramFiles(x86)")
	const s = `\`
	return []spec{
		{id: IE, name: "Internet Explorer", family: FamilyIE, sep: s,
			installs: []string{pf + `\Internet Explorer\iexplore.exe`},
			ieCache:  local + `\Microsoft\Windows\INetCache`},
		{id: Edge, name: "Microsoft Edge", family: FamilyChromium, sep: s,
			installs: []string{pf86 + `\Microsoft\Edge\Application\msedge.exe`, pf + `\Microsoft\Edge\Application\msedge.exe`},
			dataDir:  local + `\Microsoft\Edge\User Data`},
		{id: Chrome, name: "Google Chrome", family: FamilyChromium, sep: s,
			installs: []string{pf + `\Google\Chrome\Application\chrome.exe`, pf86 + `\Google\Chrome\Application\chrome.exe`, local + `\Google\Chrome\Application\chrome.exe`},
			dataDir:  local + `\Google\Chrome\User Data`},
		{id: ChromiumGOST, name: "Chromium-Gost", family: FamilyChromium, gost: true, sep: s,
			installs: []string{pf + `\Chromium-Gost\chrome.exe`, pf86 + `\Chromium-Gost\chrome.exe`, local + `\Chromium-Gost\chrome.exe`,
				pf + `\Chromium-Gost\Application\chrome.exe`, pf86 + `\Chromium-Gost\Application\chrome.exe`},
			dataDir: local + `\Chromium\User Data`},
		{id: Yandex, name: "Yandex Browser", family: FamilyChromium, gost: true, sep: s,
			installs: []string{local + `\Yandex\YandexBrowser\Application\browser.exe`, pf + `\Yandex\YandexBrowser\Application\browser.exe`, pf86 + `\Yandex\YandexBrowser\Application\browser.exe`},
			dataDir:  local + `\Yandex\YandexBrowser\User Data`},
		{id: Firefox, name: "Mozilla Firefox", family: FamilyFirefox, sep: s,
			installs:  []string{pf + `\Mozilla Firefox\firefox.exe`, pf86 + `\Mozilla Firefox\firefox.exe`},
			dataDir:   roaming + `\Mozilla\Firefox`,
			cacheRoot: local + `\Mozilla\Firefox`},
	}
}

// linuxSpecs: install and data locations on Linux (package defaults of the
// .deb/.rpm builds; Chromium-Gost installs into /opt/chromium-gost).
func linuxSpecs(home string) []spec {
	if home == "" {
		home = "/root"
	}
	home = strings.TrimRight(home, "/")
	cfg, cache := home+"/.config", home+"/.cache"
	const s = "/"
	return []spec{
		{id: Chrome, name: "Google Chrome", family: FamilyChromium, sep: s,
			installs: []string{"/opt/google/chrome/chrome", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"},
			dataDir:  cfg + "/google-chrome", cacheRoot: cache + "/google-chrome"},
		{id: Chromium, name: "Chromium", family: FamilyChromium, sep: s,
			installs: []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"},
			dataDir:  cfg + "/chromium", cacheRoot: cache + "/chromium"},
		{id: ChromiumGOST, name: "Chromium-Gost", family: FamilyChromium, gost: true, sep: s,
			installs: []string{"/opt/chromium-gost/chromium-gost", "/usr/bin/chromium-gost", "/usr/bin/chromium-gost-stable"},
			dataDir:  cfg + "/chromium-gost", cacheRoot: cache + "/chromium-gost"},
		{id: Yandex, name: "Yandex Browser", family: FamilyChromium, gost: true, sep: s,
			installs: []string{"/opt/yandex/browser/yandex_browser", "/usr/bin/yandex-browser", "/usr/bin/yandex-browser-stable"},
			dataDir:  cfg + "/yandex-browser", cacheRoot: cache + "/yandex-browser"},
		{id: Edge, name: "Microsoft Edge", family: FamilyChromium, sep: s,
			installs: []string{"/opt/microsoft/msedge/msedge", "/usr/bin/microsoft-edge"},
			dataDir:  cfg + "/microsoft-edge", cacheRoot: cache + "/microsoft-edge"},
		{id: Firefox, name: "Mozilla Firefox", family: FamilyFirefox, sep: s,
			installs: []string{"/usr/bin/firefox", "/usr/lib/firefox/firefox", "/usr/lib64/firefox/firefox", "/opt/firefox/firefox"},
			dataDir:  home + "/.mozilla/firefox", cacheRoot: cache + "/mozilla/firefox"},
	}
}

// FirefoxProfile is one [ProfileN] section of Firefox's profiles.ini.
type FirefoxProfile struct {
	Name       string
	Path       string
	IsRelative bool
	Default    bool
}

// maxINIProfiles bounds what ParseProfilesINI returns.
const maxINIProfiles = 1000

// ParseProfilesINI reads Firefox's profiles.ini: the [ProfileN] sections
// with their Name, Path, IsRelative and Default keys. Sections without a
// Path are ignored. Malformed lines are an error.
func ParseProfilesINI(data []byte) ([]FirefoxProfile, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var out []FirefoxProfile
	var cur *FirefoxProfile
	flush := func() {
		if cur != nil && cur.Path != "" && len(out) < maxINIProfiles {
			out = append(out, *cur)
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("parse profiles.ini line %d: unterminated section header", n)
			}
			flush()
			name := line[1 : len(line)-1]
			if strings.HasPrefix(strings.ToLower(name), "profile") {
				cur = &FirefoxProfile{IsRelative: true}
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("parse profiles.ini line %d: want key=value", n)
		}
		if cur == nil {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "name":
			cur.Name = v
		case "path":
			cur.Path = v
		case "isrelative":
			cur.IsRelative = v != "0"
		case "default":
			cur.Default = v == "1"
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("parse profiles.ini: %w", err)
	}
	flush()
	if len(out) == 0 && len(bytes.TrimSpace(data)) > 0 && !bytes.Contains(bytes.ToLower(data), []byte("[")) {
		return nil, errors.New("parse profiles.ini: no sections")
	}
	return out, nil
}
