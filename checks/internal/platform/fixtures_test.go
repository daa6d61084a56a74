package platform_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/browsercache"
	"github.com/gmu-doctor/gmu-doctor/checks/capicom"
	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/csplicense"
	"github.com/gmu-doctor/gmu-doctor/checks/gosttls"
	"github.com/gmu-doctor/gmu-doctor/checks/iezones"
	"github.com/gmu-doctor/gmu-doctor/checks/plugin"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var updateFixtures = flag.Bool("update-platform-fixtures", false, "rewrite testdata/workstations/platform-*.json")

const (
	local   = `C:\Users\ivanov\AppData\Local`
	plugDir = `C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in`
	cspDir  = `C:\Program Files\Crypto Pro\CSP`
	ieSet   = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	iePol   = `Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`
)

// windowsGMU is a Windows 10 x64 workstation prepared for ГМУ with the
// usual problems: bus.gov.ru neither in the IE trusted zone nor in the
// plug-in's trusted sites, unsafe ActiveX disabled in the zone, CAPICOM
// missing, a three-month-old IE cache, a CSP licence expiring in 12 days.
func windowsGMU() *fakefs.Builder {
	b := fakefs.Windows()
	b.Reg(csp.InstallPropertiesKey(csp.ProductCodes[0].Code), host.RegViewDefault,
		fakefs.SZ("DisplayName", "КриптоПро CSP"), fakefs.SZ("DisplayVersion", "5.0.13000"),
		fakefs.SZ("ProductID", "50500-A0000-0000C-DDDDD-EEEEE"), fakefs.SZ("InstallLocation", cspDir+`\`)).
		File(cspDir+`\csptest.exe`, "MZ").
		Cmd("CSP (Type:80) v5.0.10013 KC1 Release Ver:5.0.13000 OS:Windows CPU:AMD64 FastCode:READY:SSSE3.\r\nAcquireContext: OK. HCRYPTPROV: 1\r\n[ErrorCode: 0x00000000]\r\n", 0, cspDir+`\csptest.exe`, "-keyset", "-verifycontext").
		File(cspDir+`\cpconfig.exe`, "MZ").
		Cmd("License validity:\r\n50500A00000000CDDDDDEEEEE\r\nExpires: 12 day(s)\r\nLicense type: Client.\r\n", 0, cspDir+`\cpconfig.exe`, "-license", "-view")
	for _, p := range []string{"Microsoft Base Cryptographic Provider v1.0", "Microsoft Enhanced RSA and AES Cryptographic Provider", csp.Providers[75], csp.Providers[80], csp.Providers[81]} {
		b.Reg(csp.ProviderKey+`\`+p, host.RegViewDefault, fakefs.SZ("Image Path", "cpcspi.dll"), fakefs.DWORD("Type", 80))
	}
	// Plug-in, Edge with the MV3 extension, native host in the Chrome key.
	b.File(plugDir+`\nmcades.exe`, "MZ").
		File(plugDir+`\nmcades.json`, `{"name":"ru.cryptopro.nmcades","path":"nmcades.exe","type":"stdio"}`).
		Reg(`HKCU\Software\Google\Chrome\NativeMessagingHosts\ru.cryptopro.nmcades`, host.RegViewDefault, fakefs.SZ("", plugDir+`\nmcades.json`)).
		Reg(`HKCU\Software\Crypto Pro\CAdESplugin`, host.RegViewDefault, fakefs.MultiSZ("TrustedSites", "https://zakupki.gov.ru", "https://*.roskazna.ru")).
		NoReg(host.RegViewDefault, plugin.TrustedSitesPolicyKey).
		File(`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, "MZ").
		Dir(local+`\Microsoft\Edge\User Data\Default\Extensions\`+plugin.ExtMV3+`\1.2.13_0`).
		SizedFile(local+`\Microsoft\Edge\User Data\Default\Cache\Cache_Data\data_1`, 8<<20, "", fakefs.Now.Add(-3*24*time.Hour)).
		File(`C:\Program Files\Internet Explorer\iexplore.exe`, "MZ").
		SizedFile(local+`\Microsoft\Windows\INetCache\IE\0XK1R2Z3\bus[1].htm`, 120<<10, "", fakefs.Now.Add(-95*24*time.Hour)).
		SizedFile(local+`\Microsoft\Windows\INetCache\IE\0XK1R2Z3\cades[1].js`, 40<<10, "", fakefs.Now.Add(-95*24*time.Hour)).
		Missing(`C:\Program Files\Google`, `C:\Program Files (x86)\Google`, local+`\Google`,
			`C:\Program Files\Chromium-Gost`, `C:\Program Files (x86)\Chromium-Gost`, local+`\Chromium-Gost`, local+`\Chromium`,
			`C:\Program Files\Mozilla Firefox`, `C:\Program Files (x86)\Mozilla Firefox`, `C:\Users\ivanov\AppData\Roaming\Mozilla`,
			local+`\Yandex`, `C:\Program Files\Yandex`, `C:\Program Files (x86)\Yandex`,
			`C:\Windows\SysWOW64\capicom.dll`)
	// IE: zakupki in the trusted zone, bus.gov.ru not; unsafe ActiveX off.
	b.Reg(`HKCU\`+ieSet+`\ZoneMap\Domains\gov.ru\zakupki`, host.RegViewDefault, fakefs.DWORD("https", 2)).
		Reg(`HKCU\`+ieSet+`\Zones\2`, host.RegViewDefault, fakefs.DWORD("1200", 0), fakefs.DWORD("1201", 3), fakefs.DWORD("1400", 0),
			fakefs.DWORD("1406", 0), fakefs.DWORD("1809", 3), fakefs.DWORD("2500", 3)).
		NoReg(host.RegViewDefault, `HKLM\`+iePol, `HKCU\`+iePol, `HKLM\`+ieSet+`\ZoneMap`, `HKLM\`+ieSet+`\Zones`, `HKCU\`+ieSet+`\ZoneMap\EscDomains`)
	return b
}

func TestWindowsGMUFixture(t *testing.T) {
	path := testutil.Testdata(t, "workstations", "platform-windows-gmu.json")
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, windowsGMU().Snapshot()); err != nil {
		t.Fatal(err)
	}
	if *updateFixtures {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	disk, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with go test ./checks/internal/platform -run Fixture -update-platform-fixtures)", err)
	}
	if !bytes.Equal(disk, buf.Bytes()) {
		t.Fatalf("%s is out of date; regenerate with -update-platform-fixtures", path)
	}
	snap, err := host.LoadSnapshotFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := host.NewSnapshotHost(snap)
	s, err := profile.Resolve([]string{"gmu", "eis"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := doctor.Options{Sites: []string{"gmu", "eis"}, Profiles: s}
	for _, c := range []struct {
		check  *doctor.Check
		status doctor.Status
		codes  string
	}{
		{csp.Check, doctor.StatusOK, ""},
		{csplicense.Check, doctor.StatusWarn, "csp-license.expires-soon"},
		{plugin.Check, doctor.StatusWarn, "plugin.site-not-trusted"},
		{iezones.Check, doctor.StatusWarn, "ie-zones.not-trusted,ie-zones.action"},
		{capicom.Check, doctor.StatusWarn, "capicom.missing"},
		{browsercache.Check, doctor.StatusWarn, "browser-cache.stale"},
		{gosttls.Check, doctor.StatusSkipped, ""},
	} {
		res := doctortest.Run(t, c.check, h, o, nil)
		if res.Status != c.status || strings.Join(doctortest.Codes(res), ",") != c.codes {
			t.Errorf("%s: %v %v, want %v %s\n%s", c.check.ID, res.Status, doctortest.Codes(res), c.status, c.codes, doctortest.Describe(res, i18n.EN))
		}
	}
}
