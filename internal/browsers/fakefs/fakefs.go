// Package fakefs builds host.Snapshot values that describe a directory tree,
// a registry and command outputs, for the tests of the browser discovery and
// the platform checks. Directories are recorded with their listings, so that
// code walking the tree through host.Host sees a consistent machine, and
// paths declared Missing make everything below them absent.
package fakefs

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Builder accumulates a fake workstation.
type Builder struct {
	snap  host.Snapshot
	files map[string]*host.SnapFile // by index key
	order []string
	regs  map[string]int
	// entryIdx maps a directory's index key to its entries' positions.
	entryIdx map[string]map[string]int
}

// Default clock of every fixture: 2026-11-20 10:00 UTC.
var Now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// Windows starts a 64-bit Windows 10 workstation of user "ivanov".
func Windows() *Builder {
	b := newBuilder(host.Facts{OS: "windows", Arch: "amd64", Version: "10.0.19045", Hostname: "BUH-01", User: "ivanov", Home: `C:\Users\ivanov`})
	b.Env("LOCALAPPDATA", `C:\Users\ivanov\AppData\Local`).
		Env("APPDATA", `C:\Users\ivanov\AppData\Roaming`).
		Env("ProgramFiles", `C:\Program Files`).
		Env("ProgramFiles(x86)", `C:\Program Files (x86)`).
		Env("SystemRoot", `C:\Windows`)
	return b
}

// Linux starts an amd64 Astra Linux workstation of user "ivanov".
func Linux() *Builder {
	return newBuilder(host.Facts{OS: "linux", Arch: "amd64", Version: "1.7.5", Distro: "astra", Hostname: "astra-01", User: "ivanov", Home: "/home/ivanov"})
}

func newBuilder(f host.Facts) *Builder {
	b := &Builder{files: map[string]*host.SnapFile{}, regs: map[string]int{}, entryIdx: map[string]map[string]int{}}
	b.snap.SnapshotVersion = host.SnapshotVersion
	b.snap.CollectedAt = Now
	b.snap.Facts = f
	b.snap.Env = map[string]*string{}
	return b
}

// Facts lets a test change the facts.
func (b *Builder) Facts(fn func(*host.Facts)) *Builder { fn(&b.snap.Facts); return b }

// Env records an environment variable.
func (b *Builder) Env(name, value string) *Builder {
	v := value
	b.snap.Env[name] = &v
	return b
}

func (b *Builder) sep() string {
	if b.snap.OS == "windows" {
		return `\`
	}
	return "/"
}

func (b *Builder) parent(p string) (string, string) {
	s := b.sep()
	p = strings.TrimRight(p, s)
	i := strings.LastIndex(p, s)
	if i < 0 {
		return "", p
	}
	dir := p[:i]
	if dir == "" {
		dir = "/"
	}
	if s == `\` && len(dir) == 2 && dir[1] == ':' {
		dir += `\`
	}
	return dir, p[i+1:]
}

func (b *Builder) entry(p string) *host.SnapFile {
	k := host.FileIndexKey(b.snap.OS, p)
	if f, ok := b.files[k]; ok {
		return f
	}
	_, name := b.parent(p)
	f := &host.SnapFile{FileInfo: host.FileInfo{Path: p, Name: name}}
	b.files[k] = f
	b.order = append(b.order, k)
	return f
}

// ensureDir makes p and its parents listed directories.
func (b *Builder) ensureDir(p string) *host.SnapFile {
	f := b.entry(p)
	if !f.Exists {
		f.Exists, f.IsDir, f.Listed, f.ModTime = true, true, true, Now.Add(-time.Hour)
		if dir, _ := b.parent(p); dir != "" && dir != p {
			b.link(b.ensureDir(dir), f.FileInfo)
		}
	}
	return f
}

func (b *Builder) link(dir *host.SnapFile, fi host.FileInfo) {
	fi.Path = strings.TrimRight(dir.Path, b.sep()) + b.sep() + fi.Name
	if b.snap.OS != "windows" && dir.Path == "/" {
		fi.Path = "/" + fi.Name
	}
	key := host.FileIndexKey(b.snap.OS, dir.Path)
	names := b.entryIdx[key]
	if names == nil {
		names = map[string]int{}
		b.entryIdx[key] = names
	}
	if i, ok := names[fi.Name]; ok {
		dir.Entries[i] = fi
		return
	}
	names[fi.Name] = len(dir.Entries)
	dir.Entries = append(dir.Entries, fi)
}

// Dir records an (empty unless filled) directory.
func (b *Builder) Dir(p string) *Builder { b.ensureDir(p); return b }

// File records a file with content, modified at mod (zero: an hour ago).
func (b *Builder) File(p, content string, mod ...time.Time) *Builder {
	return b.SizedFile(p, int64(len(content)), content, mod...)
}

// SizedFile records a file whose size differs from its (recorded) content.
func (b *Builder) SizedFile(p string, size int64, content string, mod ...time.Time) *Builder {
	f := b.entry(p)
	f.Exists, f.IsDir, f.Size = true, false, size
	f.Content, f.ContentRead = []byte(content), true
	f.ModTime = Now.Add(-time.Hour)
	if len(mod) > 0 {
		f.ModTime = mod[0]
	}
	dir, _ := b.parent(p)
	b.link(b.ensureDir(dir), f.FileInfo)
	return b
}

// Missing records paths that do not exist (and, by the snapshot rules,
// nothing below them). A path already recorded as existing is kept.
func (b *Builder) Missing(paths ...string) *Builder {
	for _, p := range paths {
		if _, ok := b.files[host.FileIndexKey(b.snap.OS, p)]; ok {
			continue
		}
		b.entry(p)
	}
	return b
}

// NoBrowsers records every browser location browsers.Discover probes as
// missing, except those of the browser IDs given and paths already
// recorded: call it after describing the browsers that exist.
func (b *Builder) NoBrowsers(except ...string) *Builder {
	h := host.NewSnapshotHost(b.Snapshot())
	for id, paths := range browsers.Probes(h) {
		keep := false
		for _, e := range except {
			keep = keep || e == id
		}
		if !keep {
			b.Missing(paths...)
		}
	}
	return b
}

// Sites resolves site profile IDs into run options, failing the test on an
// unknown ID.
func Sites(t testing.TB, ids ...string) doctor.Options {
	t.Helper()
	s, err := profile.Resolve(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doctor.Options{Sites: ids, Profiles: s}
}

// Reg records an existing registry key with values, and its ancestors as
// existing keys that list it.
func (b *Builder) Reg(p string, view host.RegView, values ...host.RegValue) *Builder {
	k := b.ensureKey(p, view)
	k.Values = append(k.Values, values...)
	return b
}

func (b *Builder) ensureKey(p string, view host.RegView) *host.RegKey {
	p = strings.TrimRight(p, `\`)
	i := strings.LastIndexByte(p, '\\')
	if i > 0 {
		par := b.ensureKey(p[:i], view)
		name := p[i+1:]
		found := false
		for _, s := range par.SubKeys {
			found = found || strings.EqualFold(s, name)
		}
		if !found {
			par.SubKeys = append(par.SubKeys, name)
		}
	}
	k := b.key(p, view)
	k.Exists = true
	return k
}

// NoReg records registry keys that do not exist.
func (b *Builder) NoReg(view host.RegView, paths ...string) *Builder {
	for _, p := range paths {
		k := b.key(p, view)
		if len(k.SubKeys) == 0 && len(k.Values) == 0 {
			k.Exists = false
		}
	}
	return b
}

func (b *Builder) key(p string, view host.RegView) *host.RegKey {
	id := host.RegIndexKey(p, view)
	if i, ok := b.regs[id]; ok {
		return &b.snap.Registry[i]
	}
	b.snap.Registry = append(b.snap.Registry, host.RegKey{Path: p, View: view})
	b.regs[id] = len(b.snap.Registry) - 1
	return &b.snap.Registry[len(b.snap.Registry)-1]
}

// Cmd records a command's output.
func (b *Builder) Cmd(stdout string, exit int, argv ...string) *Builder {
	c := host.SnapCommand{Argv: argv, ExitCode: exit}
	c.SetOutput([]byte(stdout), nil)
	b.snap.Commands = append(b.snap.Commands, c)
	return b
}

// NoCmd records a command whose executable does not exist.
func (b *Builder) NoCmd(argv ...string) *Builder {
	b.snap.Commands = append(b.snap.Commands, host.SnapCommand{Argv: argv, NotFound: true})
	return b
}

// Snapshot returns the document.
func (b *Builder) Snapshot() *host.Snapshot {
	s := b.snap
	s.Files = nil
	keys := append([]string(nil), b.order...)
	sort.Strings(keys)
	for _, k := range keys {
		f := *b.files[k]
		f.Entries = append([]host.FileInfo(nil), f.Entries...)
		s.Files = append(s.Files, f)
	}
	return &s
}

// Host returns a host replaying the snapshot.
func (b *Builder) Host() *host.SnapshotHost { return host.NewSnapshotHost(b.Snapshot()) }

// SZ, DWORD and MultiSZ make registry values.
func SZ(name, v string) host.RegValue { return host.RegValue{Name: name, Type: host.RegSZ, String: v} }

// DWORD makes a REG_DWORD value.
func DWORD(name string, v uint64) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegDWORD, Integer: v}
}

// MultiSZ makes a REG_MULTI_SZ value.
func MultiSZ(name string, v ...string) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegMultiSZ, Strings: v}
}
