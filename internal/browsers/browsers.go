// Package browsers finds the web browsers of a workstation, their profiles,
// the extensions installed in each profile and the size and age of their
// caches — all through host.Host, so that it works the same on a live
// Windows or Linux machine and on a snapshot.
//
// The work is bounded: at most Limits.MaxProfiles profiles per browser and
// Limits.MaxCacheEntries directory entries (Limits.MaxCacheDepth levels) per
// cache directory are looked at; what was cut short is marked Capped.
//
// Install and data locations are well-known defaults; several of them (the
// Chromium-Gost and Yandex Browser locations in particular) are inferred from
// public setup notes rather than vendor documentation, which is why checks
// say "probably" when they rely on a browser being absent.
package browsers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// Browser IDs.
const (
	Chrome       = "chrome"
	Chromium     = "chromium"
	ChromiumGOST = "chromium-gost"
	Yandex       = "yandex"
	Edge         = "edge"
	Firefox      = "firefox"
	IE           = "ie"
)

// Engine families.
const (
	FamilyChromium = "chromium"
	FamilyFirefox  = "firefox"
	FamilyIE       = "ie"
)

// Browser is one browser found (or looked for) on the workstation.
type Browser struct {
	ID        string // Chrome, Chromium, …
	Name      string // product name, e.g. "Chromium-Gost"
	Family    string // FamilyChromium, FamilyFirefox, FamilyIE
	Installed bool   // an executable was found at a known install location
	// InstallPath is the executable found, or "".
	InstallPath string
	// GOSTTLS: the browser can do TLS with GOST cipher suites (with
	// CryptoPro CSP installed).
	GOSTTLS bool
	// DataDir is the user-data directory (Chromium "User Data", Firefox
	// profiles.ini directory); "" when not found.
	DataDir  string
	Profiles []Profile
	// Capped is set when there were more profiles than Limits.MaxProfiles.
	Capped bool
	// Errors are problems reading single items (permission denied …).
	Errors []string
}

// Present reports whether the browser is installed or has user data.
func (b *Browser) Present() bool { return b.Installed || len(b.Profiles) > 0 }

// HasExtension reports whether any profile has one of the extension IDs.
func (b *Browser) HasExtension(ids ...string) bool {
	for _, p := range b.Profiles {
		if p.HasExtension(ids...) {
			return true
		}
	}
	return false
}

// Profile is one browser profile.
type Profile struct {
	Name string // "Default", "Profile 1", Firefox profile name
	Path string
	// Extensions are the IDs of installed extensions (directory names of
	// Chromium's Extensions folder, Firefox add-on IDs).
	Extensions []string
	CacheDirs  []CacheDir
}

// HasExtension reports whether the profile has one of the extension IDs.
func (p *Profile) HasExtension(ids ...string) bool {
	for _, e := range p.Extensions {
		for _, id := range ids {
			if strings.EqualFold(e, id) {
				return true
			}
		}
	}
	return false
}

// CacheDir is the measured HTTP cache of a profile.
type CacheDir struct {
	Path      string
	Exists    bool
	Size      int64 // bytes in the files seen (at least, when Capped)
	Files     int
	NewestMod time.Time
	OldestMod time.Time
	// Capped: the walk stopped at a limit, so Size and Files are lower bounds.
	Capped bool
}

// Limits bound the work of Discover.
type Limits struct {
	MaxProfiles     int // profiles per browser
	MaxCacheEntries int // directory entries visited per cache directory
	MaxCacheDepth   int // directory levels below a cache directory
	// SkipCaches turns off cache measurement.
	SkipCaches bool
}

// DefaultLimits keep discovery fast on any home directory.
var DefaultLimits = Limits{MaxProfiles: 20, MaxCacheEntries: 20000, MaxCacheDepth: 3}

// Discover finds the browsers with DefaultLimits.
func Discover(ctx context.Context, h host.Host) ([]Browser, error) {
	return DiscoverWith(ctx, h, DefaultLimits)
}

// DiscoverWith finds the browsers of the workstation's user. Only browsers
// that are Present are returned, in a fixed order. An error means the host
// could not answer (a snapshot that did not record a path); absence is never
// an error.
func DiscoverWith(ctx context.Context, h host.Host, lim Limits) ([]Browser, error) {
	if lim.MaxProfiles <= 0 {
		lim.MaxProfiles = DefaultLimits.MaxProfiles
	}
	if lim.MaxCacheEntries <= 0 {
		lim.MaxCacheEntries = DefaultLimits.MaxCacheEntries
	}
	if lim.MaxCacheDepth <= 0 {
		lim.MaxCacheDepth = DefaultLimits.MaxCacheDepth
	}
	d := &discoverer{h: h, lim: lim, os: h.Facts().OS}
	var specs []spec
	switch d.os {
	case "windows":
		specs = windowsSpecs(h)
	case "linux":
		specs = linuxSpecs(h.Facts().Home)
	default:
		return nil, nil
	}
	var out []Browser
	for _, s := range specs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := d.browser(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("discover %s: %w", s.name, err)
		}
		if b.Present() {
			out = append(out, b)
		}
	}
	return out, nil
}

// Probes lists, per browser ID, the paths Discover looks at first for a
// browser on this host: the candidate executables and the user-data
// directory. Test fixtures use it to describe a machine without a browser.
func Probes(h host.Host) map[string][]string {
	var specs []spec
	switch h.Facts().OS {
	case "windows":
		specs = windowsSpecs(h)
	case "linux":
		specs = linuxSpecs(h.Facts().Home)
	}
	out := map[string][]string{}
	for _, s := range specs {
		paths := append([]string(nil), s.installs...)
		if s.dataDir != "" {
			paths = append(paths, s.dataDir)
		}
		out[s.id] = paths
	}
	return out
}

// spec says where one browser lives on one OS.
type spec struct {
	id, name, family string
	gost             bool
	installs         []string // candidate executables
	dataDir          string   // Chromium "User Data" / Firefox profiles.ini dir / IE: none
	// cacheRoot, when set, holds per-profile caches outside the data dir
	// (Linux ~/.cache/<browser>); "" means <profile>/Cache.
	cacheRoot string
	// ieCache is the single cache directory of Internet Explorer.
	ieCache string
	sep     string
}

type discoverer struct {
	h   host.Host
	lim Limits
	os  string
}

func (d *discoverer) join(s spec, parts ...string) string {
	return strings.Join(parts, s.sep)
}

// soft sorts an error: nil for absence, the error itself when the host
// could not answer, and "" plus a recorded message for per-item problems.
func soft(b *Browser, err error) error {
	switch {
	case err == nil, errors.Is(err, host.ErrFileNotFound):
		return nil
	case errors.Is(err, host.ErrNotRecorded), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	b.Errors = append(b.Errors, err.Error())
	return nil
}

func (d *discoverer) browser(ctx context.Context, s spec) (Browser, error) {
	b := Browser{ID: s.id, Name: s.name, Family: s.family, GOSTTLS: s.gost}
	for _, p := range s.installs {
		fi, err := d.h.Stat(ctx, p)
		if err != nil {
			if err := soft(&b, err); err != nil {
				return b, err
			}
			continue
		}
		if fi.Exists && !fi.IsDir {
			b.Installed, b.InstallPath = true, p
			break
		}
	}
	var err error
	switch s.family {
	case FamilyChromium:
		err = d.chromiumProfiles(ctx, s, &b)
	case FamilyFirefox:
		err = d.firefoxProfiles(ctx, s, &b)
	case FamilyIE:
		if b.Installed && s.ieCache != "" {
			p := Profile{Name: "Default", Path: s.ieCache}
			if !d.lim.SkipCaches {
				c, err := d.measure(ctx, &b, s.ieCache)
				if err != nil {
					return b, err
				}
				p.CacheDirs = append(p.CacheDirs, c)
			}
			b.Profiles = append(b.Profiles, p)
		}
	}
	return b, err
}

func isChromiumProfileDir(name string) bool {
	return name == "Default" || strings.HasPrefix(name, "Profile ")
}

func (d *discoverer) chromiumProfiles(ctx context.Context, s spec, b *Browser) error {
	entries, err := d.h.ReadDir(ctx, s.dataDir)
	if err != nil {
		return soft(b, err)
	}
	b.DataDir = s.dataDir
	for _, e := range entries {
		if !e.IsDir || !isChromiumProfileDir(e.Name) {
			continue
		}
		if len(b.Profiles) >= d.lim.MaxProfiles {
			b.Capped = true
			break
		}
		p := Profile{Name: e.Name, Path: d.join(s, s.dataDir, e.Name)}
		exts, err := d.h.ReadDir(ctx, d.join(s, p.Path, "Extensions"))
		if err := soft(b, err); err != nil {
			return err
		}
		for _, x := range exts {
			if x.IsDir && !strings.HasPrefix(x.Name, ".") && x.Name != "Temp" {
				p.Extensions = append(p.Extensions, x.Name)
			}
		}
		if !d.lim.SkipCaches {
			cache := d.join(s, p.Path, "Cache")
			if s.cacheRoot != "" {
				cache = d.join(s, s.cacheRoot, e.Name, "Cache")
			}
			c, err := d.measure(ctx, b, cache)
			if err != nil {
				return err
			}
			p.CacheDirs = append(p.CacheDirs, c)
		}
		b.Profiles = append(b.Profiles, p)
	}
	return nil
}

func (d *discoverer) firefoxProfiles(ctx context.Context, s spec, b *Browser) error {
	ini := d.join(s, s.dataDir, "profiles.ini")
	data, err := d.h.ReadFile(ctx, ini, 1<<20)
	if err != nil {
		return soft(b, err)
	}
	b.DataDir = s.dataDir
	profiles, err := ParseProfilesINI(data)
	if err != nil {
		b.Errors = append(b.Errors, fmt.Sprintf("parse %s: %v", ini, err))
		return nil
	}
	for _, fp := range profiles {
		if len(b.Profiles) >= d.lim.MaxProfiles {
			b.Capped = true
			break
		}
		rel := strings.ReplaceAll(fp.Path, "/", s.sep)
		if s.sep == "/" {
			rel = fp.Path
		}
		dir := rel
		if fp.IsRelative {
			dir = d.join(s, s.dataDir, rel)
		}
		p := Profile{Name: fp.Name, Path: dir}
		exts, err := d.h.ReadDir(ctx, d.join(s, dir, "extensions"))
		if err := soft(b, err); err != nil {
			return err
		}
		for _, x := range exts {
			id := x.Name
			if !x.IsDir {
				if !strings.HasSuffix(id, ".xpi") {
					continue
				}
				id = strings.TrimSuffix(id, ".xpi")
			}
			p.Extensions = append(p.Extensions, id)
		}
		if !d.lim.SkipCaches && s.cacheRoot != "" && fp.IsRelative {
			// The cache mirrors the profile's relative path under the cache
			// root (Linux ~/.cache/mozilla/firefox/<dir>, Windows
			// %LOCALAPPDATA%\Mozilla\Firefox\Profiles\<dir>).
			c, err := d.measure(ctx, b, d.join(s, s.cacheRoot, rel, "cache2"))
			if err != nil {
				return err
			}
			p.CacheDirs = append(p.CacheDirs, c)
		}
		b.Profiles = append(b.Profiles, p)
	}
	return nil
}

// measure walks a cache directory within the limits.
func (d *discoverer) measure(ctx context.Context, b *Browser, dir string) (CacheDir, error) {
	c := CacheDir{Path: dir}
	budget := d.lim.MaxCacheEntries
	var walk func(p string, depth int) error
	walk = func(p string, depth int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := d.h.ReadDir(ctx, p)
		if err != nil {
			return soft(b, err)
		}
		if depth == 0 {
			c.Exists = true
		}
		for _, e := range entries {
			if budget <= 0 {
				c.Capped = true
				return nil
			}
			budget--
			if e.IsDir {
				if depth+1 > d.lim.MaxCacheDepth {
					c.Capped = true
					continue
				}
				if err := walk(e.Path, depth+1); err != nil {
					return err
				}
				continue
			}
			c.Files++
			c.Size += e.Size
			if !e.ModTime.IsZero() {
				if c.NewestMod.IsZero() || e.ModTime.After(c.NewestMod) {
					c.NewestMod = e.ModTime
				}
				if c.OldestMod.IsZero() || e.ModTime.Before(c.OldestMod) {
					c.OldestMod = e.ModTime
				}
			}
		}
		return nil
	}
	err := walk(dir, 0)
	return c, err
}
