package platform

import (
	"context"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

func TestCovers(t *testing.T) {
	for _, c := range []struct {
		mask, domain string
		want         bool
	}{
		{"https://bus.gov.ru", "bus.gov.ru", true},
		{"https://*.gov.ru", "bus.gov.ru", true},
		{"*.gov.ru", "gov.ru", true},
		{"https://*.gov.ru:443/path", "zakupki.gov.ru", true},
		{"https://bus.gov.ru", "zakupki.gov.ru", false},
		{"https://evilgov.ru", "gov.ru", false},
		{"*.roskazna.ru", "lk-fzs.roskazna.ru", true},
		{"", "x.ru", false},
	} {
		if got := Covers(c.mask, c.domain); got != c.want {
			t.Errorf("Covers(%q, %q) = %v", c.mask, c.domain, got)
		}
	}
}

func TestSeverity(t *testing.T) {
	sites, err := profile.Resolve([]string{"gmu"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if Severity(sites, profile.NeedCAPICOM) != doctor.Warn || !Inferred(sites, profile.NeedCAPICOM) {
		t.Error("gmu capicom is [I]: want warn")
	}
	if Severity(sites, profile.NeedCSP) != doctor.Fail {
		t.Error("gmu csp is [V]: want fail")
	}
	if d := Domains(sites, profile.NeedIEZone); len(d) != 1 || d[0] != "bus.gov.ru" {
		t.Errorf("domains %v", d)
	}
}

func TestPackageVersion(t *testing.T) {
	h := fakefs.Linux().Cmd("install ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").
		Cmd("", 1, "dpkg-query", "-W", "-f", "${Status} ${Version}", "cprocsp-pki-plugin").Host()
	if v, err := PackageVersion(context.Background(), h, "lsb-cprocsp-base"); err != nil || v != "5.0.12455-6" {
		t.Errorf("got %q, %v", v, err)
	}
	if v, err := PackageVersion(context.Background(), h, "cprocsp-pki-plugin"); err != nil || v != "" {
		t.Errorf("got %q, %v", v, err)
	}
	if _, err := PackageVersion(context.Background(), h, "other"); err == nil || !Unanswered(err) {
		t.Errorf("unrecorded command: err %v", err)
	}
	// A removed package whose configuration files remain ("rc" in dpkg -l),
	// a half-configured one and unexpected output are not installed.
	for _, out := range []string{"deinstall ok config-files 5.0.12455-6\n", "install ok half-configured 5.0.12455-6", "install ok unpacked 5.0.12455-6", "5.0.12455-6", "garbage"} {
		g := fakefs.Linux().Cmd(out, 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").Host()
		if v, err := PackageVersion(context.Background(), g, "lsb-cprocsp-base"); err != nil || v != "" {
			t.Errorf("%q: got %q, %v; want not installed", out, v, err)
		}
	}
	hold := fakefs.Linux().Cmd("hold ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").Host()
	if v, err := PackageVersion(context.Background(), hold, "lsb-cprocsp-base"); err != nil || v != "5.0.12455-6" {
		t.Errorf("held package: got %q, %v", v, err)
	}
	r := fakefs.Linux().Facts(func(f *host.Facts) { f.Distro = "redos" }).
		Cmd("4.0.9944-5", 0, "rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", "lsb-cprocsp-base").Host()
	if v, err := PackageVersion(context.Background(), r, "lsb-cprocsp-base"); err != nil || v != "4.0.9944-5" {
		t.Errorf("rpm: got %q, %v", v, err)
	}
}
