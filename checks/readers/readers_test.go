package readers_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/readers"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func output(t testing.TB, name string) string {
	return string(testutil.ReadTestdata(t, "linux", "outputs", name))
}

const csptest = "/opt/cprocsp/bin/amd64/csptest"

var dpkg = []string{"dpkg-query", "-W", "-f", "${Status} ${Version}", "pcscd"}

// withCSP is a running Astra workstation with CryptoPro CSP 5.0.
func withCSP(t *testing.T) *fakefs.Builder {
	return fakefs.Linux().File(csptest, "#!").
		Cmd(output(t, "csptest-keyset-verifycontext-5.0.12455.txt"), 0, csptest, "-keyset", "-verifycontext").
		Cmd("install ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").
		File("/proc/1/comm", "systemd\n")
}

// running adds pcscd's socket.
func running(t *testing.T) *fakefs.Builder {
	return withCSP(t).File("/run/pcscd/pcscd.comm", "")
}

func run(t *testing.T, h host.Host) *doctor.Result {
	t.Helper()
	res := doctortest.Run(t, readers.Check, h, fakefs.Sites(t), nil)
	doctortest.CheckTexts(t, res)
	return res
}

func TestReadersListed(t *testing.T) {
	// Colour escapes as pcsc_scan prints them on a terminal.
	out := "\x1b[34m0: Aktiv Rutoken ECP 00 00\x1b[0m\n\x1b[34m1: Alioth LLC JaCarta [JaCarta] 01 00\x1b[0m\n"
	h := running(t).File(readers.PCSCScan, "#!").Cmd(out, 0, readers.PCSCScan, "-r").Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "pcscd running, 2 reader(s)" {
		t.Errorf("summary %q", s)
	}
	text := doctortest.AllText(res, i18n.EN)
	for _, want := range []string{"Aktiv Rutoken ECP 00 00; Alioth LLC JaCarta [JaCarta] 01 00", "/run/pcscd/pcscd.comm"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestNoReader(t *testing.T) {
	// The answer of pcsc-tools 1.6.2 (Debian 12) with pcscd running and no reader.
	h := running(t).File(readers.PCSCScan, "#!").Cmd("No reader found.\n", 0, readers.PCSCScan, "-r").Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.RU); s != "pcscd работает, считывателей нет" {
		t.Errorf("summary %q", s)
	}
}

func TestServiceNotAvailable(t *testing.T) {
	// A stale socket: pcsc_scan cannot reach the daemon (message seen with
	// pcsc-tools 1.6.2 while pcscd was stopped).
	h := running(t).File(readers.PCSCScan, "#!").
		Cmd("SCardEstablishContext: Service not available.\n", 255, readers.PCSCScan, "-r").Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "readers.pcscd-unavailable", doctor.Warn)
	if m := f.Message.In(i18n.EN); !strings.Contains(m, "SCardEstablishContext: Service not available.") || strings.Contains(m, "parse pcsc_scan") {
		t.Errorf("message %q", m)
	}
	if f.Commands[0] != readers.EnableCommand {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestScanTimedOutOrUnknown(t *testing.T) {
	b := running(t).File(readers.PCSCScan, "#!").Cmd("", 0, readers.PCSCScan, "-r")
	s := b.Snapshot()
	s.Commands[len(s.Commands)-1].TimedOut = true
	res := run(t, host.NewSnapshotHost(s))
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "did not answer within 5 s") {
		t.Errorf("no timeout note:\n%s", doctortest.AllText(res, i18n.EN))
	}

	h := running(t).File(readers.PCSCScan, "#!").Cmd("usage: pcsc_scan [-h] [-V] [-n]\n", 1, readers.PCSCScan, "-r").Host()
	res = run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "could not list the readers") {
		t.Errorf("no note for unknown output:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

func TestRunningWithoutPcscTools(t *testing.T) {
	h := running(t).Missing(readers.PCSCScan).Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "pcsc-tools") {
		t.Errorf("no note on pcsc-tools:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

func TestPcscdMissing(t *testing.T) {
	for _, c := range []struct {
		distro, pkg, install string
	}{
		{"astra", "pcscd", "sudo apt install -y pcscd libccid"},
		{"redos", "pcsc-lite", "sudo dnf install -y pcsc-lite pcsc-lite-ccid"},
		{"altlinux", "pcsc-lite", "sudo apt-get install -y pcsc-lite pcsc-lite-ccid"},
	} {
		t.Run(c.distro, func(t *testing.T) {
			b := withCSP(t).Facts(func(f *host.Facts) { f.Distro = c.distro }).Missing(readers.Sockets...)
			if c.distro == "astra" {
				b.Cmd("", 1, dpkg...)
			} else {
				// On RPM systems CSP's own package is looked up with rpm too.
				b.Cmd("5.0.12455-6", 0, "rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", "lsb-cprocsp-base").
					Cmd("package pcsc-lite is not installed\n", 1, "rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", "pcsc-lite")
			}
			res := run(t, b.Host())
			doctortest.WantStatus(t, res, doctor.StatusWarn)
			f := doctortest.WantFinding(t, res, "readers.pcscd-missing", doctor.Warn)
			want := []string{c.install, readers.EnableCommand}
			if !reflect.DeepEqual(f.Commands, want) {
				t.Errorf("commands %q, want %q", f.Commands, want)
			}
			if m := f.Message.In(i18n.RU); !strings.Contains(m, "пакет "+c.pkg) || !strings.Contains(m, "/run/pcscd/pcscd.comm") {
				t.Errorf("message %q", m)
			}
		})
	}
}

func TestPcscdStopped(t *testing.T) {
	// A removed package whose configuration files remain counts as missing.
	h := withCSP(t).Missing(readers.Sockets...).Cmd("deinstall ok config-files 1.9.9-2\n", 0, dpkg...).Host()
	doctortest.WantFinding(t, run(t, h), "readers.pcscd-missing", doctor.Warn)

	h = withCSP(t).Missing(readers.Sockets...).Cmd("install ok installed 1.9.9-2\n", 0, dpkg...).Host()
	res := run(t, h)
	f := doctortest.WantFinding(t, res, "readers.pcscd-stopped", doctor.Warn)
	if m := f.Message.In(i18n.EN); !strings.Contains(m, "version 1.9.9-2") {
		t.Errorf("message %q", m)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %v", doctortest.Codes(res))
	}
}

func TestOlderSocketPath(t *testing.T) {
	h := withCSP(t).Missing("/run/pcscd").File("/var/run/pcscd/pcscd.comm", "").Missing(readers.PCSCScan).Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "/var/run/pcscd/pcscd.comm") {
		t.Errorf("report:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

func TestMountedDisk(t *testing.T) {
	// --root on a mounted disk: no /proc/1, so no verdict on the daemon.
	h := fakefs.Linux().File(csptest, "#!").
		Cmd(output(t, "csptest-keyset-verifycontext-5.0.12455.txt"), 0, csptest, "-keyset", "-verifycontext").
		Cmd("install ok installed 5.0.12455-6\n", 0, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").
		Missing("/proc/1").Host()
	res := run(t, h)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "not checked: not a running system" {
		t.Errorf("summary %q", s)
	}
}

func TestNotApplicable(t *testing.T) {
	h := fakefs.Linux().Missing("/opt/cprocsp").Cmd("", 1, "dpkg-query", "-W", "-f", "${Status} ${Version}", "lsb-cprocsp-base").Host()
	res := doctortest.Run(t, readers.Check, h, fakefs.Sites(t), nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)

	w := fakefs.Windows().Host()
	res = doctortest.Run(t, readers.Check, w, fakefs.Sites(t), nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)

	// No selected site needs CryptoPro CSP.
	res = doctortest.Run(t, readers.Check, running(t).Host(), doctor.Options{Profiles: []*profile.Site{{ID: "other"}}}, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

func TestNotRecorded(t *testing.T) {
	// A snapshot without the socket: the check cannot answer, it must not
	// guess "absent".
	h := withCSP(t).Host()
	res := doctortest.Run(t, readers.Check, h, fakefs.Sites(t), nil)
	doctortest.WantStatus(t, res, doctor.StatusError)
}

func TestParseScan(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  error
	}{
		{"0: Aktiv Rutoken ECP 00 00\n", []string{"Aktiv Rutoken ECP 00 00"}, nil},
		{"0: A 00 00\r\n1: B 01 00\r\n", []string{"A 00 00", "B 01 00"}, nil},
		{"No reader found.\n", nil, nil},
		{"SCardEstablishContext: Service not available.\n", nil, readers.ErrNoService},
		{"", nil, readers.ErrScanUnrecognised},
		{"\xff\xfe garbage", nil, readers.ErrScanUnrecognised},
		{"Scanning present readers...\nWaiting for the first reader...", nil, nil},
		{"\x1b[31mWaiting for the first reader...\x1b[0m   ", nil, nil},
		{"PC/SC device scanner\nV 1.4.16\nUsage: pcsc_scan [ -h ]\n", nil, readers.ErrScanUnrecognised},
	} {
		got, err := readers.ParseScan([]byte(c.in))
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("%q: err %v, want %v", c.in, err, c.err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// Real pcsc_scan output users posted (testdata/linux/outputs/real).
func TestParseScanReal(t *testing.T) {
	for file, want := range map[string][]string{
		"pcsc_scan-1.4.15-waiting.txt":  nil,
		"pcsc_scan-1.5.2-found-one.txt": {"Gemalto USB Shell Token V2 (64438828) 00 00"},
		"pcsc_scan-pypassport3.txt":     {"ACS ACR122U 00 00"},
	} {
		b, err := os.ReadFile(testutil.Testdata(t, "linux", "outputs", "real", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range [][]byte{b, bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))} {
			got, err := readers.ParseScan(in)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q, %v; want %q", file, got, err, want)
			}
		}
	}
}

func FuzzParseScan(f *testing.F) {
	for _, s := range []string{"0: Aktiv Rutoken ECP 00 00\n", "No reader found.\n", "SCardEstablishContext: Service not available.\n", "\x1b[34m0: A\x1b[0m\n", "", "1:"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		list, err := readers.ParseScan(b)
		if err != nil && list != nil {
			t.Fatalf("list %q with error %v", list, err)
		}
		for _, r := range list {
			if r == "" {
				t.Fatal("empty reader name")
			}
		}
	})
}
