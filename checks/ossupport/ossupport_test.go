package ossupport

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func fixture(t *testing.T, name string) host.Host {
	t.Helper()
	s, err := host.LoadSnapshotFile(testutil.Testdata(t, "workstations", name))
	if err != nil {
		t.Fatal(err)
	}
	return host.NewSnapshotHost(s)
}

func check(t *testing.T, h host.Host) *doctor.Result {
	t.Helper()
	return doctortest.Run(t, Check, h, doctor.Options{}, nil)
}

func TestFixtures(t *testing.T) {
	for _, tc := range []struct {
		file    string
		status  doctor.Status
		codes   []string
		summary string // in English
	}{
		{"windows10-healthy.json", doctor.StatusOK, nil, "Windows 10 Pro, 10.0.19045.3803, x64"},
		{"broken-clock.json", doctor.StatusOK, nil, "Windows 10 Pro, 10.0.19045.3803, x64"},
		{"windows7-386.json", doctor.StatusWarn, []string{"os-support.windows7", "os-support.32bit-os"}, "Windows 7 Professional, 6.1.7601, x86"},
		{"linux-astra.json", doctor.StatusOK, nil, "Astra Linux 1.7 (Smolensk), 1.7.5, x64"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := check(t, fixture(t, tc.file))
			doctortest.WantStatus(t, res, tc.status)
			if got := strings.Join(doctortest.Codes(res), " "); got != strings.Join(tc.codes, " ") {
				t.Errorf("codes %q, want %q", got, strings.Join(tc.codes, " "))
			}
			if got := res.Summary.In(i18n.EN); got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
		})
	}
}

func TestWindowsVersions(t *testing.T) {
	for _, tc := range []struct {
		name, version, product string
		status                 doctor.Status
		code                   string
		inText                 string
	}{
		{"xp", "5.1.2600", "Windows XP", doctor.StatusFail, "os-support.windows-too-old", "older than Windows 7"},
		{"vista", "6.0.6002", "Windows Vista Business", doctor.StatusFail, "os-support.windows-too-old", "Vista"},
		{"seven", "6.1.7601", "Windows 7 Enterprise", doctor.StatusWarn, "os-support.windows7", "Windows 7 Enterprise (version 6.1.7601, the Windows 7 generation) is legacy"},
		{"server 2008 r2", "6.1.7601", "Windows Server 2008 R2 Standard", doctor.StatusWarn, "os-support.windows7", "Windows Server 2008 R2 Standard (version"},
		{"eight-one", "6.3.9600", "Windows 8.1 Pro", doctor.StatusOK, "", "January 2023"},
		{"ten", "10.0.19045", "Windows 10 Pro", doctor.StatusOK, "", "Windows 10 Pro"},
		{"eleven named ten", "10.0.22631", "Windows 10 Pro", doctor.StatusOK, "", "Windows 11 Pro"},
		{"unparsable", "ten", "Windows", doctor.StatusOK, "", "could not parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := doctortest.Windows().With(func(f *host.Facts) {
				f.Version, f.Build, f.ProductName = tc.version, "", tc.product
			}).Host()
			res := check(t, h)
			doctortest.WantStatus(t, res, tc.status)
			if tc.code != "" {
				doctortest.WantFinding(t, res, tc.code, map[doctor.Status]doctor.Severity{doctor.StatusFail: doctor.Fail, doctor.StatusWarn: doctor.Warn}[tc.status])
			}
			if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, tc.inText) {
				t.Errorf("output does not mention %q:\n%s", tc.inText, all)
			}
		})
	}
}

func TestArchitectures(t *testing.T) {
	// 32-bit gmu-doctor on 64-bit Windows: a note, not a problem.
	res := check(t, doctortest.Windows().With(func(f *host.Facts) { f.ProcessArch = "386" }).Host())
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); !strings.Contains(s, "runs as x86") {
		t.Errorf("summary %q does not show the process architecture", s)
	}
	if all := doctortest.AllText(res, i18n.RU); !strings.Contains(all, "x86-программа на x64-системе") {
		t.Errorf("no WOW64 note:\n%s", all)
	}
	// 32-bit Linux: warn with the generic text.
	res = check(t, doctortest.Linux().With(func(f *host.Facts) { f.Arch, f.ProcessArch = "386", "386" }).Host())
	f := doctortest.WantFinding(t, res, "os-support.32bit-os", doctor.Warn)
	if f.Message.Key != "os-support.32bit-os" {
		t.Errorf("linux 32-bit uses text %s, want the non-Windows one", f.Message.Key)
	}
	// ARM64 Windows is fine.
	res = check(t, doctortest.Windows().With(func(f *host.Facts) { f.Arch, f.ProcessArch = "arm64", "arm64" }).Host())
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestLinuxDistros(t *testing.T) {
	for distro, known := range map[string]bool{"astra": true, "redos": true, "altlinux": true, "ubuntu": false, "": false} {
		res := check(t, doctortest.Linux().With(func(f *host.Facts) { f.Distro = distro }).Host())
		doctortest.WantStatus(t, res, doctor.StatusOK)
		all := doctortest.AllText(res, i18n.EN)
		if got := strings.Contains(all, "is supported by CryptoPro CSP for Linux"); got != known {
			t.Errorf("distro %q: recognised = %v, want %v\n%s", distro, got, known, all)
		}
	}
}

func TestOtherSystems(t *testing.T) {
	res := check(t, doctortest.Darwin().Host())
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "CryptoPro CSP for macOS exists") {
		t.Errorf("no macOS note:\n%s", all)
	}
	res = check(t, doctortest.Linux().With(func(f *host.Facts) { f.OS = "freebsd" }).Host())
	doctortest.WantFinding(t, res, "os-support.unknown-os", doctor.Fail)
}

func TestElevated(t *testing.T) {
	res := check(t, doctortest.Linux().With(func(f *host.Facts) { f.Elevated, f.User = true, "root" }).Host())
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "those of root") {
		t.Errorf("no root note:\n%s", all)
	}
	res = check(t, doctortest.Windows().With(func(f *host.Facts) { f.Elevated = true }).Host())
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "runs as Administrator") {
		t.Errorf("no Administrator note:\n%s", all)
	}
}

func TestParseWindowsVersion(t *testing.T) {
	for in, want := range map[string][4]int{
		"10.0.19045": {10, 0, 19045, 1}, "6.1": {6, 1, 0, 1}, "6.1.7601.24544": {6, 1, 7601, 1},
		"": {0, 0, 0, 0}, "10": {0, 0, 0, 0}, "10.x": {0, 0, 0, 0}, "-1.0": {0, 0, 0, 0},
	} {
		a, b, c, ok := parseWindowsVersion(in)
		okInt := 0
		if ok {
			okInt = 1
		}
		if got := [4]int{a, b, c, okInt}; got != want {
			t.Errorf("parseWindowsVersion(%q) = %v, want %v", in, got, want)
		}
	}
}
