package host

import (
	"bytes"
	"testing"
)

func TestAllowedCommand(t *testing.T) {
	const sys = `C:\Windows`
	for _, c := range []struct {
		goos string
		argv []string
		ok   bool
	}{
		{"windows", []string{`C:\Windows\SysWOW64\regsvr32.exe`, "/s", `C:\Windows\SysWOW64\capicom.dll`}, true},
		{"windows", []string{`c:\windows\system32\REGSVR32.EXE`, "/s", "/u", `C:\Windows\System32\capicom.dll`}, true},
		{"windows", []string{`C:\Windows\SysWOW64\regsvr32.exe`, `C:\Windows\SysWOW64\capicom.dll`}, false}, // not silent
		{"windows", []string{`C:\Temp\regsvr32.exe`, "/s", `C:\Windows\SysWOW64\capicom.dll`}, false},
		{"windows", []string{`C:\Windows\SysWOW64\regsvr32.exe`, "/s", `C:\evil.dll`}, false},
		{"windows", []string{`C:\Windows\SysWOW64\regsvr32.exe`, "/s", `x.dll & del C:\capicom.dll`}, false},
		{"windows", []string{"regsvr32", "/s", `capicom.dll`}, false},
		{"linux", []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"}, true},
		{"linux", []string{"/usr/bin/systemctl", "stop", "sshd"}, false},
		{"linux", []string{"systemctl", "enable", "--now", "pcscd.socket"}, false},
		{"linux", []string{"/usr/sbin/update-ca-certificates"}, true},
		{"linux", []string{"/usr/sbin/update-ca-certificates", "--certsdir", "/tmp"}, false},
		{"linux", []string{"/usr/bin/update-ca-trust", "extract"}, true},
		{"linux", []string{"/opt/cprocsp/sbin/amd64/cpconfig", "-ini", `\local\Software\Crypto Pro\CAdESplugin`, "-add", "multistring", "TrustedSites", "https://bus.gov.ru"}, true},
		{"linux", []string{"/opt/cprocsp/sbin/amd64/cpconfig", "-license", "-set", "X"}, false},
		{"linux", []string{"/opt/cprocsp/sbin/../../../bin/cpconfig", "-ini", `\local\Software\Crypto Pro\CAdESplugin`, "-add", "multistring", "TrustedSites", "https://x"}, false},
		{"linux", []string{"/opt/cprocsp/sbin/amd64/cpconfig", "-ini", `\local\Software\Crypto Pro\CAdESplugin`, "-add", "multistring", "TrustedSites", "-delete"}, false},
		{"linux", nil, false},
	} {
		if got := AllowedCommand(c.goos, c.argv, sys); got != c.ok {
			t.Errorf("AllowedCommand(%s, %q) = %v", c.goos, c.argv, got)
		}
	}
}

func TestMayRemoveDir(t *testing.T) {
	for _, c := range []struct {
		home, path string
		win, ok    bool
	}{
		{"/home/u", "/home/u/.cache/chromium/Default/Cache", false, true},
		{"/home/u", "/home/u/.cache", false, false},
		{"/home/u", "/home/u", false, false},
		{"/home/u", "/home/u/.cache/x/../../..", false, false},
		{"/home/u", "/home/uu/.cache/chromium/Default", false, false},
		{"/home/u", "/etc/ssl/certs/x", false, false},
		{"", "/x/y/z/w", false, false},
		{`C:\Users\u`, `C:\Users\u\AppData\Local\Google\Chrome\User Data\Default\Cache`, true, true},
		{`C:\Users\u`, `c:\users\U\AppData\Local\Yandex`, true, true},
		{`C:\Users\u`, `C:\Users\u\AppData`, true, false},
		{`C:\Users\u`, `C:\Windows\System32\x\y`, true, false},
		{`C:\Users\u`, `C:\Users\u\a\..\..\..\Windows`, true, false},
	} {
		if got := MayRemoveDir(c.home, c.path, c.win); got != c.ok {
			t.Errorf("MayRemoveDir(%q, %q) = %v", c.home, c.path, got)
		}
	}
}

func TestEncodeRegValueRoundTrip(t *testing.T) {
	for _, v := range []RegValue{
		{Name: "https", Type: RegDWORD, Integer: 2},
		{Name: "q", Type: RegQWORD, Integer: 1 << 40},
		{Name: "s", Type: RegSZ, String: "Тест 😀"},
		{Name: "e", Type: RegExpandSZ, String: `%SystemRoot%\x`},
		{Name: "TrustedSites", Type: RegMultiSZ, Strings: []string{"https://bus.gov.ru", "https://*.roskazna.ru"}},
		{Name: "b", Type: RegBinary, Binary: []byte{1, 2, 3}},
	} {
		typ, data, err := EncodeRegValue(v)
		if err != nil {
			t.Fatal(err)
		}
		got := DecodeRegValue(v.Name, typ, data)
		if got.Type != v.Type || got.Text() != v.Text() || !bytes.Equal(got.Binary, v.Binary) || got.Error != "" {
			t.Errorf("%s: round trip gave %+v", v.Name, got)
		}
	}
	for _, v := range []RegValue{{Type: RegDWORD, Integer: 1 << 33}, {Type: RegMultiSZ, Strings: []string{"a", ""}}, {Type: RegNone}} {
		if _, _, err := EncodeRegValue(v); err == nil {
			t.Errorf("%+v encoded", v)
		}
	}
}
