package browsers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

const mv3 = "pfhgbfnnjiafkhfdkmpiflachepdcjod"

func linuxHome() *fakefs.Builder {
	return fakefs.Linux().
		Missing("/opt/google", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
			"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium",
			"/usr/bin/chromium-gost", "/usr/bin/chromium-gost-stable",
			"/opt/yandex", "/usr/bin/yandex-browser", "/usr/bin/yandex-browser-stable",
			"/opt/microsoft", "/usr/bin/microsoft-edge",
			"/usr/lib/firefox", "/usr/lib64/firefox", "/opt/firefox",
			"/home/ivanov/.config/google-chrome", "/home/ivanov/.config/chromium",
			"/home/ivanov/.config/yandex-browser", "/home/ivanov/.config/microsoft-edge")
}

func find(bs []browsers.Browser, id string) *browsers.Browser {
	for i := range bs {
		if bs[i].ID == id {
			return &bs[i]
		}
	}
	return nil
}

func TestDiscoverLinux(t *testing.T) {
	old := fakefs.Now.Add(-90 * 24 * time.Hour)
	b := linuxHome().
		File("/opt/chromium-gost/chromium-gost", "ELF").
		Dir("/home/ivanov/.config/chromium-gost/Default/Extensions/"+mv3+"/1.0_0").
		Dir("/home/ivanov/.config/chromium-gost/Profile 1/Extensions").
		File("/home/ivanov/.config/chromium-gost/Local State", "{}").
		Dir("/home/ivanov/.config/chromium-gost/Crashpad").
		SizedFile("/home/ivanov/.cache/chromium-gost/Default/Cache/Cache_Data/data_1", 1000, "", old).
		SizedFile("/home/ivanov/.cache/chromium-gost/Default/Cache/Cache_Data/f_0001", 2000, "").
		Missing("/home/ivanov/.cache/chromium-gost/Profile 1").
		File("/usr/bin/firefox", "ELF").
		File("/home/ivanov/.mozilla/firefox/profiles.ini", "[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=default-release\nIsRelative=1\nPath=ab12.default-release\nDefault=1\n").
		File("/home/ivanov/.mozilla/firefox/ab12.default-release/extensions/ru.cryptopro.nmcades@cryptopro.ru.xpi", "PK").
		SizedFile("/home/ivanov/.cache/mozilla/firefox/ab12.default-release/cache2/entries/AAAA", 500, "")
	bs, err := browsers.Discover(context.Background(), b.Host())
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 {
		t.Fatalf("got %d browsers, want 2: %+v", len(bs), bs)
	}
	g := find(bs, browsers.ChromiumGOST)
	if g == nil || !g.Installed || !g.GOSTTLS || g.InstallPath != "/opt/chromium-gost/chromium-gost" {
		t.Fatalf("chromium-gost: %+v", g)
	}
	if len(g.Profiles) != 2 || g.Profiles[0].Name != "Default" || g.Profiles[1].Name != "Profile 1" {
		t.Fatalf("profiles: %+v", g.Profiles)
	}
	if !g.Profiles[0].HasExtension(mv3) || g.Profiles[1].HasExtension(mv3) {
		t.Errorf("extensions: %+v", g.Profiles)
	}
	c := g.Profiles[0].CacheDirs[0]
	if !c.Exists || c.Size != 3000 || c.Files != 2 || !c.OldestMod.Equal(old) || c.Capped {
		t.Errorf("cache: %+v", c)
	}
	if g.Profiles[1].CacheDirs[0].Exists {
		t.Errorf("missing cache reported as existing")
	}
	f := find(bs, browsers.Firefox)
	if f == nil || len(f.Profiles) != 1 || !f.HasExtension("ru.cryptopro.nmcades@cryptopro.ru") || f.GOSTTLS {
		t.Fatalf("firefox: %+v", f)
	}
	if f.Profiles[0].CacheDirs[0].Size != 500 {
		t.Errorf("firefox cache: %+v", f.Profiles[0].CacheDirs)
	}
}

func TestDiscoverCapped(t *testing.T) {
	b := linuxHome().File("/opt/chromium-gost/chromium-gost", "ELF").
		Missing("/home/ivanov/.mozilla", "/usr/bin/firefox")
	for i := 0; i < 30; i++ {
		b.Dir("/home/ivanov/.config/chromium-gost/Profile " + string(rune('A'+i)) + "/Extensions")
		b.Missing("/home/ivanov/.cache/chromium-gost/Profile " + string(rune('A'+i)))
	}
	b.Dir("/home/ivanov/.config/chromium-gost/Default/Extensions")
	for i := 0; i < 50; i++ {
		b.SizedFile("/home/ivanov/.cache/chromium-gost/Default/Cache/Cache_Data/f_"+string(rune('a'+i%26))+string(rune('a'+i/26)), 10, "")
	}
	bs, err := browsers.DiscoverWith(context.Background(), b.Host(), browsers.Limits{MaxProfiles: 5, MaxCacheEntries: 20, MaxCacheDepth: 3})
	if err != nil {
		t.Fatal(err)
	}
	g := find(bs, browsers.ChromiumGOST)
	if g == nil || !g.Capped || len(g.Profiles) != 5 {
		t.Fatalf("want 5 profiles and capped, got %+v", g)
	}
	c := g.Profiles[0].CacheDirs[0]
	if g.Profiles[0].Name != "Default" || !c.Capped || c.Files >= 50 || c.Files == 0 {
		t.Errorf("cache not capped: %+v", c)
	}
}

func TestDiscoverNotRecorded(t *testing.T) {
	// Nothing recorded about the Chrome install paths: an error, never "absent".
	_, err := browsers.Discover(context.Background(), fakefs.Linux().Host())
	if !errors.Is(err, host.ErrNotRecorded) {
		t.Fatalf("err = %v, want ErrNotRecorded", err)
	}
}

func TestDiscoverWindows(t *testing.T) {
	local := `C:\Users\ivanov\AppData\Local`
	b := fakefs.Windows().
		File(`C:\Program Files\Internet Explorer\iexplore.exe`, "MZ").
		SizedFile(local+`\Microsoft\Windows\INetCache\IE\ABC123\page[1].htm`, 4096, "").
		File(`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, "MZ").
		Dir(local+`\Microsoft\Edge\User Data\Default\Extensions\`+mv3).
		Missing(local+`\Microsoft\Edge\User Data\Default\Cache`).
		Missing(`C:\Program Files\Google`, `C:\Program Files (x86)\Google`, local+`\Google`,
			`C:\Program Files\Chromium-Gost`, `C:\Program Files (x86)\Chromium-Gost`, local+`\Chromium-Gost`, local+`\Chromium`,
			`C:\Program Files\Mozilla Firefox`, `C:\Program Files (x86)\Mozilla Firefox`, `C:\Users\ivanov\AppData\Roaming\Mozilla`).
		File(local+`\Yandex\YandexBrowser\Application\browser.exe`, "MZ").
		Missing(local + `\Yandex\YandexBrowser\User Data`)
	bs, err := browsers.Discover(context.Background(), b.Host())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range bs {
		ids = append(ids, x.ID)
	}
	if strings.Join(ids, ",") != "ie,edge,yandex" {
		t.Fatalf("browsers %v", ids)
	}
	if c := bs[0].Profiles[0].CacheDirs[0]; c.Size != 4096 {
		t.Errorf("INetCache %+v", c)
	}
	if !bs[1].HasExtension(mv3) || !bs[2].GOSTTLS || !bs[2].Installed {
		t.Errorf("edge/yandex: %+v", bs)
	}
}

func TestParseProfilesINI(t *testing.T) {
	got, err := browsers.ParseProfilesINI([]byte("\xef\xbb\xbf[Install4F96D1932A9F858E]\nDefault=Profiles/x.default-release\nLocked=1\n\n[Profile1]\nName=work\nIsRelative=0\nPath=/data/ff\n\n[Profile0]\nName=default\nIsRelative=1\nPath=Profiles/x.default\nDefault=1\n[Profile2]\nName=nopath\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].IsRelative || got[0].Path != "/data/ff" || !got[1].IsRelative || !got[1].Default {
		t.Fatalf("%+v", got)
	}
	for _, bad := range []string{"[Profile0\nPath=x", "[Profile0]\njunk line"} {
		if _, err := browsers.ParseProfilesINI([]byte(bad)); err == nil {
			t.Errorf("%q: want error", bad)
		}
	}
}

func FuzzParseProfilesINI(f *testing.F) {
	f.Add([]byte("[Profile0]\nName=default\nIsRelative=1\nPath=ab.default\nDefault=1\n"))
	f.Add([]byte("[General]\nStartWithLastProfile=1\nVersion=2\n[Install1]\nDefault=x\n"))
	f.Add([]byte(""))
	f.Add([]byte("[Profile0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := browsers.ParseProfilesINI(data)
		if err == nil {
			for _, p := range ps {
				if p.Path == "" {
					t.Fatal("profile without path returned")
				}
			}
		}
	})
}

// BenchmarkDiscoverLargeHome: a home with 2000 Chromium-Gost profiles and a
// 50 000-file cache stays bounded by the limits.
func BenchmarkDiscoverLargeHome(b *testing.B) {
	fx := linuxHome().File("/opt/chromium-gost/chromium-gost", "ELF").Missing("/home/ivanov/.mozilla", "/usr/bin/firefox")
	for i := 0; i < 2000; i++ {
		fx.Dir(fmt.Sprintf("/home/ivanov/.config/chromium-gost/Profile %d/Extensions", i))
		if i > 0 {
			fx.Missing(fmt.Sprintf("/home/ivanov/.cache/chromium-gost/Profile %d", i))
		}
	}
	for i := 0; i < 50000; i++ {
		fx.SizedFile(fmt.Sprintf("/home/ivanov/.cache/chromium-gost/Profile 0/Cache/Cache_Data/f_%06d", i), 100, "")
	}
	h := fx.Host()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bs, err := browsers.Discover(context.Background(), h)
		if err != nil {
			b.Fatal(err)
		}
		if g := find(bs, browsers.ChromiumGOST); g == nil || !g.Capped || !g.Profiles[0].CacheDirs[0].Capped {
			b.Fatal("limits not applied")
		}
	}
}
