// Package winetest runs the real windows/amd64 gmu-doctor under Wine
// against simulated workstations: one Wine prefix per workstation, cloned
// from a template, with the registry (CryptoPro CSP, CAPICOM, IE zones,
// certificate stores) planted from a UTF-16 .reg file and fake files under
// drive_c. The tests are ordinary Go tests (wine_test.go); this file is the
// harness, regfile.go writes .reg files and certificate Blobs, fwddll.go
// the bcryptprimitives.dll forwarder that Go ≥ 1.22 needs on Wine 8.
//
// Rules the harness follows (each one cost a failure when broken): one
// private TMPDIR for every command on a prefix (Debian's wine keeps its
// server socket there), no DISPLAY, WINEDEBUG=-all, Mono/Gecko and
// winemenubuilder disabled, stdout/stderr to files and stdin from
// /dev/null (never a tty), `wineserver -k` before the prefix is copied or
// removed. A windows/386 exe under a wine64-only install exits 0 without
// running, so results are trusted only when the program's own output is
// there.
package winetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Wine runs wine commands with a controlled environment. Dir holds the
// template prefix, the clones, the private TMPDIR and HOME.
type Wine struct {
	Dir              string
	wine, wineserver string
}

// wineCandidates are where the wine loader and the wineserver live: on PATH
// (Debian's wine package adds the /usr/bin names), or in the wine64 and
// libwine packages themselves (installed with --no-install-recommends).
var wineCandidates = [][]string{
	{"wine", "/usr/lib/wine/wine64"},
	{"wineserver", "/usr/lib/wine/wineserver64", "/usr/lib/wine/wineserver"},
}

// FindWine returns the wine loader and the wineserver.
func FindWine() (wine, wineserver string, err error) {
	var found [2]string
	for i, names := range wineCandidates {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				found[i] = p
				break
			}
		}
		if found[i] == "" {
			return "", "", fmt.Errorf("find %s: not on PATH nor in /usr/lib/wine (Debian package wine64)", names[0])
		}
	}
	return found[0], found[1], nil
}

// NewWine finds the wine tools and prepares dir.
func NewWine(dir string) (*Wine, error) {
	wine, wineserver, err := FindWine()
	if err != nil {
		return nil, err
	}
	w := &Wine{Dir: dir, wine: wine, wineserver: wineserver}
	for _, d := range []string{"tmp", "home"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("prepare wine work dir: %w", err)
		}
	}
	return w, nil
}

// env is the environment of every wine process on prefix.
func (w *Wine) env(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name := kv
		if i := strings.IndexByte(kv, '='); i >= 0 {
			name = kv[:i]
		}
		switch {
		case name == "DISPLAY", name == "WAYLAND_DISPLAY", name == "TMPDIR", name == "HOME",
			name == "LANG", name == "LANGUAGE", strings.HasPrefix(name, "LC_"), strings.HasPrefix(name, "WINE"):
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"WINEPREFIX="+prefix,
		"WINESERVER="+w.wineserver,
		"WINEARCH=win64",
		"WINEDEBUG=-all",
		// Tests talk to loopback only: the online checks (sites,
		// revocation) of a live run under Wine must not reach real hosts.
		"GMU_DOCTOR_OFFLINE=true",
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
		"TMPDIR="+filepath.Join(w.Dir, "tmp"),
		"HOME="+filepath.Join(w.Dir, "home"),
		"LC_ALL=C.UTF-8",
	)
}

// Result is how a wine command ended.
type Result struct {
	Stdout, Stderr []byte
	ExitCode       int
	Elapsed        time.Duration
}

// exec runs one command on prefix with stdout and stderr going to files
// (a pipe would keep the caller waiting for the wineserver that inherits
// it) and stdin from /dev/null.
func (w *Wine) exec(ctx context.Context, prefix string, extraEnv []string, timeout time.Duration, name string, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	outF, err := os.CreateTemp(filepath.Join(w.Dir, "tmp"), "out-*")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(outF.Name())
	defer outF.Close()
	errF, err := os.CreateTemp(filepath.Join(w.Dir, "tmp"), "err-*")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(errF.Name())
	defer errF.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(w.env(prefix), extraEnv...)
	cmd.Dir = w.Dir
	cmd.Stdout, cmd.Stderr = outF, errF
	start := time.Now()
	err = cmd.Run()
	res := Result{Elapsed: time.Since(start)}
	res.Stdout, _ = os.ReadFile(outF.Name())
	res.Stderr, _ = os.ReadFile(errF.Name())
	if ctx.Err() == context.DeadlineExceeded {
		return res, fmt.Errorf("run %s %s: timed out after %s", filepath.Base(name), strings.Join(args, " "), timeout)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("run %s: %w", filepath.Base(name), err)
	}
	return res, nil
}

// MakeTemplate creates the template prefix: wineboot, the given files
// (relative to the prefix, e.g. "drive_c/windows/system32/x.dll"), Windows
// 10 as the reported version (Wine 8 defaults to Windows 7), then stops
// the wineserver so that the hives are on disk.
func (w *Wine) MakeTemplate(ctx context.Context, files map[string][]byte) (string, error) {
	p := filepath.Join(w.Dir, "template")
	if err := os.RemoveAll(p); err != nil {
		return "", err
	}
	res, err := w.exec(ctx, p, nil, 3*time.Minute, w.wine, "wineboot", "-i")
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("wineboot -i: exit code %d: %s", res.ExitCode, tail(res.Stderr))
	}
	if err != nil {
		return "", err
	}
	for rel, data := range files {
		if err := os.WriteFile(filepath.Join(p, filepath.FromSlash(rel)), data, 0o644); err != nil {
			return "", fmt.Errorf("install %s into template prefix: %w", rel, err)
		}
	}
	res, err = w.exec(ctx, p, nil, time.Minute, w.wine, "winecfg", "-v", "win10")
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("winecfg -v win10: exit code %d: %s", res.ExitCode, tail(res.Stderr))
	}
	if err != nil {
		return "", err
	}
	w.kill(p)
	return p, nil
}

// kill stops the prefix's wineserver; SIGINT-style -k saves the hives.
func (w *Wine) kill(prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = w.exec(ctx, prefix, nil, 30*time.Second, w.wineserver, "-k")
}

// Prefix is one simulated workstation.
type Prefix struct {
	w   *Wine
	Dir string
	// Env is added to the environment of the programs run on the prefix
	// (e.g. a Russian locale; see RussianLocale).
	Env []string
	// serverUp: a persistent wineserver runs for this prefix (see Run).
	serverUp bool
}

// hives are the registry files wineserver rewrites: copied, never linked.
var hives = []string{"system.reg", "user.reg", "userdef.reg"}

// Clone makes a new prefix from the template with `cp -al` (Wine never
// rewrites its DLLs in place, so hard links are safe and save ~700 MB per
// prefix) and real copies of the hives.
func (w *Wine) Clone(ctx context.Context, template, name string) (*Prefix, error) {
	dst := filepath.Join(w.Dir, "pfx-"+name)
	if err := os.RemoveAll(dst); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, "cp", "-al", template, dst).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("clone prefix: %v: %s", err, out)
	}
	for _, h := range hives {
		data, err := os.ReadFile(filepath.Join(template, h))
		if err != nil {
			return nil, fmt.Errorf("clone prefix: %w", err)
		}
		f := filepath.Join(dst, h)
		if err := os.Remove(f); err != nil {
			return nil, fmt.Errorf("clone prefix: %w", err)
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			return nil, fmt.Errorf("clone prefix: %w", err)
		}
	}
	return &Prefix{w: w, Dir: dst}, nil
}

// Run runs a Windows program (a host path to an .exe, or a Wine builtin
// such as "reg") with arguments.
//
// Before the first program a persistent wineserver (-p) is started for the
// prefix. A workstation runs several programs one after another, and a
// normal wineserver exits about three seconds after its last client: on a
// loaded machine the next program could connect just as it shuts down and
// fail with "wine client error … Connection reset by peer". Close stops
// the server with -k, which also saves the hives.
func (p *Prefix) Run(ctx context.Context, timeout time.Duration, exe string, args ...string) (Result, error) {
	if !p.serverUp {
		res, err := p.w.exec(ctx, p.Dir, p.Env, time.Minute, p.w.wineserver, "-p")
		if err == nil && res.ExitCode != 0 {
			err = fmt.Errorf("wineserver -p: exit code %d: %s", res.ExitCode, tail(res.Stderr))
		}
		if err != nil {
			return Result{}, fmt.Errorf("start the wineserver of %s: %w", filepath.Base(p.Dir), err)
		}
		p.serverUp = true
	}
	return p.w.exec(ctx, p.Dir, p.Env, timeout, p.w.wine, append([]string{exe}, args...)...)
}

// Import loads a .reg file into the prefix's registry.
func (p *Prefix) Import(ctx context.Context, reg *RegFile) error {
	f := filepath.Join(p.Dir, "workstation.reg")
	if err := os.WriteFile(f, reg.Bytes(), 0o644); err != nil {
		return err
	}
	res, err := p.Run(ctx, time.Minute, "reg", "import", HostPath(f))
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("reg import: exit code %d: %s%s", res.ExitCode, tail(res.Stdout), tail(res.Stderr))
	}
	return err
}

// AppendHive adds a key with raw value lines in Wine's hive syntax to a
// hive file (system.reg = HKLM, user.reg = HKCU) of a prefix whose
// wineserver is not running: the way to plant data that `reg import`
// would repair. key is relative to the hive root.
func (p *Prefix) AppendHive(hive, key, lines string) error {
	if p.serverUp {
		return fmt.Errorf("append to hive %s: the prefix's wineserver is running and would overwrite it", hive)
	}
	f, err := os.OpenFile(filepath.Join(p.Dir, hive), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("append to hive %s: %w", hive, err)
	}
	_, err = fmt.Fprintf(f, "\n[%s] 1700000000\n%s\n", strings.ReplaceAll(key, `\`, `\\`), lines)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("append to hive %s: %w", hive, err)
	}
	return nil
}

// WriteFile creates a file at a Windows path on drive C: ("C:\Program
// Files\Crypto Pro\CSP\csptest.exe"), matching existing directories case-
// insensitively as Windows would.
func (p *Prefix) WriteFile(winPath string, data []byte) error {
	rest := winPath
	if len(rest) >= 2 && rest[1] == ':' {
		if !strings.EqualFold(rest[:1], "c") {
			return fmt.Errorf("write %s: only drive C: is simulated", winPath)
		}
		rest = rest[2:]
	}
	parts := strings.FieldsFunc(rest, func(r rune) bool { return r == '\\' || r == '/' })
	if len(parts) == 0 {
		return fmt.Errorf("write %s: no file name", winPath)
	}
	dir := filepath.Join(p.Dir, "drive_c")
	for _, part := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, matchName(dir, part))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	last := parts[len(parts)-1]
	return os.WriteFile(filepath.Join(dir, matchName(dir, last)), data, 0o644)
}

// matchName returns the existing entry of dir that equals name ignoring
// case, or name.
func matchName(dir, name string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return name
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return e.Name()
		}
	}
	return name
}

// Environ is the environment every program on the prefix runs with (the
// harness's controlled Wine environment plus Env), for callers that start
// wine themselves (scripts/winescale, the Wine row of bench-scale.sh).
func (p *Prefix) Environ() []string { return append(p.w.env(p.Dir), p.Env...) }

// Tools returns the wine loader and the wineserver the harness uses.
func (w *Wine) Tools() (wine, wineserver string) { return w.wine, w.wineserver }

// Close stops the prefix's wineserver and, unless keep, removes the prefix.
func (p *Prefix) Close(keep bool) {
	p.w.kill(p.Dir)
	p.serverUp = false
	if !keep {
		os.RemoveAll(p.Dir)
	}
}

// RussianLocale compiles ru_RU.UTF-8 into the work dir (no system change)
// and returns the environment that makes Wine behave like a Russian
// Windows: ANSI code page 1251, OEM code page 866. glibc must know the
// locale, or Wine falls back to ASCII. Needs localedef and the ru_RU
// source (package locales).
func (w *Wine) RussianLocale(ctx context.Context) ([]string, error) {
	dir := filepath.Join(w.Dir, "locale")
	target := filepath.Join(dir, "ru_RU.UTF-8")
	if _, err := os.Stat(filepath.Join(target, "LC_CTYPE")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		out, err := exec.CommandContext(ctx, "localedef", "-i", "ru_RU", "-f", "UTF-8", target).CombinedOutput()
		// localedef exits 1 on mere warnings; the result is what counts
		if _, serr := os.Stat(filepath.Join(target, "LC_CTYPE")); serr != nil {
			return nil, fmt.Errorf("compile ru_RU.UTF-8: %v: %s", err, tail(out))
		}
	}
	return []string{"LOCPATH=" + dir, "LC_ALL=ru_RU.UTF-8"}, nil
}

// HostPath is the Windows name of a host file inside Wine (drive Z: maps
// to the host's /).
func HostPath(unix string) string {
	if abs, err := filepath.Abs(unix); err == nil {
		unix = abs
	}
	return `Z:` + strings.ReplaceAll(unix, "/", `\`)
}

func tail(b []byte) string {
	const max = 400
	s := strings.TrimSpace(string(b))
	if len(s) > max {
		s = "…" + s[len(s)-max:]
	}
	return s
}

// GoBuild cross-compiles pkg for windows/goarch into out. toolchain is a
// GOTOOLCHAIN value ("local" for the running go, "go1.20.14" for the
// Windows 7 legacy build).
func GoBuild(ctx context.Context, goTool, dir, toolchain, goarch, pkg, out string) error {
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+goarch, "CGO_ENABLED=0", "GOTOOLCHAIN="+toolchain, "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s (windows/%s, %s): %v: %s", pkg, goarch, toolchain, err, tail(b))
	}
	return nil
}
