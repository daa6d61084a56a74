package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// readFacts collects the facts of the inspected system. Under --root they
// come from the tree's files (/etc/os-release, /etc/passwd, /etc/timezone …),
// not from the machine gmu-doctor runs on; the process facts (Elevated, the
// architecture of gmu-doctor) are still this machine's.
func (h *linuxHost) readFacts(wantUser string) Facts {
	f := Facts{OS: "linux", Arch: runtime.GOARCH, ProcessArch: runtime.GOARCH}
	f.Elevated = os.Geteuid() == 0
	h.osRelease(&f)
	h.hostname(&f)
	h.kernel(&f)
	h.userFacts(&f, wantUser)
	h.locale(&f)
	h.timeZone(&f)
	return f
}

func (h *linuxHost) addErr(f *Facts, format string, args ...interface{}) {
	f.Errors = append(f.Errors, fmt.Sprintf(format, args...))
}

// parseOSRelease reads KEY=value lines with optional quotes.
func parseOSRelease(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
			v = strings.NewReplacer(`\"`, `"`, `\\`, `\`, "\\$", "$", "\\`", "`").Replace(v)
		}
		m[strings.TrimSpace(k)] = v
	}
	return m
}

var versionTokenRE = lazyre.New(`\d+(?:\.\d+)+`)

func (h *linuxHost) osRelease(f *Facts) {
	var (
		text string
		err  error
	)
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		var e error
		if text, e = h.readSmall(p); e == nil {
			err = nil
			break
		}
		if err == nil || errors.Is(err, ErrFileNotFound) {
			err = e // the first error that says more than "absent"
		}
	}
	if err != nil {
		h.addErr(f, "read /etc/os-release: %v", err)
	} else {
		m := parseOSRelease(text)
		f.Distro, f.ProductName, f.Version = m["ID"], m["PRETTY_NAME"], m["VERSION_ID"]
		if f.ProductName == "" {
			f.ProductName = strings.TrimSpace(m["NAME"] + " " + m["VERSION"])
		}
	}
	// Astra Linux keeps its full update level here ("1.7.5", "SE 1.7.5 (smolensk)").
	if av, err := h.readSmall("/etc/astra_version"); err == nil {
		if v := versionTokenRE.FindString(av); v != "" {
			f.Version = v
		}
		if f.Distro == "" {
			f.Distro = "astra"
		}
	}
}

func (h *linuxHost) hostname(f *Facts) {
	if h.root != "" {
		if s, err := h.readSmall("/etc/hostname"); err == nil {
			f.Hostname = strings.TrimSpace(s)
		}
		return
	}
	if n, err := os.Hostname(); err == nil {
		f.Hostname = n
	} else {
		h.addErr(f, "read hostname: %v", err)
	}
}

// kernel puts the kernel release (what `uname -r` prints) into Build.
func (h *linuxHost) kernel(f *Facts) {
	p := "/proc/sys/kernel/osrelease"
	if h.root != "" {
		p = h.resolve(p) // a tree may record it; a mounted disk has none
	}
	if b, err := safefile.ReadHead(p, 4<<10); err == nil {
		f.Build = strings.TrimSpace(string(b))
	}
}

// passwdEntry finds a user in the inspected system's /etc/passwd by name
// (or by uid when name is "").
func (h *linuxHost) passwdEntry(name, uid string) (login, home string, ok bool) {
	text, err := h.readSmall("/etc/passwd")
	if err != nil {
		return "", "", false
	}
	return lookupPasswd(text, name, uid)
}

// lookupPasswd finds a user in passwd(5) text by name, or by uid when name
// is "". Malformed lines are skipped.
func lookupPasswd(text, name, uid string) (login, home string, ok bool) {
	for _, line := range strings.Split(text, "\n") {
		fld := strings.Split(line, ":")
		if len(fld) < 6 {
			continue
		}
		if (name != "" && fld[0] == name) || (name == "" && fld[2] == uid) {
			return fld[0], fld[5], true
		}
	}
	return "", "", false
}

func (h *linuxHost) userFacts(f *Facts, wantUser string) {
	uid := fmt.Sprint(os.Geteuid())
	self := ""
	selfHome := ""
	if u, err := user.Current(); err == nil {
		self, selfHome = u.Username, u.HomeDir
	} else {
		self, selfHome = os.Getenv("USER"), os.Getenv("HOME")
		if self == "" {
			h.addErr(f, "read current user: %v", err)
		}
	}
	h.selfUser = self
	name := wantUser
	if name == "" {
		name = self
	}
	f.User = name
	if login, home, ok := h.passwdEntry(name, ""); ok {
		f.User, f.Home = login, home
		return
	}
	switch {
	case wantUser == "" && h.root == "":
		f.Home = selfHome
	case wantUser == "" && h.root != "":
		if _, home, ok := h.passwdEntry("", uid); ok {
			f.Home = home
		}
		h.addErr(f, "user %s is not in the inspected system's /etc/passwd: use --user", name)
	default:
		// Directory (LDAP/SSSD/AD) users are not in /etc/passwd.
		f.Home = "/home/" + name
		h.addErr(f, "user %s is not in /etc/passwd; assuming home %s", name, f.Home)
	}
}

// locale sets UILanguage ("ru-RU") from the environment, or under --root
// from the tree's locale configuration.
func (h *linuxHost) locale(f *Facts) {
	var lang string
	if h.root == "" {
		for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if s := os.Getenv(v); s != "" {
				lang = s
				break
			}
		}
	} else {
		for _, p := range []string{"/etc/default/locale", "/etc/locale.conf", "/etc/sysconfig/i18n"} {
			if s, err := h.readSmall(p); err == nil {
				m := parseOSRelease(s)
				if lang = m["LC_ALL"]; lang == "" {
					if lang = m["LC_MESSAGES"]; lang == "" {
						lang = m["LANG"]
					}
				}
				if lang != "" {
					break
				}
			}
		}
	}
	h.lang = lang
	f.UILanguage = localeTag(lang)
}

// localeTag turns "ru_RU.UTF-8@x" into "ru-RU"; "C" and "POSIX" stay.
func localeTag(s string) string {
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, "_", "-")
}

func (h *linuxHost) timeZone(f *Facts) {
	var name string
	if h.root == "" {
		name = os.Getenv("TZ")
		name = strings.TrimPrefix(name, ":")
	}
	if name == "" {
		if s, err := h.readSmall("/etc/timezone"); err == nil {
			name = strings.TrimSpace(strings.SplitN(s, "\n", 2)[0])
		}
	}
	if name == "" {
		// /etc/localtime -> /usr/share/zoneinfo/Europe/Moscow (read the link
		// itself, without following it out of the root).
		if t, err := os.Readlink(h.resolveParent("/etc/localtime")); err == nil {
			if i := strings.Index(t, "zoneinfo/"); i >= 0 {
				name = t[i+len("zoneinfo/"):]
			}
		}
	}
	now := time.Now()
	f.TimeZone = name
	if loc, err := h.loadZone(name); err == nil && name != "" {
		_, f.UTCOffsetSeconds = now.In(loc).Zone()
		return
	}
	if h.root == "" {
		zn, off := now.Zone()
		if f.TimeZone == "" {
			f.TimeZone = zn
		}
		f.UTCOffsetSeconds = off
		return
	}
	if name != "" {
		h.addErr(f, "load time zone %s: not found", name)
	}
}

// resolveParent maps a path whose last component must not be followed.
func (h *linuxHost) resolveParent(p string) string {
	if h.root == "" {
		return p
	}
	parts := splitVirtual(p)
	if len(parts) == 0 {
		return h.root
	}
	dir := h.resolve("/" + strings.Join(parts[:len(parts)-1], "/"))
	return dir + "/" + parts[len(parts)-1]
}

// loadZone loads a zone from the inspected system's zoneinfo, else from
// this machine's.
func (h *linuxHost) loadZone(name string) (*time.Location, error) {
	if name == "" || strings.Contains(name, "..") {
		return nil, fmt.Errorf("load time zone %q: bad name", name)
	}
	if b, err := h.ReadFile(context.Background(), "/usr/share/zoneinfo/"+name, 1<<20); err == nil {
		if loc, err := time.LoadLocationFromTZData(name, b); err == nil {
			return loc, nil
		}
	}
	return time.LoadLocation(name)
}
