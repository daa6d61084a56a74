package host

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The Linux fixture trees under testdata/linux/<tree>/ have a root/ (what
// --root points at) and an outputs/ directory that the stand-in csptest,
// certmgr and cpconfig scripts print from. The store files and the tool
// outputs that depend on the certificates are generated here from the real
// public certificates in testdata/certs/realworld, so that a .sto file and
// the certmgr listing of the same store always agree:
//
//	go test ./internal/host -run TestLinuxFixturesUpToDate -update-linux-fixtures
var updateLinuxFixtures = flag.Bool("update-linux-fixtures", false, "rewrite the generated files of testdata/linux/<tree>")

type fixtureCert struct {
	file string   // in testdata/certs/realworld
	key  *KeyLink // key link recorded in the store
	// unique is the unique container name certmgr prints for the key.
	unique string
}

type fixtureStore struct {
	machine bool
	store   StoreName
	certs   []fixtureCert
}

type fixtureTree struct {
	name     string
	user     string
	labels   string // "en", "ru-hash", "ru-thumbprint"
	version  string // the csptest version line
	license  string
	cp1251   []string // outputs written in cp1251
	stores   []fixtureStore
	contLine []string // csptest -enum_cont lines
}

const (
	provKC1 = "Crypto-Pro GOST R 34.10-2012 KC1 CSP"
	provKC2 = "Crypto-Pro GOST R 34.10-2012 KC2 CSP"
	prov12  = "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider"
)

var fixtureTrees = []fixtureTree{
	{
		name: "astra-csp5-ru", user: "ivanov", labels: "ru-thumbprint",
		version: "CSP (Type:80) v5.0.10010 KC1 Release Ver:5.0.12455 OS:Linux CPU:AMD64 FastCode:READY:AVX.",
		license: "License validity:\n5050N4003001BT72MA83QF3T0\nExpires: 287 day(s)\nLicense type: Client.\n",
		cp1251:  []string{"csptest-enum-cont.txt"},
		stores: []fixtureStore{
			{true, StoreRoot, []fixtureCert{{file: "guc-root-gost2012-mincifry-2022.pem"}}},
			{true, StoreCA, []fixtureCert{{file: "fk-ca-gost2012-2024-by-mincifry-2022.pem"}}},
			// The HTTPS root of the sites in uRoot, where Chromium-Gost
			// looks for it (certmgr -inst -store uRoot).
			{false, StoreRoot, []fixtureCert{{file: "../tls/russian-trusted-root-ca.pem"}}},
			{false, StoreMy, []fixtureCert{{file: "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der",
				key:    &KeyLink{Container: `\\.\HDIMAGE\Иванов И.И. 2025`, Provider: provKC1, ProvType: 80, KeySpec: 1},
				unique: `HDIMAGE\\ivanov20.000\9F3A`}}},
		},
		contLine: []string{`\\.\HDIMAGE\Иванов И.И. 2025 | HDIMAGE\\ivanov20.000\9F3A`},
	},
	{
		name: "redos-csp4-en", user: "petrov", labels: "en",
		version: "CSP (Type:80) v4.0.9017 KC2 Release Ver:4.0.9944 OS:Linux CPU:AMD64 FastCode:READY:AVX.",
		license: "License validity:\n4040E0000000000000000ABCD\nExpires: 12 day(s)\nLicense type: Demo.\n",
		cp1251:  []string{"csptest-enum-cont.txt"},
		stores: []fixtureStore{
			{true, StoreRoot, []fixtureCert{{file: "guc-root-gost2012-mincifry-2022.pem"}, {file: "guc-root-gost2012-minkomsvyaz-2018.pem"}}},
			// An older Treasury CA only: the 2024 one the personal certificate needs is missing.
			{true, StoreCA, []fixtureCert{{file: "fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem"}}},
			{false, StoreMy, []fixtureCert{{file: "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der",
				key:    &KeyLink{Container: `\\.\HDIMAGE\petrov-2025`, Provider: provKC2, ProvType: 80, KeySpec: 1},
				unique: `HDIMAGE\\petrov25.000\41C7`}}},
		},
		contLine: []string{`\\.\HDIMAGE\petrov-2025 | HDIMAGE\\petrov25.000\41C7`, `\\.\Aktiv Co. Rutoken S 00 00\Петров токен | Aktiv Co. Rutoken S 00 00\\5DC0A1B2`},
	},
	{
		name: "alt-chromium-gost", user: "sidorov", labels: "ru-thumbprint",
		version: "CSP (Type:80) v5.0.10013 KC1 Release Ver:5.0.13000 OS:Linux CPU:AMD64 FastCode:READY:AVX.",
		license: "License validity:\n5050A-B0000-0000C-DDDDD-EEEEE\nLicense type: Server.\nPermanent license.\n",
		stores: []fixtureStore{
			{true, StoreRoot, []fixtureCert{{file: "guc-root-gost2012-mincifry-2022.pem"}}},
			{true, StoreCA, []fixtureCert{{file: "kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem"}}},
			{false, StoreMy, []fixtureCert{{file: "ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der",
				key:    &KeyLink{Container: `\\.\HDIMAGE\gisgkh-2022`, Provider: prov12, ProvType: 80, KeySpec: 2},
				unique: `HDIMAGE\\gisgkh22.000\0B11`}}},
		},
		contLine: []string{`\\.\HDIMAGE\gisgkh-2022 | HDIMAGE\\gisgkh22.000\0B11`},
	},
}

func loadRealCert(t testing.TB, name string) []byte {
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

// generateTree returns the generated files of a tree, by path relative to
// testdata/linux/<tree>.
func generateTree(t testing.TB, tr fixtureTree) map[string][]byte {
	files := map[string][]byte{}
	for _, s := range tr.stores {
		var entries []cprocsp.StoreEntry
		for _, c := range s.certs {
			e := cprocsp.StoreEntry{DER: loadRealCert(t, c.file)}
			if c.key != nil {
				k := cprocsp.KeyLink(*c.key)
				e.Key = &k
			}
			entries = append(entries, e)
		}
		dir := "root" + cprocsp.MachineStoreDir
		if !s.machine {
			dir = "root" + cprocsp.UserStoreDir(tr.user)
		}
		files[dir+"/"+cprocsp.StoreFileName(string(s.store))] = cprocsp.MarshalStore(entries)
		files["outputs/certmgr-list-"+strings.ToLower(cprocsp.StoreArg(s.machine, string(s.store)))+".txt"] = certmgrListing(t, tr.labels, s.certs)
	}
	files["outputs/csptest-keyset-verifycontext.txt"] = []byte(tr.version + "\nAcquireContext: OK. HCRYPTPROV: 6679203\nGetProvParam(PP_NAME): " + provKC1 +
		"\nContainer name: \"\"\nSignature key is not available.\nExchange key is not available.\nOK.\nTotal: SYS: 0,000 sec USR: 0,000 sec UTC: 0,010 sec\n[ErrorCode: 0x00000000]\n")
	files["outputs/csptest-enum-cont.txt"] = []byte(tr.version + "\nAcquireContext: OK. HCRYPTPROV: 24035075\n" + strings.Join(tr.contLine, "\n") +
		"\nOK.\nTotal: SYS: 0,000 sec USR: 0,000 sec UTC: 0,140 sec\n[ErrorCode: 0x00000000]\n")
	files["outputs/cpconfig-license-view.txt"] = []byte(tr.license)
	for _, f := range tr.cp1251 {
		files["outputs/"+f] = cprocsp.EncodeCP1251(string(files["outputs/"+f]))
	}
	return files
}

// DN attribute names as CryptoPro prints them (most specific first, i.e.
// the reverse of the DER order).
var dnNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "S", "2.5.4.9": "STREET", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.12": "T", "2.5.4.42": "G", "2.5.4.4": "SN", "1.2.840.113549.1.9.1": "E",
	"1.2.643.100.1": "OGRN", "1.2.643.3.131.1.1": "INN", "1.2.643.100.3": "SNILS", "1.2.643.100.4": "ИНН ЮЛ", "1.2.643.100.5": "OGRNIP",
}

func formatDN(seq pkix.RDNSequence) string {
	var parts []string
	for i := len(seq) - 1; i >= 0; i-- {
		for _, atv := range seq[i] {
			k, ok := dnNames[atv.Type.String()]
			if !ok {
				k = "OID." + atv.Type.String()
			}
			v := fmt.Sprint(atv.Value)
			if strings.ContainsAny(v, `,"=+`) {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}

var algNames = map[string]string{
	"1.2.643.7.1.1.3.2": "ГОСТ Р 34.11-2012/34.10-2012 256 бит",
	"1.2.643.7.1.1.3.3": "ГОСТ Р 34.11-2012/34.10-2012 512 бит",
	"1.2.643.2.2.3":     "ГОСТ Р 34.11/34.10-2001",
	"1.2.643.7.1.1.1.1": "ГОСТ Р 34.10-2012 256 бит (512 bits)",
	"1.2.643.7.1.1.1.2": "ГОСТ Р 34.10-2012 512 бит (1024 bits)",
	"1.2.643.2.2.19":    "ГОСТ Р 34.10-2001 (512 bits)",
}

func certmgrListing(t testing.TB, labels string, certs []fixtureCert) []byte {
	l := map[string]string{
		"issuer": "Issuer", "subject": "Subject", "serial": "Serial", "sha1": "SHA1 Hash", "ski": "SubjKeyID",
		"nb": "Not valid before", "na": "Not valid after", "caurl": "CA cert URL", "cdp": "CDP", "eku": "Extended Key Usage",
	}
	if strings.HasPrefix(labels, "ru") {
		l = map[string]string{
			"issuer": "Издатель", "subject": "Субъект", "serial": "Серийный номер", "sha1": "Хэш SHA1", "ski": "Идентификатор ключа",
			"nb": "Выдан", "na": "Истекает", "caurl": "URL сертификата УЦ", "cdp": "URL списка отзыва", "eku": "Назначение/EKU",
		}
		if labels == "ru-thumbprint" {
			l["sha1"] = "SHA1 отпечаток"
		}
	}
	var b bytes.Buffer
	line := func(label, value string) {
		pad := 20 - len([]rune(label))
		if pad < 1 {
			pad = 1
		}
		fmt.Fprintf(&b, "%s%s: %s\n", label, strings.Repeat(" ", pad), value)
	}
	b.WriteString("Certmgr 1.1 (c) \"Crypto-Pro\",  2007-2022.\nprogram for managing certificates, CRLs and stores\n\n")
	b.WriteString(strings.Repeat("=", 77) + "\n")
	for i, c := range certs {
		der := loadRealCert(t, c.file)
		x, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatalf("parse %s: %v", c.file, err)
		}
		var raw struct {
			TBS    asn1.RawValue
			SigAlg pkix.AlgorithmIdentifier
			Sig    asn1.BitString
		}
		var spki struct {
			Alg pkix.AlgorithmIdentifier
			Key asn1.BitString
		}
		if _, err := asn1.Unmarshal(der, &raw); err != nil {
			t.Fatal(err)
		}
		if _, err := asn1.Unmarshal(x.RawSubjectPublicKeyInfo, &spki); err != nil {
			t.Fatal(err)
		}
		var issuer, subject pkix.RDNSequence
		if _, err := asn1.Unmarshal(x.RawIssuer, &issuer); err != nil {
			t.Fatal(err)
		}
		if _, err := asn1.Unmarshal(x.RawSubject, &subject); err != nil {
			t.Fatal(err)
		}
		sum := sha1.Sum(der)
		fmt.Fprintf(&b, "%d-------\n", i+1)
		line(l["issuer"], formatDN(issuer))
		line(l["subject"], formatDN(subject))
		serial := strings.ToUpper(x.SerialNumber.Text(16))
		if len(serial)%2 == 1 {
			serial = "0" + serial
		}
		line(l["serial"], "0x"+serial)
		line(l["sha1"], strings.ToLower(hex.EncodeToString(sum[:])))
		if len(x.SubjectKeyId) > 0 {
			line(l["ski"], strings.ToLower(hex.EncodeToString(x.SubjectKeyId)))
		}
		line("Signature Algorithm", algNames[raw.SigAlg.Algorithm.String()])
		line("PublicKey Algorithm", algNames[spki.Alg.Algorithm.String()])
		line(l["nb"], x.NotBefore.UTC().Format("02/01/2006  15:04:05 UTC"))
		line(l["na"], x.NotAfter.UTC().Format("02/01/2006  15:04:05 UTC"))
		if c.key != nil {
			line("PrivateKey Link", "Yes")
			line("Container", c.unique)
			line("Provider Name", c.key.Provider)
			line("Provider Info", fmt.Sprintf("ProvType: %d, KeySpec: %d, Flags: 0x0", c.key.ProvType, c.key.KeySpec))
		} else {
			line("PrivateKey Link", "No")
		}
		for j, u := range x.IssuingCertificateURL {
			if j == 0 {
				line(l["caurl"], u)
			} else {
				b.WriteString(strings.Repeat(" ", 22) + u + "\n")
			}
		}
		for j, u := range x.CRLDistributionPoints {
			if j == 0 {
				line(l["cdp"], u)
			} else {
				b.WriteString(strings.Repeat(" ", 22) + u + "\n")
			}
		}
		var ekus []string
		for _, e := range x.Extensions {
			if e.Id.String() == "2.5.29.37" {
				var oids []asn1.ObjectIdentifier
				if _, err := asn1.Unmarshal(e.Value, &oids); err == nil {
					for _, o := range oids {
						ekus = append(ekus, o.String())
					}
				}
			}
		}
		for j, e := range ekus {
			if j == 0 {
				line(l["eku"], e)
			} else {
				b.WriteString(strings.Repeat(" ", 22) + e + "\n")
			}
		}
	}
	b.WriteString(strings.Repeat("=", 77) + "\n\n[ErrorCode: 0x00000000]\n")
	return b.Bytes()
}

func TestLinuxFixturesUpToDate(t *testing.T) {
	for _, tr := range fixtureTrees {
		files := generateTree(t, tr)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := testutil.Testdata(t, "linux", tr.name, filepath.FromSlash(n))
			if *updateLinuxFixtures {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, files[n], 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(got, files[n]) {
				t.Errorf("%s/%s is stale or missing (%v): run go test ./internal/host -run TestLinuxFixturesUpToDate -update-linux-fixtures", tr.name, n, err)
			}
		}
	}
}
