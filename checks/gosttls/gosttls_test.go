package gosttls_test

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/gosttls"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const home = "/home/ivanov"

func linux() *fakefs.Builder {
	return fakefs.Linux().File("/usr/bin/google-chrome", "ELF").File("/usr/bin/firefox", "ELF").
		Missing(home+"/.config/google-chrome", home+"/.mozilla/firefox")
}

func TestMissing(t *testing.T) {
	res := doctortest.Run(t, gosttls.Check, linux().NoBrowsers().Host(), fakefs.Sites(t, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "gost-tls-browser.missing", doctor.Fail)
	msg := f.Message.In(i18n.EN)
	if !strings.Contains(msg, "lk-fzs.roskazna.ru") || !strings.Contains(msg, "Google Chrome, Mozilla Firefox") {
		t.Errorf("message %q", msg)
	}
	if f.URL != gosttls.ChromiumGOSTURL || !strings.Contains(f.Commands[0], "chromium-gost-*-linux-amd64.deb") {
		t.Errorf("url %q commands %q", f.URL, f.Commands)
	}
	rpm := linux().Facts(func(f *host.Facts) { f.Distro = "redos" }).NoBrowsers().Host()
	f = doctortest.WantFinding(t, doctortest.Run(t, gosttls.Check, rpm, fakefs.Sites(t, "fzs"), nil), "gost-tls-browser.missing", doctor.Fail)
	if !strings.HasPrefix(f.Commands[0], "sudo rpm -i") {
		t.Errorf("commands %q", f.Commands)
	}
}

func TestPresent(t *testing.T) {
	b := linux().File("/opt/yandex/browser/yandex_browser", "ELF").Missing(home + "/.config/yandex-browser").NoBrowsers()
	res := doctortest.Run(t, gosttls.Check, b.Host(), fakefs.Sites(t, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "Yandex Browser" {
		t.Errorf("summary %q", s)
	}
}

func TestWindowsChromiumGost(t *testing.T) {
	b := fakefs.Windows().File(`C:\Program Files\Chromium-Gost\chrome.exe`, "MZ").
		Missing(`C:\Users\ivanov\AppData\Local\Chromium\User Data`).NoBrowsers()
	res := doctortest.Run(t, gosttls.Check, b.Host(), fakefs.Sites(t, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
}

func TestSkip(t *testing.T) {
	doctortest.WantStatus(t, doctortest.Run(t, gosttls.Check, linux().NoBrowsers().Host(), fakefs.Sites(t, "gmu", "epgu"), nil), doctor.StatusSkipped)
}
