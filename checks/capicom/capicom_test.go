package capicom_test

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/capicom"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const dll = `C:\Windows\SysWOW64\capicom.dll`

func registered(b *fakefs.Builder) *fakefs.Builder {
	for _, c := range capicom.Classes {
		b.Reg(`HKCR\`+c.ProgID+`\CLSID`, host.RegView32, fakefs.SZ("", c.CLSID)).
			Reg(`HKCR\CLSID\`+c.CLSID+`\InprocServer32`, host.RegView32,
				host.RegValue{Name: "", Type: host.RegExpandSZ, String: `%SystemRoot%\SysWOW64\capicom.dll`})
	}
	return b
}

func TestRegistered(t *testing.T) {
	res := doctortest.Run(t, capicom.Check, registered(fakefs.Windows().File(dll, "MZ")).Host(), fakefs.Sites(t, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), `CAPICOM.Store: `+dll) {
		t.Errorf("output:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

func TestMissingFile(t *testing.T) {
	res := doctortest.Run(t, capicom.Check, fakefs.Windows().Missing(dll).Host(), fakefs.Sites(t, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn) // ГМУ's need for CAPICOM is inferred
	f := doctortest.WantFinding(t, res, "capicom.missing", doctor.Warn)
	if got := strings.Join(f.Commands, "\n"); !strings.Contains(got, `cd /d C:\Windows\SysWOW64`) || !strings.Contains(got, "regsvr32 capicom.dll") || !strings.Contains(f.URL, "25281") {
		t.Errorf("commands %q url %q", got, f.URL)
	}
}

func TestNotRegistered32BitOS(t *testing.T) {
	b := fakefs.Windows().Facts(func(f *host.Facts) { f.Arch = "386" }).
		File(`C:\Windows\System32\capicom.dll`, "MZ").
		NoReg(host.RegViewDefault, `HKCR\CAPICOM.Utilities`)
	res := doctortest.Run(t, capicom.Check, b.Host(), fakefs.Sites(t, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "capicom.not-registered", doctor.Warn)
	if f.Commands[0] != `cd /d C:\Windows\System32` {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestRegisteredButFileGone(t *testing.T) {
	// Registered in the 64-bit view only does not count: the 32-bit view is read.
	b := fakefs.Windows().File(dll, "MZ").
		Reg(`HKCR\CAPICOM.Utilities\CLSID`, host.RegView32, fakefs.SZ("", capicom.Classes[0].CLSID)).
		Reg(`HKCR\CLSID\`+capicom.Classes[0].CLSID+`\InprocServer32`, host.RegView32, fakefs.SZ("", `C:\Old\capicom.dll`)).
		Missing(`C:\Old`)
	res := doctortest.Run(t, capicom.Check, b.Host(), fakefs.Sites(t, "gmu"), nil)
	doctortest.WantFinding(t, res, "capicom.server-missing", doctor.Warn)
}

func TestSkips(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, capicom.Check, fakefs.Windows().Host(), fakefs.Sites(t, "eis", "fzs"), nil), doctor.StatusSkipped)
	doctortest.WantStatus(t, doctortest.Run(t, capicom.Check, fakefs.Linux().Host(), fakefs.Sites(t, "gmu"), nil), doctor.StatusSkipped)
}

func TestNotRecorded(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, capicom.Check, fakefs.Windows().File(dll, "MZ").Host(), fakefs.Sites(t, "gmu"), nil), doctor.StatusError)
}
