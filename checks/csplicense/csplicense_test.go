package csplicense_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/csplicense"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func output(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "linux", "outputs", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const cpconfig = "/opt/cprocsp/sbin/amd64/cpconfig"

func linux(t *testing.T, licence string) *fakefs.Builder {
	return fakefs.Linux().File("/opt/cprocsp/bin/amd64/csptest", "#!").
		Cmd(output(t, "csptest-keyset-verifycontext-5.0.12455.txt"), 0, "/opt/cprocsp/bin/amd64/csptest", "-keyset", "-verifycontext").
		Cmd("install ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").
		File(cpconfig, "#!").
		Cmd(licence, 0, cpconfig, "-license", "-view")
}

func TestDemoExpiresSoon(t *testing.T) {
	// The demo fixture has 94 days left: ok with the default 30, warn with 100.
	h := linux(t, output(t, "cpconfig-license-view-demo.txt")).Host()
	res := doctortest.Run(t, csplicense.Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); !strings.Contains(s, "94 days") {
		t.Errorf("summary %q", s)
	}
	res = doctortest.Run(t, csplicense.Check, h, doctor.Options{}, map[string]any{"warn_days": 100})
	f := doctortest.WantFinding(t, res, "csp-license.expires-soon", doctor.Warn)
	if !strings.Contains(f.Commands[0], "sudo "+cpconfig+" -license -set") {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestExpired(t *testing.T) {
	h := linux(t, "License validity:\n5050N4003001BT72MA83QF3T0\nExpires: 0 day(s)\nLicense type: Demo.\n").Host()
	res := doctortest.Run(t, csplicense.Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	doctortest.WantFinding(t, res, "csp-license.demo-expired", doctor.Fail)
	if strings.Contains(doctortest.AllText(res, i18n.EN), "01BT72MA83") {
		t.Error("serial printed unmasked")
	}
}

func TestBrokenAndUnknown(t *testing.T) {
	res := doctortest.Run(t, csplicense.Check, linux(t, output(t, "cpconfig-license-view-error.txt")).Host(), doctor.Options{}, nil)
	doctortest.WantFinding(t, res, "csp-license.invalid", doctor.Fail)
	res = doctortest.Run(t, csplicense.Check, linux(t, "Something new\nand different\n").Host(), doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "csp-license.format-unknown", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "Something new") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
	res = doctortest.Run(t, csplicense.Check, linux(t, output(t, "cpconfig-license-view-permanent-guess.txt")).Host(), doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestWindowsSerialOnly(t *testing.T) {
	b := fakefs.Windows().
		Reg(csp.InstallPropertiesKey(csp.ProductCodes[1].Code), host.RegViewDefault,
			fakefs.SZ("DisplayVersion", "4.0.9944"), fakefs.SZ("ProductID", "40400-00000-0ABCD-EFGH0-XYZ12")).
		NoReg(host.RegViewDefault, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\`+csp.ProductCodes[0].Code).
		Missing(`C:\Program Files\Crypto Pro`)
	res := doctortest.Run(t, csplicense.Check, b.Host(), doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "csp-license.expiry-unknown", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "40400-*****") || !strings.Contains(f.Commands[0], "cpanel.cpl") {
		t.Errorf("finding %q %q", f.Message.In(i18n.EN), f.Commands)
	}
}

func TestWindowsCpconfig(t *testing.T) {
	tool := `C:\Program Files\Crypto Pro\CSP\cpconfig.exe`
	b := fakefs.Windows().
		Reg(csp.InstallPropertiesKey(csp.ProductCodes[0].Code), host.RegViewDefault, fakefs.SZ("DisplayVersion", "5.0.13000")).
		Missing(`C:\Program Files\Crypto Pro\CSP\csptest.exe`).
		File(tool, "MZ").
		Cmd("License validity:\n5050N4003001BT72MA83QF3T0\nExpires: 12 day(s)\nLicense type: Server.\n", 0, tool, "-license", "-view")
	res := doctortest.Run(t, csplicense.Check, b.Host(), doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "csp-license.expires-soon", doctor.Warn)
	if f.Commands[0] != `"`+tool+`" -license -set `+csplicense.SerialPlaceholder {
		t.Errorf("command %q", f.Commands[0])
	}
}

func TestNoCSPSkips(t *testing.T) {
	b := fakefs.Linux().Missing("/opt/cprocsp").Cmd("", 1, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base")
	doctortest.WantStatus(t, doctortest.Run(t, csplicense.Check, b.Host(), doctor.Options{}, nil), doctor.StatusSkipped)
}

func TestNotRecorded(t *testing.T) {
	b := fakefs.Linux().File("/opt/cprocsp/bin/amd64/csptest", "#!").
		Cmd(output(t, "csptest-keyset-verifycontext-5.0.12455.txt"), 0, "/opt/cprocsp/bin/amd64/csptest", "-keyset", "-verifycontext").
		Cmd("install ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").
		File(cpconfig, "#!")
	doctortest.WantStatus(t, doctortest.Run(t, csplicense.Check, b.Host(), doctor.Options{}, nil), doctor.StatusError)
}

// TestLicenseDaysMetric: the days left of a licence with an expiry are a
// metric for monitoring (license_days_left), 0 once expired, none for a
// permanent licence.
func TestLicenseDaysMetric(t *testing.T) {
	metric := func(res *doctor.Result) []float64 {
		var out []float64
		for _, m := range res.Metrics {
			if m.Name == "license_days_left" {
				out = append(out, m.Value)
			}
		}
		return out
	}
	res := doctortest.Run(t, csplicense.Check, linux(t, output(t, "cpconfig-license-view-demo.txt")).Host(), doctor.Options{}, nil)
	if got := metric(res); len(got) != 1 || got[0] != 94 {
		t.Errorf("demo licence: license_days_left %v, want [94]", got)
	}
	res = doctortest.Run(t, csplicense.Check, linux(t, "License validity:\n5050N4003001BT72MA83QF3T0\nExpires: 0 day(s)\nLicense type: Demo.\n").Host(), doctor.Options{}, nil)
	if got := metric(res); len(got) != 1 || got[0] != 0 {
		t.Errorf("expired licence: license_days_left %v, want [0]", got)
	}
	res = doctortest.Run(t, csplicense.Check, linux(t, output(t, "cpconfig-license-view-permanent-guess.txt")).Host(), doctor.Options{}, nil)
	if got := metric(res); len(got) != 0 {
		t.Errorf("permanent licence: license_days_left %v, want none", got)
	}
}
