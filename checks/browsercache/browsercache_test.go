package browsercache_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/browsercache"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const local = `C:\Users\ivanov\AppData\Local`

func windows(age time.Duration, size int64) *fakefs.Builder {
	return fakefs.Windows().
		File(`C:\Program Files\Internet Explorer\iexplore.exe`, "MZ").
		SizedFile(local+`\Microsoft\Windows\INetCache\IE\K1\a[1].js`, size, "", fakefs.Now.Add(-age)).
		SizedFile(local+`\Microsoft\Windows\INetCache\IE\K1\b[1].css`, 100, "").
		NoBrowsers(browsers.IE)
}

func TestStaleIECacheForGMU(t *testing.T) {
	res := doctortest.Run(t, browsercache.Check, windows(60*24*time.Hour, 1000).Host(), fakefs.Sites(t, "gmu"), nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "browser-cache.stale", doctor.Warn)
	if f.Commands[0] != browsercache.ClearIE || !strings.Contains(f.Message.In(i18n.EN), "60 days") {
		t.Errorf("finding %q %q", f.Commands, f.Message.In(i18n.EN))
	}
}

func TestLargeCacheThreshold(t *testing.T) {
	h := windows(time.Hour, 50<<20).Host()
	doctortest.WantStatus(t, doctortest.Run(t, browsercache.Check, h, fakefs.Sites(t, "gmu"), nil), doctor.StatusOK)
	res := doctortest.Run(t, browsercache.Check, h, fakefs.Sites(t, "gmu"), map[string]any{"max_size_mb": 10})
	doctortest.WantFinding(t, res, "browser-cache.stale", doctor.Warn)
}

func TestNoAdviceOnlyNotes(t *testing.T) {
	res := doctortest.Run(t, browsercache.Check, windows(60*24*time.Hour, 1000).Host(), fakefs.Sites(t, "eis"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(doctortest.AllText(res, i18n.EN), "INetCache") {
		t.Errorf("no size note:\n%s", doctortest.AllText(res, i18n.EN))
	}
}

func TestLinuxChromiumGostCommand(t *testing.T) {
	home := "/home/ivanov"
	b := fakefs.Linux().
		File("/opt/chromium-gost/chromium-gost", "ELF").
		Dir(home+"/.config/chromium-gost/Default/Extensions").
		SizedFile(home+"/.cache/chromium-gost/Default/Cache/Cache_Data/data_0", 400<<20, "").
		NoBrowsers()
	res := doctortest.Run(t, browsercache.Check, b.Host(), fakefs.Sites(t, "gmu"), nil)
	f := doctortest.WantFinding(t, res, "browser-cache.stale", doctor.Warn)
	if f.Commands[0] != `rm -rf "/home/ivanov/.cache/chromium-gost/Default/Cache"` {
		t.Errorf("command %q", f.Commands[0])
	}
}

func TestBadConfig(t *testing.T) {
	res := doctortest.Run(t, browsercache.Check, windows(time.Hour, 1).Host(), fakefs.Sites(t, "gmu"), map[string]any{"max_age_days": 0})
	doctortest.WantStatus(t, res, doctor.StatusError)
}
