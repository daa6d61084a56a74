package proxy

import (
	"encoding/binary"
	"testing"
)

// blob builds a connection-settings blob as Windows writes it.
func blob(flags uint32, strs ...string) []byte {
	b := make([]byte, 12)
	binary.LittleEndian.PutUint32(b, 0x46)
	binary.LittleEndian.PutUint32(b[4:], 7)
	binary.LittleEndian.PutUint32(b[8:], flags)
	for _, s := range strs {
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(s)))
		b = append(b, n[:]...)
		b = append(b, s...)
	}
	return b
}

func TestParseConnSettings(t *testing.T) {
	c, err := ParseConnSettings(blob(flagDirect|flagProxy, "proxy.corp:3128", "<local>;*.corp", ""))
	if err != nil || !c.UsesProxy() || c.Proxy != "proxy.corp:3128" || c.Bypass != "<local>;*.corp" || c.UsesPAC() {
		t.Errorf("proxy blob: %+v %v", c, err)
	}
	c, err = ParseConnSettings(blob(flagDirect|flagAutoURL, "", "", "http://wpad.corp/proxy.pac"))
	if err != nil || c.UsesProxy() || !c.UsesPAC() || c.AutoConfig != "http://wpad.corp/proxy.pac" {
		t.Errorf("PAC blob: %+v %v", c, err)
	}
	// WinHTTP "direct access": header and two empty strings.
	c, err = ParseConnSettings(blob(flagDirect, "", ""))
	if err != nil || c.UsesProxy() {
		t.Errorf("direct blob: %+v %v", c, err)
	}
	for _, bad := range [][]byte{{1, 2, 3}, append(blob(flagProxy), 0xff, 0xff, 0xff, 0x7f, 'x'), append(blob(flagProxy), 1, 0)} {
		if _, err := ParseConnSettings(bad); err == nil {
			t.Errorf("accepted % X", bad)
		}
	}
}

func FuzzParseConnSettings(f *testing.F) {
	f.Add(blob(flagDirect|flagProxy, "proxy.corp:3128", "<local>", "http://x/p.pac"))
	f.Add(blob(flagDirect))
	f.Add([]byte{0x46, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConnSettings(b)
		if err == nil && len(c.Proxy)+len(c.Bypass)+len(c.AutoConfig) > len(b) {
			t.Fatalf("strings longer than the blob: %+v", c)
		}
	})
}

func TestParseEnvironment(t *testing.T) {
	got := ParseEnvironment("# comment\nexport http_proxy=\"http://p:3128\"\r\nNO_PROXY='a,b'\n=bad\nPATH=/usr/bin\n")
	if got["http_proxy"] != "http://p:3128" || got["NO_PROXY"] != "a,b" || got["PATH"] != "/usr/bin" || len(got) != 3 {
		t.Errorf("%v", got)
	}
}

func FuzzParseEnvironment(f *testing.F) {
	f.Add("export https_proxy='http://10.0.0.1:3128'\nno_proxy=.corp\n")
	f.Add("\"\n=\n'")
	f.Fuzz(func(t *testing.T, s string) {
		for k, v := range ParseEnvironment(s) {
			if k == "" || len(k)+len(v) > len(s) {
				t.Fatalf("%q=%q from %q", k, v, s)
			}
		}
	})
}
