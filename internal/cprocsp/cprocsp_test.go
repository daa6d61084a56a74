package cprocsp

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func output(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "linux", "outputs", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeTextAgainstIconv(t *testing.T) {
	iconv := testutil.RequireTool(t, "iconv", "oracle for the cp1251 table")
	var all []byte
	for c := 0x20; c < 0x100; c++ {
		if c == 0x98 || c == 0x7f {
			continue
		}
		all = append(all, byte(c))
	}
	cmd := exec.Command(iconv, "-f", "CP1251", "-t", "UTF-8")
	cmd.Stdin = bytes.NewReader(all)
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("iconv: %v", err)
	}
	if got := DecodeText(all); got != string(want) {
		t.Fatalf("cp1251 table differs from iconv:\n got %q\nwant %q", got, want)
	}
	if back := EncodeCP1251(string(want)); !bytes.Equal(back, all) {
		t.Fatalf("EncodeCP1251 is not the inverse of DecodeText")
	}
}

func TestDecodeText(t *testing.T) {
	cases := []struct {
		in   []byte
		want string
	}{
		{[]byte("plain\r\nascii\r\n"), "plain\nascii\n"},
		{[]byte("Издатель"), "Издатель"},
		{[]byte{0xC8, 0xE7, 0xE4, 0xE0, 0xF2, 0xE5, 0xEB, 0xFC}, "Издатель"},
		{[]byte{0xA8, 0xB8, 0xB9, 0x98}, "Ёё№\uFFFD"},
		{nil, ""},
	}
	for _, c := range cases {
		if got := DecodeText(c.in); got != c.want {
			t.Errorf("DecodeText(% X) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	cases := []struct {
		file string
		want Version
	}{
		{"csptest-keyset-verifycontext-5.0.12455.txt", Version{80, "5.0.10010", "KC1", "5.0.12455", "Linux", "AMD64"}},
		{"csptest-keyset-verifycontext-4.0.9797.txt", Version{80, "4.0.9009", "KC1", "4.0.9797", "Linux", "AMD64"}},
		{"csptest-keyset-verifycontext-5.0.13000-windows.txt", Version{80, "5.0.10013", "KC1", "5.0.13000", "Windows", "AMD64"}},
		{"csptest-keyset-verifycontext-4.0.9944.txt", Version{80, "4.0.9017", "KC2", "4.0.9944", "Linux", "AMD64"}},
		{"csptest-enum-cont-4.0.9944.txt", Version{80, "4.0.9017", "KC2", "4.0.9944", "Linux", "AMD64"}},
	}
	for _, c := range cases {
		got, err := ParseVersion(output(t, c.file))
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v; want %+v", c.file, got, err, c.want)
		}
	}
	// Anywhere in the output, after other lines, and with CRLF.
	got, err := ParseVersion([]byte("noise\r\nCSP (Type:75) v3.9.8000 KC1 Release Ver:3.9.8353 OS:Linux CPU:IA32 FastCode:READY.\r\n"))
	if err != nil || got.Build != "3.9.8353" || got.ProvType != 75 || got.CPU != "IA32" {
		t.Errorf("CRLF line: %+v, %v", got, err)
	}
	if got.Major() != 3 {
		t.Errorf("Major = %d", got.Major())
	}
	if _, err := ParseVersion([]byte("csptest: command not found\n")); !errors.Is(err, ErrNoVersion) {
		t.Errorf("no version line: err = %v", err)
	}
}

func TestCompareBuild(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"5.0.12455", "4.0.9944", 1},
		{"4.0.9944", "5.0.12455", -1},
		{"5.0.12000", "5.0.12000", 0},
		{"5.0.11455", "5.0.12000", -1},
		{"4.0.9971", "4.0.9708", 1},
		{"5.0", "5.0.0", 0},
		{"5.0.9", "5.0.10", -1}, // numeric, not lexical
		{"", "0", 0},
		{"5.0.x", "5.0.0", 0},
	}
	for _, c := range cases {
		if got := CompareBuild(c.a, c.b); got != c.want {
			t.Errorf("CompareBuild(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestParseContainers(t *testing.T) {
	got, err := ParseContainers(output(t, "csptest-enum-cont-4.0.9944.txt"))
	if err != nil || len(got) != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got[0] != (Container{FQCN: `\\.\HDIMAGE\xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, Reader: "HDIMAGE", Name: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}) {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].Reader != "Aktiv Co. Rutoken S 00 00" {
		t.Errorf("second reader: %q", got[1].Reader)
	}
	for _, f := range []string{"csptest-enum-cont-unique-5.0.12455.txt", "csptest-enum-cont-unique.cp1251.txt"} {
		got, err := ParseContainers(output(t, f))
		if err != nil || len(got) != 2 {
			t.Fatalf("%s: %+v, %v", f, got, err)
		}
		want := Container{FQCN: `\\.\HDIMAGE\Иванов И.И. 2025`, Unique: `HDIMAGE\\ivanov_2.000\9F3A`, Reader: "HDIMAGE", Name: "Иванов И.И. 2025"}
		if got[0] != want {
			t.Errorf("%s: %+v, want %+v", f, got[0], want)
		}
	}
	got, err = ParseContainers(output(t, "csptest-enum-cont-empty.txt"))
	if err != nil || len(got) != 0 {
		t.Errorf("empty: %+v, %v", got, err)
	}
	if _, err := ParseContainers([]byte("[ErrorCode: 0x80090016]\n")); err == nil || !strings.Contains(err.Error(), "0x80090016") {
		t.Errorf("error code: %v", err)
	}
	if _, err := ParseContainers([]byte("segmentation fault\n")); err == nil {
		t.Error("garbage: no error")
	}
}

func TestParseLicense(t *testing.T) {
	l, err := ParseLicense(output(t, "cpconfig-license-view-demo.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Serial != "5050N4003001BT72MA83QF3T0" || !l.HasDaysLeft || l.DaysLeft != 94 || l.Type != "Demo" || l.Permanent || l.Expired {
		t.Errorf("demo: %+v", l)
	}
	l, err = ParseLicense(output(t, "cpconfig-license-view-permanent-guess.txt"))
	if err != nil || !l.Permanent || l.Serial != "5050N-40030-01BT7-2MA83-QF3T0" || l.Type != "Server" || l.HasDaysLeft {
		t.Errorf("permanent: %+v, %v", l, err)
	}
	l, err = ParseLicense(EncodeCP1251("Серийный номер: 4040A-B0000-0000C-DDDDD-EEEEE\nТип лицензии: Клиентская\nЛицензия истекла\n"))
	if err != nil || !l.Expired || l.Type != "Клиентская" || l.Serial != "4040A-B0000-0000C-DDDDD-EEEEE" {
		t.Errorf("russian cp1251: %+v, %v", l, err)
	}
	l, err = ParseLicense([]byte("Expires: 0 day(s)\n"))
	if err != nil || !l.Expired || !l.HasDaysLeft {
		t.Errorf("zero days: %+v, %v", l, err)
	}
	if _, err := ParseLicense(output(t, "cpconfig-license-view-error.txt")); err == nil || !strings.Contains(err.Error(), "0x80090022") {
		t.Errorf("error output: %v", err)
	}
	if _, err := ParseLicense([]byte("something else entirely\n")); !errors.Is(err, ErrUnknownLicenseFormat) {
		t.Errorf("unknown layout: %v", err)
	}
}

func TestParseCertmgrListVariants(t *testing.T) {
	// "09/04/2018" is 9 April: certmgr prints dates day first (see the
	// real listings in TestParseCertmgrListReal).
	nb := time.Date(2018, 4, 9, 6, 47, 12, 0, time.UTC)
	na := time.Date(2019, 4, 9, 6, 57, 12, 0, time.UTC)
	for _, f := range []string{
		"certmgr-list-umy-en.txt",
		"certmgr-list-umy-ru-hash.txt",
		"certmgr-list-umy-ru-thumbprint.txt",
		"certmgr-list-umy-sha1-thumbprint.txt",
		"certmgr-list-umy-ru-hash.cp1251.txt",
	} {
		recs, err := ParseCertmgrList(output(t, f))
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d records, %v", f, len(recs), err)
		}
		r := recs[0]
		if r.SHA1 != "0123456789ABCDEF0123456789ABCDEF01234567" || r.Serial != "0A1B2C3D4E5F60718293A4B5C6D7E8F9001122" ||
			r.SubjKeyID != "89ABCDEF0123456789ABCDEF0123456789ABCDEF" {
			t.Errorf("%s: hex fields %q %q %q", f, r.SHA1, r.Serial, r.SubjKeyID)
		}
		if !strings.HasSuffix(r.Issuer, "CN=Государственный УЦ Омской области") || !strings.HasPrefix(r.Subject, "OGRN=1025501179274") {
			t.Errorf("%s: names %q / %q", f, r.Issuer, r.Subject)
		}
		if !r.NotBefore.Equal(nb) || !r.NotAfter.Equal(na) {
			t.Errorf("%s: dates %v %v", f, r.NotBefore, r.NotAfter)
		}
		if !r.HasPrivateKey || r.Container != `HDIMAGE\\XXXXXXXX.000\XXXX` || r.ProviderName != "Crypto-Pro GOST R 34.10-2012 KC2 CSP" || r.ProvType != 80 || r.KeySpec != 1 {
			t.Errorf("%s: key link %+v", f, r)
		}
		wantEKU := []string{"1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4", "1.2.643.5.1.29", "1.2.643.5.1.24.2.6", "1.2.643.2.2.34.6", "1.2.643.100.2.1"}
		if strings.Join(r.EKU, ",") != strings.Join(wantEKU, ",") {
			t.Errorf("%s: EKU %q", f, r.EKU)
		}
		if len(r.CAURLs) != 1 || r.CAURLs[0] != "http://pki.omskportal.ru/dms/cdp2/guc_cer/guc.cer" || len(r.CDPs) != 1 {
			t.Errorf("%s: URLs %q %q", f, r.CAURLs, r.CDPs)
		}
		if r.SignatureAlgorithm != "ГОСТ Р 34.11/34.10-2001" || r.PublicKeyAlgorithm != "ГОСТ Р 34.10-2001 (512 bits)" {
			t.Errorf("%s: algorithms %q %q", f, r.SignatureAlgorithm, r.PublicKeyAlgorithm)
		}
	}
	recs, err := ParseCertmgrList(output(t, "certmgr-list-ca-en-lowercase.txt"))
	if err != nil || len(recs) != 1 || recs[0].SHA1 != "19A2784DFC468BF50316C8D3C6646CD3BE8B7DA4" || recs[0].HasPrivateKey {
		t.Errorf("lower-case hex: %+v, %v", recs, err)
	}
}

func TestParseCertmgrListEmptyAndErrors(t *testing.T) {
	recs, err := ParseCertmgrList(output(t, "certmgr-list-empty.txt"))
	if err != nil || len(recs) != 0 {
		t.Errorf("empty: %+v, %v", recs, err)
	}
	if _, err := ParseCertmgrList([]byte("Certmgr 1.1\n[ErrorCode: 0x80070005]\n")); err == nil || !strings.Contains(err.Error(), "0x80070005") {
		t.Errorf("access denied: %v", err)
	}
	if _, err := ParseCertmgrList([]byte("")); err == nil {
		t.Error("no output: no error")
	}
	if _, err := ParseCertmgrList([]byte("\x00\x01binary garbage")); err == nil {
		t.Error("garbage: no error")
	}
	// Several records: numbering and framing.
	two := "=====\n1-------\nSubject : CN=a\nSHA1 Hash : aa\n2-------\nSubject : CN=b\nSHA1 Hash : BB\n=====\n"
	recs, err = ParseCertmgrList([]byte(two))
	if err != nil || len(recs) != 2 || recs[0].Subject != "CN=a" || recs[1].SHA1 != "BB" || recs[0].SHA1 != "AA" {
		t.Errorf("two records: %+v, %v", recs, err)
	}
}

func readPEM(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "certs", "realworld", name))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := pem.Decode(b); p != nil {
		return p.Bytes
	}
	return b
}

func TestStoreRoundTrip(t *testing.T) {
	root := readPEM(t, "guc-root-gost2012-mincifry-2022.pem")
	leaf := readPEM(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	key := &KeyLink{Container: `\\.\HDIMAGE\Иванов 2025`, Provider: "Crypto-Pro GOST R 34.10-2012 KC1 CSP", ProvType: 80, KeySpec: 1}
	data := MarshalStore([]StoreEntry{{DER: root}, {DER: leaf, Key: key}})
	got, err := ParseStore(data)
	if err != nil || len(got) != 2 {
		t.Fatalf("%d entries, %v", len(got), err)
	}
	sum := sha1.Sum(root)
	if got[0].SHA1 != strings.ToUpper(hex.EncodeToString(sum[:])) || got[0].SHA1 != "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A" {
		t.Errorf("root SHA1 %s", got[0].SHA1)
	}
	if got[0].Key != nil || got[0].Error != "" || !bytes.Equal(got[0].DER, root) {
		t.Errorf("root entry %+v", got[0])
	}
	if got[1].Key == nil || *got[1].Key != *key || got[1].Error != "" {
		t.Errorf("leaf key %+v err %q", got[1].Key, got[1].Error)
	}
	// Empty store.
	if got, err := ParseStore(MarshalStore(nil)); err != nil || len(got) != 0 {
		t.Errorf("empty store: %v %v", got, err)
	}
}

func TestParseStoreErrors(t *testing.T) {
	leaf := readPEM(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	full := MarshalStore([]StoreEntry{{DER: leaf, Key: &KeyLink{Container: "c", Provider: "p", ProvType: 80, KeySpec: 2}}, {DER: leaf}})
	for _, bad := range [][]byte{nil, []byte("CERT"), []byte("-----BEGIN CERTIFICATE-----\n"), append([]byte{1, 0, 0, 0}, full[4:]...)} {
		if _, err := ParseStore(bad); !errors.Is(err, ErrUnrecognisedStore) {
			t.Errorf("ParseStore(%q...) = %v, want ErrUnrecognisedStore", bad[:len(bad)/2], err)
		}
	}
	// Cut in the second certificate: the first survives, the error says truncated.
	cut := full[:len(full)-12-100]
	got, err := ParseStore(cut)
	if !errors.Is(err, ErrTruncatedStore) || len(got) != 1 || got[0].Key == nil || got[0].Key.KeySpec != 2 {
		t.Errorf("truncated: %d entries, %v", len(got), err)
	}
	// Wrong stored SHA-1 and a broken key link are per-entry errors.
	sum := sha1.Sum(leaf)
	withHash := AppendStoreElement(append([]byte(nil), storeMagic...), PropSHA1, sum[:])
	withHash = AppendStoreElement(withHash, PropCert, leaf)
	if got, err := ParseStore(withHash); err != nil || len(got) != 1 || got[0].Error != "" {
		t.Errorf("good hash property: %+v, %v", got, err)
	}
	withHash[8+12] ^= 0xFF // first byte of the SHA-1 property value
	got, err = ParseStore(withHash)
	if err != nil || len(got) != 1 || !strings.Contains(got[0].Error, "SHA-1") {
		t.Errorf("bad hash: %+v, %v", got, err)
	}
	bad := append([]byte(nil), full...)
	bad[8+12] = 0xF0 // container-name offset of the key link points outside
	got, err = ParseStore(bad)
	if err != nil || len(got) != 2 || got[0].Key == nil || got[0].Key.Error == "" {
		t.Errorf("bad key link: %+v, %v", got, err)
	}
	// A non-DER certificate element.
	got, err = ParseStore(MarshalStore([]StoreEntry{{DER: []byte("not der")}}))
	if err != nil || len(got) != 1 || !strings.Contains(got[0].Error, "DER") {
		t.Errorf("non-DER: %+v, %v", got, err)
	}
}

func TestPaths(t *testing.T) {
	if BinDir(ArchDir("amd64")) != "/opt/cprocsp/bin/amd64" || SbinDir(ArchDir("386")) != "/opt/cprocsp/sbin/ia32" || ArchDir("arm64") != "aarch64" {
		t.Error("arch dirs")
	}
	if StoreFileName("My") != "my.sto" || StoreArg(true, "Root") != "mRoot" || UserStoreDir("ivanov") != "/var/opt/cprocsp/users/ivanov/stores" {
		t.Error("store names")
	}
}

// seeds returns every fixture output plus its cp1251 variant.
func seeds(f *testing.F) {
	dir := testutil.Testdata(f, "linux", "outputs")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	real, err2 := filepath.Glob(filepath.Join(dir, "real", "*.txt"))
	files = append(files, real...)
	if err == nil {
		err = err2
	}
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed outputs in %s: %v", dir, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(EncodeCP1251(DecodeText(b)))
	}
}

func FuzzDecodeText(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := DecodeText(b)
		if strings.Contains(s, "\r") {
			t.Fatal("CR left in output")
		}
	})
}

func FuzzParseVersion(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseVersion(b)
		if err == nil && v.Build == "" {
			t.Fatal("version without build")
		}
		_ = CompareBuild(v.Build, v.Kernel)
	})
}

func FuzzParseContainers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		list, err := ParseContainers(b)
		if err != nil && len(list) > 0 {
			t.Fatal("error with containers")
		}
		for _, c := range list {
			if !strings.HasPrefix(c.FQCN, `\\.\`) || c.Reader == "" && c.Name != "" {
				t.Fatalf("bad container %+v", c)
			}
		}
	})
}

func FuzzParseLicense(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseLicense(b)
	})
}

func FuzzParseCertmgrList(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ParseCertmgrList(b)
		if err != nil && len(recs) > 0 {
			t.Fatal("error with records")
		}
	})
}

func FuzzParseStore(f *testing.F) {
	leaf := readPEM(f, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	root := readPEM(f, "guc-root-gost2012-mincifry-2022.pem")
	f.Add(MarshalStore([]StoreEntry{{DER: root}, {DER: leaf, Key: &KeyLink{Container: `\\.\HDIMAGE\x`, Provider: "p", ProvType: 80, KeySpec: 1}}}))
	f.Add(MarshalStore(nil))
	f.Add([]byte{0, 0, 0, 0, 'C', 'E', 'R', 'T', 2, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0})
	stores, _ := filepath.Glob(filepath.Join(testutil.Testdata(f, "linux"), "*", "root", "var", "opt", "cprocsp", "users", "*", "*.sto"))
	userStores, _ := filepath.Glob(filepath.Join(testutil.Testdata(f, "linux"), "*", "root", "var", "opt", "cprocsp", "users", "*", "stores", "*.sto"))
	stores = append(stores, userStores...)
	for _, p := range stores {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := ParseStore(b)
		if errors.Is(err, ErrUnrecognisedStore) && len(entries) > 0 {
			t.Fatal("entries from an unrecognised store")
		}
		for _, e := range entries {
			sum := sha1.Sum(e.DER)
			if e.SHA1 != strings.ToUpper(hex.EncodeToString(sum[:])) {
				t.Fatal("SHA1 is not the hash of DER")
			}
		}
	})
}

func TestContainerMatches(t *testing.T) {
	c := Container{FQCN: `\\.\HDIMAGE\Иванов 2025`, Unique: `HDIMAGE\\ivanov20.000\9F3A`, Reader: "HDIMAGE", Name: "Иванов 2025"}
	for _, s := range []string{`\\.\HDIMAGE\Иванов 2025`, `\\.\hdimage\иванов 2025`, `HDIMAGE\\ivanov20.000\9F3A`, "Иванов 2025", `HDIMAGE\Иванов 2025`} {
		if !c.Matches(s) {
			t.Errorf("%q should match", s)
		}
	}
	for _, s := range []string{"", `\\.\HDIMAGE\Петров`, `HDIMAGE\\ivanov20.000`, "HDIMAGE"} {
		if c.Matches(s) {
			t.Errorf("%q should not match", s)
		}
	}
}

func BenchmarkParseCertmgrList(b *testing.B) {
	one := output(b, "certmgr-list-umy-ru-thumbprint.txt")
	var big []byte
	for i := 0; i < 200; i++ {
		big = append(big, one...)
	}
	b.SetBytes(int64(len(big)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseCertmgrList(big); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseStore(b *testing.B) {
	leaf := readPEM(b, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	var entries []StoreEntry
	for i := 0; i < 200; i++ {
		entries = append(entries, StoreEntry{DER: leaf, Key: &KeyLink{Container: "c", Provider: "p"}})
	}
	data := MarshalStore(entries)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseStore(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseStoreKeyLinkWithoutContainer(t *testing.T) {
	data := MarshalStore([]StoreEntry{{DER: []byte{0x30, 0}, Key: &KeyLink{Provider: "p", ProvType: 80}}})
	got, err := ParseStore(data)
	if err != nil || len(got) != 1 || got[0].Key == nil || got[0].Key.Error == "" || got[0].Key.Provider != "p" {
		t.Errorf("%+v %v", got, err)
	}
}
