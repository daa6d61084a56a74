// Package ossupport is the os-support check: which operating system the
// workstation runs, and whether the signing software of the government
// sites can be expected to work on it.
package ossupport

import (
	"context"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Check is the os-support check.
var Check = &doctor.Check{
	ID:    "os-support",
	Title: i18n.T("check.os-support.title"),
	Doc:   i18n.T("check.os-support.doc"),
	Run:   run,
}

// Linux distributions (os-release ID) that CryptoPro CSP for Linux lists as
// supported and that Russian government institutions use.
var knownDistros = map[string]string{
	"astra":    "Astra Linux",
	"redos":    "RED OS",
	"altlinux": "ALT",
	"alt":      "ALT",
}

func run(ctx context.Context, pass *doctor.Pass) error {
	f := pass.Host.Facts()
	pass.Summary(summary(f))
	for _, e := range f.Errors {
		pass.Note(i18n.T("os-support.note.fact-error", e))
	}
	switch f.OS {
	case "windows":
		windows(pass, f)
	case "linux":
		linux(pass, f)
	case "darwin":
		pass.Note(i18n.T("os-support.note.macos"))
	default:
		name := f.OS
		if name == "" {
			name = "?"
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Fail,
			Code:     "os-support.unknown-os",
			Message:  i18n.T("os-support.unknown-os", name),
			Hint:     i18n.T("os-support.unknown-os.hint"),
			Subject:  name,
		})
		return nil
	}
	if is32bit(f.Arch) {
		key := "os-support.32bit-os"
		if f.OS == "windows" {
			key = "os-support.32bit-windows"
		}
		pass.Report(doctor.Finding{
			Severity: doctor.Warn,
			Code:     "os-support.32bit-os",
			Message:  i18n.T(key, archName(f.Arch)),
			Hint:     i18n.T(key + ".hint"),
			Subject:  f.Arch,
		})
	} else if f.ProcessArch != "" && f.Arch != "" && f.ProcessArch != f.Arch {
		pass.Note(i18n.T("os-support.note.wow64", archName(f.ProcessArch), archName(f.Arch)))
	}
	if f.Elevated {
		if f.OS == "windows" {
			pass.Note(i18n.T("os-support.note.elevated-windows", f.User))
		} else {
			pass.Note(i18n.T("os-support.note.root", f.User))
		}
	}
	return nil
}

func windows(pass *doctor.Pass, f host.Facts) {
	major, minor, build, ok := parseWindowsVersion(f.Version)
	if !ok {
		pass.Note(i18n.T("os-support.note.version-unknown", f.Version))
		return
	}
	v := major*100 + minor
	switch {
	case v < 601:
		pass.Report(doctor.Finding{
			Severity: doctor.Fail,
			Code:     "os-support.windows-too-old",
			Message:  i18n.T("os-support.windows-too-old", windowsName(f), f.Version),
			Hint:     i18n.T("os-support.windows-too-old.hint"),
			Subject:  f.Version,
		})
	case v == 601:
		pass.Report(doctor.Finding{
			Severity: doctor.Warn,
			Code:     "os-support.windows7",
			Message:  i18n.T("os-support.windows7", windowsName(f), f.Version),
			Hint:     i18n.T("os-support.windows7.hint"),
			Subject:  f.Version,
		})
	case v < 1000:
		pass.Note(i18n.T("os-support.note.windows8", f.Version))
	}
	if major == 10 && build >= 22000 && strings.Contains(f.ProductName, "Windows 10") {
		pass.Note(i18n.T("os-support.note.windows11-name", f.ProductName, build))
	}
}

func linux(pass *doctor.Pass, f host.Facts) {
	if name, ok := knownDistros[strings.ToLower(f.Distro)]; ok {
		pass.Note(i18n.T("os-support.note.distro-known", name))
		return
	}
	d := f.Distro
	if d == "" {
		d = "?"
	}
	pass.Note(i18n.T("os-support.note.distro-other", d))
}

// summary is "Windows 10 Pro, 10.0.19045.3803, x64".
func summary(f host.Facts) i18n.Text {
	name := f.ProductName
	if f.OS == "windows" {
		name = windowsName(f)
	}
	if name == "" {
		name = f.OS
	}
	version := f.Version
	if f.Build != "" && !strings.HasSuffix(f.Version, f.Build) {
		// Build is "19045.3803"; Version "10.0.19045": show 10.0.19045.3803.
		if i := strings.IndexByte(f.Build, '.'); i > 0 && strings.HasSuffix(f.Version, "."+f.Build[:i]) {
			version = f.Version + f.Build[i:]
		} else {
			version = f.Version + " (" + f.Build + ")"
		}
	}
	arch := archName(f.Arch)
	if f.ProcessArch != "" && f.ProcessArch != f.Arch {
		return i18n.T("os-support.summary.wow64", name, version, arch, archName(f.ProcessArch))
	}
	return i18n.T("os-support.summary", name, version, arch)
}

// windowsName is the product name, corrected for Windows 11, whose
// registry ProductName still says "Windows 10".
func windowsName(f host.Facts) string {
	name := f.ProductName
	if _, _, build, ok := parseWindowsVersion(f.Version); ok && build >= 22000 {
		name = strings.Replace(name, "Windows 10", "Windows 11", 1)
	}
	if name == "" {
		name = "Windows"
	}
	return name
}

// parseWindowsVersion splits "10.0.19045" (or "6.1.7601", "10.0") into
// numbers; build is 0 when absent.
func parseWindowsVersion(v string) (major, minor, build int, ok bool) {
	parts := strings.Split(strings.TrimSpace(v), ".")
	if len(parts) < 2 {
		return 0, 0, 0, false
	}
	nums := make([]int, 3)
	for i := 0; i < len(parts) && i < 3; i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], true
}

func is32bit(arch string) bool {
	switch arch {
	case "386", "arm", "mips", "mipsle":
		return true
	}
	return false
}

// archName names an architecture the way Windows and IT staff do.
func archName(a string) string {
	switch a {
	case "amd64":
		return "x64"
	case "386":
		return "x86"
	case "arm64":
		return "ARM64"
	case "":
		return "?"
	}
	return a
}
