// Package csp is the csp check: CryptoPro CSP installed, which build and
// class, registered in CryptoAPI, and not fighting with another CSP.
//
// It also exports Detect, which the csp-license and plugin checks use to
// find the installation.
package csp

import (
	"context"
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
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// BadBuild is a CSP build with a known problem.
type BadBuild struct {
	Build string `json:"build"`
	Note  string `json:"note"` // shown as is
}

// Config of the csp check (checks.csp).
type Config struct {
	// MinBuild is the oldest acceptable build for every site ("" = none);
	// a site's own min_csp_build is checked as well.
	MinBuild string `json:"min_build"`
	// MinBuildGOSTTLS is the oldest build believed to do GOST TLS with
	// current browsers (field reports: CSP 4.0 fails with Chromium ≥ 90
	// and on Windows 11); used when a selected site needs GOST TLS.
	MinBuildGOSTTLS string `json:"min_build_gost_tls"`
	// KnownBadBuilds are builds with known problems. No public source
	// documents one, so the default list is empty.
	KnownBadBuilds []BadBuild `json:"known_bad_builds"`
	// IgnoreProviders are CryptoAPI provider names (substrings) that are not
	// reported as possible conflicts (smart-card vendors' CSPs …).
	IgnoreProviders []string `json:"ignore_providers"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() *Config {
	return &Config{MinBuildGOSTTLS: "5.0", KnownBadBuilds: []BadBuild{}, IgnoreProviders: []string{}}
}

// Check is the csp check.
var Check = &doctor.Check{
	ID:        "csp",
	Title:     i18n.T("check.csp.title"),
	Doc:       i18n.T("check.csp.doc"),
	OS:        []string{"windows", "linux"},
	NewConfig: func() any { return DefaultConfig() },
	Run:       run,
}

// Product codes (packed MSI GUIDs) of CryptoPro CSP, newest first.
var ProductCodes = []struct{ Version, Code string }{
	{"5.0", "08F19F05793DC7340B8C2621D83E5BE5"},
	{"4.0", "7AB5E7046046FB044ACD63458B5F481C"},
	{"3.9", "68A52D936E5ACF24C9F8FE4A1C830BC8"},
	{"3.6", "05480A45343B0B0429E4860F13549069"},
}

// InstallPropertiesKey is where MSI keeps the properties of a product.
func InstallPropertiesKey(code string) string {
	return `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\` + code + `\InstallProperties`
}

// ProviderKey lists the CryptoAPI providers.
const ProviderKey = `HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider`

// Provider names of CryptoPro CSP by type.
var Providers = map[int]string{
	75: "Crypto-Pro GOST R 34.10-2001 Cryptographic Service Provider",
	80: "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider",
	81: "Crypto-Pro GOST R 34.10-2012 Strong Cryptographic Service Provider",
}

// Install describes a CryptoPro CSP installation.
type Install struct {
	Installed bool
	Build     string // "5.0.12455"; "" when unknown
	Kernel    string
	Class     string // KC1, KC2
	// Where says how it was found: a registry key or a tool path.
	Where string
	// Serial is the licence serial from the MSI properties (Windows).
	Serial string
	// Dir is the CSP program directory (Windows) or the bin directory (Linux).
	Dir string
	// SbinDir is where cpconfig lives (Linux).
	SbinDir string
	// Tool is the csptest used for the version, when it was run.
	Tool string
	// ToolLine is the first line csptest printed when it could not be parsed.
	ToolLine string
	// Package is the Linux package version of lsb-cprocsp-base.
	Package string
	// NoExec is set when csptest could not be asked because the host runs
	// no programs (--root): the version then comes from the package
	// database, or is not determinable.
	NoExec bool
	// PackageError says why the package database gave no version (an RPM
	// database, no dpkg status file).
	PackageError string
}

// Detect finds CryptoPro CSP on the host. An error means the host could not
// answer; "not installed" is Install{Installed: false}.
func Detect(ctx context.Context, h host.Host) (Install, error) {
	switch h.Facts().OS {
	case "windows":
		return detectWindows(ctx, h)
	case "linux":
		return detectLinux(ctx, h)
	}
	return Install{}, nil
}

func detectWindows(ctx context.Context, h host.Host) (Install, error) {
	var in Install
	for _, pc := range ProductCodes {
		k, err := h.RegistryKey(ctx, InstallPropertiesKey(pc.Code), host.RegViewDefault)
		if err != nil {
			return in, fmt.Errorf("read CSP install properties: %w", err)
		}
		if !k.Exists {
			continue
		}
		in.Installed, in.Where = true, k.Path
		if v, ok := k.Value("DisplayVersion"); ok {
			in.Build = strings.TrimSpace(v.Text())
		}
		if v, ok := k.Value("ProductID"); ok {
			in.Serial = strings.TrimSpace(v.Text())
		}
		if v, ok := k.Value("InstallLocation"); ok {
			in.Dir = strings.TrimRight(strings.TrimSpace(v.Text()), `\`)
		}
		break
	}
	if !in.Installed {
		for _, view := range []host.RegView{host.RegView64, host.RegView32} {
			k, err := h.RegistryKey(ctx, `HKLM\SOFTWARE\Crypto Pro`, view)
			if err != nil {
				return in, fmt.Errorf("read CryptoPro vendor key: %w", err)
			}
			if k.Exists && (k.HasSubKey("Cryptography") || k.HasSubKey("Settings")) {
				in.Installed, in.Where = true, k.Path
				break
			}
		}
	}
	if !in.Installed {
		return in, nil
	}
	if in.Dir == "" {
		in.Dir = browsers.WinEnv(h, "ProgramFiles") + `\Crypto Pro\CSP`
	}
	tool := in.Dir + `\csptest.exe`
	fi, err := h.Stat(ctx, tool)
	if err != nil {
		return in, fmt.Errorf("look for csptest: %w", err)
	}
	if fi.Exists {
		if err := runCsptest(ctx, h, tool, &in); err != nil {
			return in, err
		}
	}
	return in, nil
}

func runCsptest(ctx context.Context, h host.Host, tool string, in *Install) error {
	res, err := h.Run(ctx, host.Command{Argv: []string{tool, "-keyset", "-verifycontext"}})
	if err != nil {
		if errors.Is(err, host.ErrCommandNotFound) {
			return nil
		}
		if errors.Is(err, host.ErrNoExec) {
			in.NoExec = true
			buildFromPackage(ctx, h, in)
			return nil
		}
		if platform.Unanswered(err) {
			return fmt.Errorf("run csptest: %w", err)
		}
		in.ToolLine = err.Error()
		return nil
	}
	in.Tool = tool
	v, perr := cprocsp.ParseVersion(append(append([]byte(nil), res.Stdout...), res.Stderr...))
	if perr != nil {
		in.ToolLine = platform.FirstLine(cprocsp.DecodeText(res.Stdout) + "\n" + cprocsp.DecodeText(res.Stderr))
		return nil
	}
	in.Build, in.Kernel, in.Class = v.Build, v.Kernel, v.Class
	return nil
}

func detectLinux(ctx context.Context, h host.Host) (Install, error) {
	arch := cprocsp.ArchDir(h.Facts().Arch)
	in := Install{Dir: cprocsp.BinDir(arch), SbinDir: cprocsp.SbinDir(arch)}
	tool := in.Dir + "/csptest"
	fi, err := h.Stat(ctx, tool)
	if err != nil {
		return in, fmt.Errorf("look for csptest: %w", err)
	}
	pkg, err := platform.PackageVersion(ctx, h, BasePackage)
	if err != nil && !errors.Is(err, host.ErrNoExec) {
		return in, err
	}
	if err != nil {
		in.PackageError = err.Error()
	} else if pkg == "" {
		in.PackageError = BasePackage + ": not installed according to " + platform.DpkgStatus
	}
	in.Package = pkg
	if !fi.Exists {
		in.Installed = pkg != ""
		if in.Installed {
			in.Where = "lsb-cprocsp-base"
		}
		return in, nil
	}
	in.Installed, in.Where = true, tool
	return in, runCsptest(ctx, h, tool, &in)
}

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg := pass.Config.(*Config)
	f := pass.Host.Facts()
	in, err := Detect(ctx, pass.Host)
	if err != nil {
		return err
	}
	if !in.Installed {
		pass.Report(notInstalled(f, pass.Options.Profiles))
		return nil
	}
	if in.Build == "" && in.NoExec {
		// A mounted disk: not a problem of the workstation, a limit of
		// what can be read from it.
		pass.Summary(i18n.T("csp.summary.mounted"))
		pass.Note(i18n.T("csp.note.mounted", BasePackage, in.PackageError, versionCommand(f, in)))
	} else if in.Build == "" {
		pass.Summary(i18n.T("csp.summary.unknown-version"))
		line := in.ToolLine
		if line == "" {
			line = "-"
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "csp.version-unknown",
			Message:  i18n.T("csp.version-unknown", in.Where, line),
			Hint:     i18n.T("csp.version-unknown.hint"),
			Commands: []string{versionCommand(f, in)},
			Subject:  in.Where,
		})
	} else {
		class := in.Class
		if class == "" {
			class = "-"
			pass.Summary(i18n.Raw(in.Build))
		} else {
			pass.Summary(i18n.T("csp.summary", in.Build, class))
		}
		pass.Note(i18n.T("csp.note.found", in.Build, class, in.Where))
		if in.NoExec {
			pass.Note(i18n.T("csp.note.mounted-package", platform.DpkgStatus, BasePackage, in.Package))
		}
		checkBuild(pass, cfg, f, in)
	}
	if in.Package != "" {
		pass.Note(i18n.T("csp.note.package", "lsb-cprocsp-base", in.Package))
	}
	if f.OS == "windows" {
		return checkProviders(ctx, pass, cfg, in)
	}
	return nil
}

// BasePackage is the package of CryptoPro CSP for Linux whose version is
// the CSP build ("5.0.12455-6" for 5.0.12455).
const BasePackage = "lsb-cprocsp-base"

// classPackages name the KC1 and KC2 packages of CSP for Linux (64-bit
// and 32-bit builds).
var classPackages = []struct{ class, pkg string }{
	{"KC1", "lsb-cprocsp-kc1-64"}, {"KC2", "lsb-cprocsp-kc2-64"},
	{"KC1", "lsb-cprocsp-kc1"}, {"KC2", "lsb-cprocsp-kc2"},
}

// buildFromPackage fills the build (and class) from the package database
// when csptest cannot be asked (--root).
func buildFromPackage(ctx context.Context, h host.Host, in *Install) {
	if in.Package == "" {
		return
	}
	build := in.Package
	if i := strings.LastIndexByte(build, '-'); i > 0 {
		build = build[:i] // the Debian revision
	}
	if i := strings.IndexByte(build, ':'); i >= 0 {
		build = build[i+1:] // an epoch
	}
	in.Build, in.Where = build, platform.DpkgStatus+" ("+BasePackage+")"
	for _, c := range classPackages {
		if v, err := platform.PackageVersion(ctx, h, c.pkg); err == nil && v != "" {
			in.Class = c.class
			break
		}
	}
}

func versionCommand(f host.Facts, in Install) string {
	if f.OS == "windows" {
		return `"` + in.Dir + `\csptest.exe" -keyset -verifycontext`
	}
	return in.Dir + "/csptest -keyset -verifycontext"
}

// DownloadURL is CryptoPro's download page (registration required).
const DownloadURL = "https://www.cryptopro.ru/products/csp/downloads"

// InstallCommands are the commands that install CryptoPro CSP from the
// distribution downloaded from cryptopro.ru.
func InstallCommands(f host.Facts) []string {
	if f.OS == "windows" {
		return []string{`CryptoProCSP.exe -gm2 -lang rus -kc kc1 -silent -noreboot -nodlg -args "/qb"`}
	}
	arch := cprocsp.ArchDir(f.Arch)
	dir := "linux-" + arch + "_deb"
	if platform.UsesRPM(f) {
		dir = "linux-" + arch
	}
	return []string{"tar xzf " + dir + ".tgz", "cd " + dir, "sudo ./install.sh"}
}

func notInstalled(f host.Facts, sites []*profile.Site) doctor.Finding {
	where := ProviderKey
	hint := i18n.T("csp.not-installed.hint.windows")
	if f.OS == "linux" {
		where = cprocsp.BinDir(cprocsp.ArchDir(f.Arch)) + "/csptest"
		hint = i18n.T("csp.not-installed.hint.linux")
	}
	return doctor.Finding{
		Severity: doctor.Fail, Code: "csp.not-installed",
		Message:  i18n.T("csp.not-installed", where),
		Hint:     hint,
		Commands: InstallCommands(f),
		URL:      DownloadURL,
		Subject:  where,
	}
}

func checkBuild(pass *doctor.Pass, cfg *Config, f host.Facts, in Install) {
	upgrade := func(code string, sev doctor.Severity, msg i18n.Text) {
		pass.Report(doctor.Finding{
			Severity: sev, Code: code, Message: msg,
			Hint:     i18n.T("csp.upgrade.hint"),
			Commands: InstallCommands(f),
			URL:      DownloadURL,
			Subject:  in.Where,
		})
	}
	for _, s := range pass.Options.Profiles {
		if s.MinCSPBuild != "" && cprocsp.CompareBuild(in.Build, s.MinCSPBuild) < 0 {
			upgrade("csp.too-old-for-site", doctor.Fail, i18n.T("csp.too-old-for-site", in.Build, s.MinCSPBuild, i18n.Pair(s.NameRU, s.NameEN)))
		}
	}
	if cfg.MinBuild != "" && cprocsp.CompareBuild(in.Build, cfg.MinBuild) < 0 {
		upgrade("csp.too-old", doctor.Warn, i18n.T("csp.too-old", in.Build, cfg.MinBuild))
	}
	if cfg.MinBuildGOSTTLS != "" && profile.AnyNeeds(pass.Options.Profiles, profile.NeedGOSTTLS) &&
		cprocsp.CompareBuild(in.Build, cfg.MinBuildGOSTTLS) < 0 {
		upgrade("csp.old-for-gost-tls", doctor.Warn, i18n.T("csp.old-for-gost-tls", in.Build, cfg.MinBuildGOSTTLS))
	}
	for _, b := range cfg.KnownBadBuilds {
		if b.Build != "" && cprocsp.CompareBuild(in.Build, b.Build) == 0 {
			upgrade("csp.known-problem-build", doctor.Warn, i18n.T("csp.known-problem-build", in.Build, b.Note))
		}
	}
}

func checkProviders(ctx context.Context, pass *doctor.Pass, cfg *Config, in Install) error {
	k, err := pass.Host.RegistryKey(ctx, ProviderKey, host.RegViewDefault)
	if err != nil {
		return fmt.Errorf("read CryptoAPI providers: %w", err)
	}
	if k.Error != "" {
		pass.Note(i18n.T("csp.note.providers-unread", ProviderKey, k.Error))
		return nil
	}
	var missing []string
	for _, t := range []int{80, 81} {
		if !k.HasSubKey(Providers[t]) {
			missing = append(missing, Providers[t])
		}
	}
	if len(missing) > 0 {
		pass.Report(doctor.Finding{
			Severity: doctor.Fail, Code: "csp.provider-not-registered",
			Message:  i18n.T("csp.provider-not-registered", strings.Join(missing, "; "), ProviderKey),
			Hint:     i18n.T("csp.provider-not-registered.hint"),
			Commands: InstallCommands(pass.Host.Facts()),
			URL:      DownloadURL,
			Subject:  ProviderKey,
		})
	}
	var others []string
	for _, name := range k.SubKeys {
		if isOwnOrMicrosoft(name) || ignored(name, cfg.IgnoreProviders) {
			continue
		}
		others = append(others, name)
	}
	sort.Strings(others)
	if len(others) > 0 {
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "csp.other-csp",
			Message:  i18n.T("csp.other-csp", strings.Join(others, "; "), ProviderKey),
			Hint:     i18n.T("csp.other-csp.hint"),
			Commands: []string{`reg query "` + ProviderKey + `"`, "appwiz.cpl"},
			Subject:  ProviderKey,
		})
	}
	return nil
}

func isOwnOrMicrosoft(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "microsoft") || strings.HasPrefix(l, "crypto-pro") || strings.HasPrefix(l, "cryptopro")
}

func ignored(name string, list []string) bool {
	l := strings.ToLower(name)
	for _, s := range list {
		if s != "" && strings.Contains(l, strings.ToLower(s)) {
			return true
		}
	}
	return false
}
