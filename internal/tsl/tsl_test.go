package tsl

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sample.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	l, err := Parse(bytes.NewReader(sample(t)))
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != "99999" || len(l.CAs) != 2 {
		t.Fatalf("version %q, %d CAs", l.Version, len(l.CAs))
	}
	ca, key := l.ByKeyID("06:64:13:A7:CE:E0:83:E2:A6:7D:9F:89:A7:D6:56:19:98:4C:D9:A7")
	if ca == nil || ca.OGRN != "1047797019830" || !ca.Active() || key.CRLs[0] != "http://crl.roskazna.ru/crl/ucfk_2024.crl" {
		t.Fatalf("by key id: %+v %+v", ca, key)
	}
	c := key.Certs[0]
	if !c.NotAfter.Equal(time.Date(2039, 5, 30, 8, 38, 34, 0, time.UTC)) || c.Serial != "6C09C07600000000098C" {
		t.Errorf("cert %+v", c)
	}
	der, err := c.DER()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(der)
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); got != c.Thumbprint {
		t.Errorf("DER SHA-1 %s, thumbprint %s", got, c.Thumbprint)
	}
	if ca2, c2 := l.ByThumbprint("12bc42082d3f6027a29b7a87fe09b0329631c076"); ca2 != ca || c2 == nil {
		t.Error("by thumbprint")
	}
	other, _ := l.ByKeyID("00112233445566778899AABBCCDDEEFF00112233")
	if other == nil || other.Active() || other.Status != StatusTerminated {
		t.Errorf("terminated CA: %+v", other)
	}
	if ca, _ := l.ByKeyID("FF"); ca != nil {
		t.Error("unknown key found")
	}
	if ca, _ := l.ByKeyID(""); ca != nil {
		t.Error("empty key found")
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"not xml":    "hello",
		"other root": "<a><b/></a>",
		"no CAs":     "<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия></АккредитованныеУдостоверяющиеЦентры>",
		"cp1251":     `<?xml version="1.0" encoding="windows-1251"?><АккредитованныеУдостоверяющиеЦентры/>`,
		"truncated":  string(sample(t)[:2000]),
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestParseTooLarge(t *testing.T) {
	defer func(old int64) { limit = old }(limit)
	limit = 1 << 20
	_, err := Parse(endless{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample(f))
	f.Add([]byte("<АккредитованныеУдостоверяющиеЦентры><УдостоверяющийЦентр><Название>x</Название></УдостоверяющийЦентр></АккредитованныеУдостоверяющиеЦентры>"))
	f.Add([]byte("<?xml version=\"1.0\"?><a/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, ca := range l.CAs {
			for _, k := range ca.Keys {
				l.ByKeyID(k.KeyID)
				for _, c := range k.Certs {
					_, _ = c.DER()
					l.ByThumbprint(c.Thumbprint)
				}
			}
		}
	})
}
