package cprocsp

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func realOutput(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "linux", "outputs", "real", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
}

// want is what a person reads in one record of a real listing.
type want struct {
	sha1, subjectCN string
	notBefore       time.Time
	notAfter        time.Time
	key             bool
	container       string
	provType        int
	keySpec         int
}

func checkRecord(t *testing.T, name string, r CertRecord, w want) {
	t.Helper()
	if r.SHA1 != w.sha1 {
		t.Errorf("%s: SHA1 %q, want %q", name, r.SHA1, w.sha1)
	}
	if w.subjectCN != "" && !strings.Contains(r.Subject, "CN="+w.subjectCN) {
		t.Errorf("%s: subject %q, want CN=%s", name, r.Subject, w.subjectCN)
	}
	if !r.NotBefore.Equal(w.notBefore) || !r.NotAfter.Equal(w.notAfter) {
		t.Errorf("%s: valid %v – %v, want %v – %v", name, r.NotBefore, r.NotAfter, w.notBefore, w.notAfter)
	}
	if r.HasPrivateKey != w.key || r.Container != w.container || r.ProvType != w.provType || r.KeySpec != w.keySpec {
		t.Errorf("%s: key link %v %q type %d spec %d, want %v %q type %d spec %d", name,
			r.HasPrivateKey, r.Container, r.ProvType, r.KeySpec, w.key, w.container, w.provType, w.keySpec)
	}
}

func TestParseCertmgrListReal(t *testing.T) {
	cases := []struct {
		file string
		want []want
	}{
		{"certmgr-1.0-inst-uroot-pycryptoprosdk16.txt", []want{{
			sha1: "046255290B0EB1CDD1797D9AB8C81F699E3687F3", subjectCN: "CRYPTO-PRO Test Center 2",
			notBefore: utc(2014, time.August, 5, 13, 44, 24), notAfter: utc(2019, time.August, 5, 13, 54, 3),
		}}},
		{"certmgr-1.0-list-two-keys.txt", []want{{
			sha1: "5B204D0A195CAECB50734418A896CC1287D2DDC7", subjectCN: "TestSertificateName",
			notBefore: utc(2017, time.September, 5, 15, 45, 3), notAfter: utc(2017, time.December, 5, 15, 55, 3),
			key: true, container: `HDIMAGE\\db666fac.000\0101`, provType: 75, keySpec: 1,
		}, {
			sha1: "5E9096B19C17A5CE9EB5F99894EA6DE5A7E61BF2", subjectCN: "demo",
			notBefore: utc(2017, time.April, 27, 9, 40, 47), notAfter: utc(2017, time.July, 27, 9, 50, 47),
			key: true, container: `HDIMAGE\\d35c50fc.000\630D`, provType: 75, keySpec: 1,
		}}},
		{"certmgr-5.0-list-provider-type-corefx36.txt", []want{{
			sha1: "F269566B9263BC807EF05E6E4BA31DC11B3FC2B0", subjectCN: "esia-test2012-sign",
			notBefore: utc(2020, time.November, 13, 13, 45, 5), notAfter: utc(2021, time.February, 13, 13, 55, 5),
			key: true, container: `HDIMAGE\\de5396da.000\E74C`, provType: 80, keySpec: 1,
		}}},
		{"certmgr-1.1-list-elided.txt", []want{{
			key: true, container: `HDIMAGE\\c0197fed.000\3D0E`,
		}}},
	}
	for _, c := range cases {
		raw := realOutput(t, c.file)
		crlf := []byte(strings.ReplaceAll(string(raw), "\n", "\r\n"))
		indented := []byte("    " + strings.ReplaceAll(string(raw), "\n", "\n    "))
		tabbed := []byte("\t" + strings.ReplaceAll(string(crlf), "\n", "\n\t"))
		for _, v := range []struct {
			name string
			in   []byte
		}{{c.file, raw}, {c.file + " (CRLF)", crlf}, {c.file + " (indented)", indented}, {c.file + " (tab, CRLF)", tabbed}, {c.file + " (cp1251)", EncodeCP1251(string(raw))}} {
			recs, err := ParseCertmgrList(v.in)
			if err != nil || len(recs) != len(c.want) {
				t.Errorf("%s: %d records, %v; want %d", v.name, len(recs), err, len(c.want))
				continue
			}
			for i, w := range c.want {
				checkRecord(t, v.name, recs[i], w)
			}
		}
	}
	// The elided listing keeps its EKU continuation lines.
	recs, _ := ParseCertmgrList(realOutput(t, "certmgr-1.1-list-elided.txt"))
	if len(recs) != 1 || strings.Join(recs[0].EKU, " ") != "1.2.643.2.2.34.25 1.2.643.2.2.34.26 1.2.643.2.2.34.6 1.3.6.1.5.5.7.3.2 1.3.6.1.5.5.7.3.4" {
		t.Errorf("elided listing EKU: %+v", recs)
	}
}

// An empty store reported on stderr (CSP 5.0.11823): stdout has only the
// banner; the caller passes both streams.
func TestParseCertmgrListEmptyOnStderr(t *testing.T) {
	stdout := "Certmgr 1.1 (c) \"Crypto-Pro\",  2007-2020.\nprogram for managing certificates, CRLs and stores\n\n"
	stderr := realOutput(t, "certmgr-5.0.11823-empty-stderr-nginx-gost7.txt")
	recs, err := ParseCertmgrList(append([]byte(stdout), stderr...))
	if err != nil || len(recs) != 0 {
		t.Errorf("banner + stderr: %+v, %v", recs, err)
	}
	if _, err := ParseCertmgrList([]byte(stdout)); err == nil {
		t.Error("banner alone: no error (the stderr message is what makes it an empty store)")
	}
}

func TestParseCertmgrTimeDayFirst(t *testing.T) {
	for in, w := range map[string]time.Time{
		"09/04/2018  06:47:12 UTC": utc(2018, time.April, 9, 6, 47, 12),
		"27/04/2017 09:40:47":      utc(2017, time.April, 27, 9, 40, 47),
		"31/12/2030 23:59:59 GMT":  utc(2030, time.December, 31, 23, 59, 59),
		"24.06.2027 13:45:51 UTC":  utc(2027, time.June, 24, 13, 45, 51),
	} {
		if got := parseCertmgrTime(in); !got.Equal(w) {
			t.Errorf("%q: %v, want %v", in, got, w)
		}
	}
	if got := parseCertmgrTime("13/31/2020 00:00:00 UTC"); !got.IsZero() {
		t.Errorf("month first 13/31: %v, want zero", got)
	}
}

// Real csptest output: the version line and the container list.
func TestParseCsptestReal(t *testing.T) {
	for file, want := range map[string]Version{
		"csptest-5.0.12455-enum-cont-rutoken.txt":        {ProvType: 80, Kernel: "5.0.10010", Class: "KC1", Build: "5.0.12455", OS: "Linux", CPU: "AMD64"},
		"csptest-5.0.13000-windows-keys-enum.txt":        {ProvType: 80, Kernel: "5.0.10013", Class: "KC1", Build: "5.0.13000", OS: "Windows", CPU: "AMD64"},
		"csptest-5.0.11823-deletekeyset-nginx-gost7.txt": {ProvType: 81, Kernel: "5.0.10006", Class: "KC2", Build: "5.0.11823", OS: "Linux", CPU: "AMD64"},
	} {
		raw := realOutput(t, file)
		for _, in := range [][]byte{raw, []byte(strings.ReplaceAll(string(raw), "\n", "\r\n"))} {
			v, err := ParseVersion(in)
			if err != nil || v != want {
				t.Errorf("%s: %+v, %v; want %+v", file, v, err, want)
			}
		}
	}
	raw := realOutput(t, "csptest-5.0.12455-enum-cont-rutoken.txt")
	for _, in := range [][]byte{raw, []byte("  " + strings.ReplaceAll(string(raw), "\n", "\r\n  "))} {
		list, err := ParseContainers(in)
		if err != nil || len(list) != 1 || list[0].Reader != "Aktiv Rutoken ECP 00 00" || list[0].Name != "0c686f35c-328c-0cf8-e404-900dcf68a53" {
			t.Errorf("containers %+v, %v", list, err)
		}
	}
}
