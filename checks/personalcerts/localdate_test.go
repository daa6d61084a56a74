package personalcerts

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Dates are shown in the workstation's time zone: the 2025 leaf ends at
// 2026-09-26 14:02:43 UTC, which is 2026-09-27 02:02 in Kamchatka (UTC+12).
func TestDatesInWorkstationTimeZone(t *testing.T) {
	h := doctortest.Windows().At(time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)).
		With(func(f *host.Facts) { f.UTCOffsetSeconds = 12 * 3600 }).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f := doctortest.WantFinding(t, res, "personal-certs.expiring", doctor.Warn)
	if msg := f.Message.In(i18n.EN); !strings.Contains(msg, "2026-09-27") {
		t.Errorf("message %q: want the local date 2026-09-27", msg)
	}
	// After the end, seen from Kamchatka.
	h = doctortest.Windows().At(time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)).
		With(func(f *host.Facts) { f.UTCOffsetSeconds = 12 * 3600 }).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).Host()
	res = doctortest.Run(t, Check, h, doctor.Options{}, nil)
	f = doctortest.WantFinding(t, res, "personal-certs.expired", doctor.Fail)
	if msg := f.Message.In(i18n.EN); !strings.Contains(msg, "2026-09-27") {
		t.Errorf("message %q: want the local date 2026-09-27", msg)
	}
}
