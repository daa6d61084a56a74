package clock

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func fixture(t *testing.T, name string) *host.Snapshot {
	t.Helper()
	s, err := host.LoadSnapshotFile(testutil.Testdata(t, "workstations", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func check(t *testing.T, h host.Host, cfg map[string]any) *doctor.Result {
	t.Helper()
	return doctortest.Run(t, Check, h, doctor.Options{}, cfg)
}

func TestHealthyWorkstation(t *testing.T) {
	res := check(t, host.NewSnapshotHost(fixture(t, "windows10-healthy.json")), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got, want := res.Summary.In(i18n.EN), "2025-10-01 12:00:00 UTC+03:00 (Russian Standard Time)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	// The newest certificate is the 2025 leaf (valid from 2025-07-03 14:02 UTC).
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "2025-07-03 17:02") {
		t.Errorf("the newest certificate is not named:\n%s", all)
	}
}

func TestClockIn2015(t *testing.T) {
	res := check(t, host.NewSnapshotHost(fixture(t, "broken-clock.json")), nil)
	f := doctortest.WantFinding(t, res, "clock.before-2020", doctor.Fail)
	if len(f.Commands) != 1 || f.Commands[0] != "w32tm /resync" {
		t.Errorf("windows fix commands %q", f.Commands)
	}
	if msg := f.Message.In(i18n.RU); !strings.Contains(msg, "2015-03-10 10:30") {
		t.Errorf("message does not show the local time: %s", msg)
	}
}

// The clock is after 2020 but before the leaf's notBefore (2025-07-03).
func TestClockBehindNewestCertificate(t *testing.T) {
	s := fixture(t, "windows10-healthy.json")
	h := doctortest.From(s).At(time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)).Host()
	res := check(t, h, nil)
	f := doctortest.WantFinding(t, res, "clock.behind-certificate", doctor.Fail)
	if f.Subject != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" {
		t.Errorf("subject %q, want the leaf's thumbprint", f.Subject)
	}
	msg := f.Message.In(i18n.EN)
	for _, want := range []string{"ЖИЛИЩНЫЙ КОМИТЕТ", "CurrentUser\\My", "2025-07-03 17:02", "2025-06-01 11:00"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
}

func TestTolerance(t *testing.T) {
	// Two minutes before the leaf's notBefore (2025-07-03 14:02:43 UTC).
	at := time.Date(2025, 7, 3, 14, 0, 43, 0, time.UTC)
	h := doctortest.From(fixture(t, "windows10-healthy.json")).At(at).Host()
	doctortest.WantStatus(t, check(t, h, nil), doctor.StatusOK)
	res := check(t, h, map[string]any{"tolerance_minutes": 1})
	doctortest.WantFinding(t, res, "clock.behind-certificate", doctor.Fail)
	res = check(t, h, map[string]any{"tolerance_minutes": -1})
	doctortest.WantStatus(t, res, doctor.StatusError)
}

func TestLinuxFix(t *testing.T) {
	h := doctortest.From(fixture(t, "linux-astra.json")).At(time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)).Host()
	f := doctortest.WantFinding(t, check(t, h, nil), "clock.before-2020", doctor.Fail)
	if strings.Join(f.Commands, "; ") != "sudo timedatectl set-ntp true; sudo chronyc makestep" {
		t.Errorf("linux fix commands %q", f.Commands)
	}
}

func TestTimeZoneIsOnlyANote(t *testing.T) {
	h := doctortest.Windows().With(func(f *host.Facts) {
		f.TimeZone, f.UTCOffsetSeconds = "Pacific Standard Time", -8*3600
	}).Host()
	res := check(t, h, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "2025-10-01 01:00:00 UTC-08:00 (Pacific Standard Time)" {
		t.Errorf("summary %q", got)
	}
	all := doctortest.AllText(res, i18n.EN)
	if !strings.Contains(all, "UTC-08:00 is not a Russian one") {
		t.Errorf("no time zone note:\n%s", all)
	}
	if !strings.Contains(all, "no certificates") {
		t.Errorf("no note about empty stores:\n%s", all)
	}
	// Moscow: no time zone note.
	res = check(t, doctortest.Windows().Host(), nil)
	if all := doctortest.AllText(res, i18n.EN); strings.Contains(all, "not a Russian one") {
		t.Errorf("Moscow time flagged:\n%s", all)
	}
}

func TestUnreadableStoresAndCerts(t *testing.T) {
	h := doctortest.Windows().
		StoreError(host.LocalMachine, host.StoreRoot, "access denied").
		DropStore(host.CurrentUser, host.StoreCA).
		Cert(host.CurrentUser, host.StoreMy, []byte{0x30, 0x03, 0x02, 0x01, 0x01}, nil).
		Host()
	res := check(t, h, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	all := doctortest.AllText(res, i18n.EN)
	for _, want := range []string{"LocalMachine\\Root was not read", "CurrentUser\\CA was not read", "could not be parsed", "no certificates"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
}

func TestOffset(t *testing.T) {
	for sec, want := range map[int]string{0: "UTC+00:00", 10800: "UTC+03:00", -16200: "UTC-04:30", 12 * 3600: "UTC+12:00", 20700: "UTC+05:45"} {
		if got := platform.UTCOffset(sec); got != want {
			t.Errorf("offset(%d) = %q, want %q", sec, got, want)
		}
	}
	for sec, want := range map[int]bool{7200: true, 10800: true, 43200: true, 3600: false, 0: false, 46800: false, 16200: false} {
		if got := russianOffset(sec); got != want {
			t.Errorf("russianOffset(%d) = %v, want %v", sec, got, want)
		}
	}
}
