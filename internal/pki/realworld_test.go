package pki

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func pool(t *testing.T, names ...string) *Pool {
	p := NewPool()
	for _, n := range names {
		p.Add(realCert(t, n))
	}
	return p
}

const (
	rootMincifry22 = "guc-root-gost2012-mincifry-2022.pem"
	rootMinkom18   = "guc-root-gost2012-minkomsvyaz-2018.pem"
	rootMinkom21   = "guc-root-gost2012-minkomsvyaz-2021.pem"
	rootGolovnoy   = "guc-root-gost2001-golovnoy-uc-2012.pem"
	crossMincifry  = "guc-cross-gost2012-mincifry-2022-by-minkomsvyaz-2021.pem"
	fk2024         = "fk-ca-gost2012-2024-by-mincifry-2022.pem"
	fk2021         = "fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem"
	leafZhilkom    = "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"
)

var allTreasuryCAs = []string{
	"fk-ca-gost2001-2017-by-golovnoy-uc.pem", "fk-ca-gost2012-2018-by-minkomsvyaz-2018.pem",
	"fk-ca-gost2012-2020-by-minkomsvyaz-2018.pem", fk2021, fk2024, "fk-ca-gost2012-2025-by-mincifry-2022.pem",
	"kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem", "kazn-rossii-ca-gost2012-2022-12-by-mincifry-2022.pem",
	"kazn-rossii-ca-gost2012-2023-03-by-mincifry-2022.pem", "kazn-rossii-ca-gost2012-2025-07-by-mincifry-2022.pem",
}

type chainCase struct {
	name          string
	leaf          string
	intermediates []string
	roots         []string
	at            string
	want          Verdict
	chainLen      int    // 0: don't check
	problemSHA1   string // SHA-1 prefix of the cert at ProblemIndex, "" none
}

func realChainCases() []chainCase {
	return []chainCase{
		{"zhilkom 2025 via ФК 2024", leafZhilkom, []string{fk2024}, []string{rootMincifry22}, "2025-12-01", Valid, 3, ""},
		{"zhilkom 2025, every Treasury generation offered", leafZhilkom, allTreasuryCAs, []string{rootMincifry22, rootMinkom18}, "2025-12-01", Valid, 3, ""},
		{"zhilkom 2025 via the cross certificate to Минкомсвязь 2021", leafZhilkom, []string{fk2024, crossMincifry}, []string{rootMinkom21}, "2025-12-01", Valid, 4, ""},
		{"zhilkom 2025 without the intermediate", leafZhilkom, nil, []string{rootMincifry22}, "2025-12-01", Incomplete, 1, "E9330312"},
		{"zhilkom 2025 only with wrong-generation Treasury CAs", leafZhilkom, []string{fk2021, "fk-ca-gost2012-2025-by-mincifry-2022.pem"}, []string{rootMincifry22, rootMinkom18}, "2025-12-01", Incomplete, 1, "E9330312"},
		{"zhilkom 2025 with ФК 2024 put into the Root store, no root", leafZhilkom, nil, []string{fk2024}, "2025-12-01", Incomplete, 2, "12BC4208"},
		{"zhilkom 2025 with the leaf itself put into the Root store", leafZhilkom, nil, []string{leafZhilkom}, "2025-12-01", Incomplete, 1, "E9330312"},
		{"zhilkom 2025 without trusted root", leafZhilkom, []string{fk2024, rootMincifry22}, nil, "2025-12-01", Untrusted, 3, "2F0CB09B"},
		{"zhilkom 2025 expired", leafZhilkom, []string{fk2024}, []string{rootMincifry22}, "2026-10-01", Expired, 3, "E9330312"},
		{"zhilkom 2025 not yet valid", leafZhilkom, []string{fk2024}, []string{rootMincifry22}, "2025-07-01", NotYetValid, 3, "E9330312"},
		{"Минцифры СМЭВ 2021 via ФК 2021", "ee-gost2012-mincifry-smev-2021-by-fk-2021.der", allTreasuryCAs, []string{rootMinkom18, rootMincifry22}, "2022-06-01", Valid, 3, ""},
		{"МИАЦ Югры 2021 via ФК 2021", "ee-gost2012-miac-ugra-2021-by-fk-2021.der", []string{fk2021}, []string{rootMinkom18}, "2022-06-01", Valid, 3, ""},
		{"ГИС ЖКХ operator via Казначейство России 2022-01", "ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der", allTreasuryCAs, []string{rootMincifry22}, "2022-06-01", Valid, 3, ""},
		{"ФК 2017 GOST 2001 leaf (CN = issuer CN)", "ee-gost2001-fk-2017-by-fk-2017.der", allTreasuryCAs, []string{rootGolovnoy}, "2018-01-01", Valid, 3, ""},
		{"Минкомсвязь 2001 sub-CA", "guc-sub-gost2001-minkomsvyaz-2018-by-golovnoy-uc.pem", nil, []string{rootGolovnoy}, "2020-01-01", Valid, 2, ""},
		{"ФК 2018", "fk-ca-gost2012-2018-by-minkomsvyaz-2018.pem", nil, []string{rootMinkom18}, "2022-01-01", Valid, 2, ""},
		{"ФК 2020", "fk-ca-gost2012-2020-by-minkomsvyaz-2018.pem", nil, []string{rootMinkom18}, "2022-01-01", Valid, 2, ""},
		{"ФК 2025", "fk-ca-gost2012-2025-by-mincifry-2022.pem", nil, []string{rootMincifry22}, "2025-12-01", Valid, 2, ""},
		{"Казначейство России 2022-12", "kazn-rossii-ca-gost2012-2022-12-by-mincifry-2022.pem", nil, []string{rootMincifry22}, "2025-12-01", Valid, 2, ""},
		{"Казначейство России 2023-03", "kazn-rossii-ca-gost2012-2023-03-by-mincifry-2022.pem", nil, []string{rootMincifry22}, "2025-12-01", Valid, 2, ""},
		{"Казначейство России 2025-07", "kazn-rossii-ca-gost2012-2025-07-by-mincifry-2022.pem", nil, []string{rootMincifry22}, "2025-12-01", Valid, 2, ""},
		{"Минцифры 2025 root", "guc-root-gost2012-mincifry-2025.pem", nil, []string{"guc-root-gost2012-mincifry-2025.pem"}, "2026-01-01", Valid, 1, ""},
		{"Минцифры 2026 root", "guc-root-gost2012-mincifry-2026.pem", nil, []string{"guc-root-gost2012-mincifry-2026.pem"}, "2026-06-01", Valid, 1, ""},
		{"Минцифры 2026 root, not trusted", "guc-root-gost2012-mincifry-2026.pem", nil, []string{rootMincifry22}, "2026-06-01", Untrusted, 1, "2FDEDE3B"},
		{"RFC 9215 example 1", "rfc9215-example1-gost2012-256-testparamset-selfsigned.der", nil, []string{"rfc9215-example1-gost2012-256-testparamset-selfsigned.der"}, "2020-01-01", Valid, 1, ""},
		{"RFC 9215 example 2", "rfc9215-example2-gost2012-256-tc26A-selfsigned.der", nil, []string{"rfc9215-example2-gost2012-256-tc26A-selfsigned.der"}, "2020-01-01", Valid, 1, ""},
		{"RFC 9215 example 3 (512)", "rfc9215-example3-gost2012-512-testparamset-selfsigned.der", nil, []string{"rfc9215-example3-gost2012-512-testparamset-selfsigned.der"}, "2020-01-01", Valid, 1, ""},
		{"TK26 ИОК 256", "tk26iok-example-gost2012-256-xchA-selfsigned.der", nil, []string{"tk26iok-example-gost2012-256-xchA-selfsigned.der"}, "2020-01-01", Valid, 1, ""},
		{"TK26 ИОК 512", "tk26iok-example-gost2012-512-paramsetB-selfsigned.der", nil, []string{"tk26iok-example-gost2012-512-paramsetB-selfsigned.der"}, "2020-01-01", Valid, 1, ""},
		{"TC26 CMS sender 512 under a root without basicConstraints", "tc26-cms-example-sender512.pem", nil, []string{"tc26-cms-example-root256.pem"}, "2020-01-01", Malformed, 2, "CDDDA951"},
		{"TC26 CMS recipient 256 under a root without basicConstraints", "tc26-cms-example-recipient256.pem", nil, []string{"tc26-cms-example-root256.pem"}, "2020-01-01", Malformed, 2, "CDDDA951"},
	}
}

func TestRealChains(t *testing.T) {
	for _, tc := range realChainCases() {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			leaf := realCert(t, tc.leaf)
			r := Verify(leaf, VerifyOptions{Intermediates: pool(t, tc.intermediates...), Roots: pool(t, tc.roots...), At: day(tc.at)})
			if r.Verdict != tc.want {
				t.Fatalf("verdict %s (%s), want %s", r.Verdict, r.Reason, tc.want)
			}
			if tc.chainLen != 0 && len(r.Chain) != tc.chainLen {
				t.Errorf("chain of %d, want %d", len(r.Chain), tc.chainLen)
			}
			if tc.problemSHA1 == "" {
				if r.ProblemIndex != -1 {
					t.Errorf("ProblemIndex %d, want -1", r.ProblemIndex)
				}
				for i, l := range r.Chain {
					if !l.SignatureValid && (i < len(r.Chain)-1 || l.Cert.IsSelfIssued()) {
						t.Errorf("link %d: signature not valid: %s", i, l.SignatureError)
					}
				}
			} else if r.ProblemIndex < 0 || !strings.HasPrefix(r.Chain[r.ProblemIndex].Cert.SHA1, tc.problemSHA1) {
				t.Errorf("problem at %d, want the certificate %s…", r.ProblemIndex, tc.problemSHA1)
			}
			if r.Reason == "" {
				t.Error("no reason")
			}
		})
	}
}

// TestIncompleteNamesTheMissingIssuer: the typical helpdesk case — a 2025
// Treasury leaf with only the root installed.
func TestIncompleteNamesTheMissingIssuer(t *testing.T) {
	r := Verify(realCert(t, leafZhilkom), VerifyOptions{Roots: pool(t, rootMincifry22), At: day("2025-12-01")})
	if r.Verdict != Incomplete || r.Missing == nil {
		t.Fatalf("verdict %s, missing %+v", r.Verdict, r.Missing)
	}
	if !strings.Contains(r.Missing.IssuerDN, "CN=Федеральное казначейство") || !strings.Contains(r.Missing.IssuerDN, "O=Казначейство России") {
		t.Errorf("IssuerDN = %q", r.Missing.IssuerDN)
	}
	if r.Missing.AKI != "066413A7CEE083E2A67D9F89A7D65619984CD9A7" {
		t.Errorf("AKI = %s", r.Missing.AKI)
	}
	found := false
	for _, u := range r.Missing.CAIssuers {
		if u == "http://crl.roskazna.ru/crl/ucfk_2024.crt" {
			found = true
		}
	}
	if !found {
		t.Errorf("caIssuers = %v", r.Missing.CAIssuers)
	}
	// The ФК 2024 CA is exactly the missing one.
	if got := realCert(t, fk2024).SubjectKeyIDHex(); got != r.Missing.AKI {
		t.Errorf("SKI of ФК 2024 = %s, AKI of the leaf = %s", got, r.Missing.AKI)
	}
}

// TestRealSignatures checks every issuer→subject pair the README lists,
// and that a flipped bit breaks each of them.
func TestRealSignatures(t *testing.T) {
	pairs := [][2]string{
		{leafZhilkom, fk2024},
		{"ee-gost2001-fk-2017-by-fk-2017.der", "fk-ca-gost2001-2017-by-golovnoy-uc.pem"},
		{"ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der", "kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem"},
		{crossMincifry, rootMinkom21},
		{rootMincifry22, rootMincifry22},
		{rootGolovnoy, rootGolovnoy},
		{"tc26-cms-example-sender512.pem", "tc26-cms-example-root256.pem"},
	}
	for _, p := range pairs {
		c, issuer := realCert(t, p[0]), realCert(t, p[1])
		if err := c.CheckSignatureFrom(issuer); err != nil {
			t.Errorf("%s by %s: %v", p[0], p[1], err)
		}
		bad := *c
		bad.SignatureValue = append([]byte(nil), c.SignatureValue...)
		bad.SignatureValue[len(bad.SignatureValue)-1] ^= 1
		if err := bad.CheckSignatureFrom(issuer); err == nil {
			t.Errorf("%s by %s: flipped signature verifies", p[0], p[1])
		}
	}
}

func TestRealFieldsZhilkom(t *testing.T) {
	c := realCert(t, leafZhilkom)
	if c.SHA1 != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" {
		t.Errorf("SHA1 = %s", c.SHA1)
	}
	if c.Subject.Get("CN") != "ЖИЛИЩНЫЙ КОМИТЕТ" || c.Issuer.Get("CN") != "Федеральное казначейство" {
		t.Errorf("subject %q issuer %q", c.Subject, c.Issuer)
	}
	if c.Issuer.Get("INNLE") != "7710568760" || c.Issuer.Get("1.2.643.100.4") != "7710568760" {
		t.Errorf("issuer INNLE = %q", c.Issuer.Get("INNLE"))
	}
	if !strings.Contains(c.Subject.Get("STREET"), "\u200b") {
		t.Errorf("the zero width space in the address was lost: %q", c.Subject.Get("STREET"))
	}
	if strings.Contains(c.Subject.String(), "\u200b") || !strings.Contains(c.Subject.String(), `\u200B`) {
		t.Errorf("String() should show the zero width space escaped: %q", c.Subject.String())
	}
	if c.IdentificationKind == nil || *c.IdentificationKind != 1 {
		t.Errorf("identificationKind = %v", c.IdentificationKind)
	}
	if c.IssuerSignTool == nil || !strings.Contains(c.IssuerSignTool.CATool, "Юнисерт-ГОСТ") || !strings.Contains(c.IssuerSignTool.SignToolCert, "СФ/124-4328") {
		t.Errorf("issuerSignTool = %+v", c.IssuerSignTool)
	}
	if !strings.Contains(c.SubjectSignTool, "КриптоПро CSP") {
		t.Errorf("subjectSignTool = %q", c.SubjectSignTool)
	}
	if c.PrivateKeyNotAfter == nil || c.PrivateKeyNotAfter.Year() != 2026 {
		t.Errorf("private key usage period end = %v", c.PrivateKeyNotAfter)
	}
	if got := strings.Join(c.SignToolClasses(), ","); got != "KC1,KC2" {
		t.Errorf("classes = %s", got)
	}
	if c.PublicKeyAlgorithm != oidGost2012Key256 || c.PublicKeyParamSet != "1.2.643.2.2.36.0" || c.PublicKeyDigest != "1.2.643.7.1.1.2.2" || c.PublicKeyBits != 256 {
		t.Errorf("key %s %s %s %d", c.PublicKeyAlgorithm, c.PublicKeyParamSet, c.PublicKeyDigest, c.PublicKeyBits)
	}
	if c.SignatureAlgorithm != oidSigGost2012_256 || c.IsCA || !c.BasicConstraintsPresent && c.IsCA {
		t.Errorf("sig %s CA %v", c.SignatureAlgorithm, c.IsCA)
	}
	want := []string{"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4"}
	if strings.Join(c.ExtKeyUsage, " ") != strings.Join(want, " ") {
		t.Errorf("EKU = %v", c.ExtKeyUsage)
	}
	if len(c.CRLDistributionPoints) != 2 || len(c.CAIssuers) == 0 {
		t.Errorf("CDP %v AIA %v", c.CRLDistributionPoints, c.CAIssuers)
	}
	if c.IsSelfIssued() {
		t.Error("leaf claims to be self-issued")
	}
}

func TestRealFieldsSMEV2021(t *testing.T) {
	c := realCert(t, "ee-gost2012-mincifry-smev-2021-by-fk-2021.der")
	if got := strings.Join(c.SANTitleNumbers, ","); got != "1102140957" {
		t.Errorf("SAN title numbers = %q", got)
	}
	if c.Issuer.Get("INN") != "007710568760" {
		t.Errorf("issuer INN = %q", c.Issuer.Get("INN"))
	}
	if c.IdentificationKind == nil || *c.IdentificationKind != 0 {
		t.Errorf("identificationKind = %v", c.IdentificationKind)
	}
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, e := range []string{"1.2.643.2.1.6.8.5", "1.2.643.3.61.502710.1.6.3.2", "1.2.643.3.251.1.1"} {
		if !has(c.ExtKeyUsage, e) {
			t.Errorf("EKU lacks %s: %v", e, c.ExtKeyUsage)
		}
	}
}

func TestTrapSameCN(t *testing.T) {
	c := realCert(t, "ee-gost2001-fk-2017-by-fk-2017.der")
	if c.Subject.Get("CN") != c.Issuer.Get("CN") {
		t.Fatal("the fixture changed")
	}
	if c.IsSelfIssued() {
		t.Error("CN equality taken for self-issued")
	}
	if c.SignatureAlgorithm != oidSigGost2001 || c.PublicKeyAlgorithm != oidGost2001Key {
		t.Errorf("algorithms %s %s", c.SignatureAlgorithm, c.PublicKeyAlgorithm)
	}
}

// TestRealFilesParse: every certificate file parses, its SHA-1 is the one
// the README lists; the non-certificate files are refused with an error.
func TestRealFilesParse(t *testing.T) {
	dir := testutil.Testdata(t, "certs", "realworld")
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		certs, err := Parse(data)
		if strings.HasSuffix(name, ".p7s") {
			// BER CMS signature: its one certificate is the ГИС ЖКХ operator's
			if err != nil || len(certs) != 1 || certs[0].SHA1 != "2DF8F586EA14C6C29DACC85336E322C17725824C" {
				t.Errorf("%s: %d certificates, %v", name, len(certs), err)
			}
			continue
		}
		notCert := strings.Contains(name, "-csr") || strings.Contains(name, "-crl")
		if notCert {
			if err == nil {
				t.Errorf("%s: parsed as a certificate", name)
			}
			continue
		}
		if err != nil || len(certs) != 1 {
			t.Errorf("%s: %v", name, err)
			continue
		}
		n++
		if !strings.Contains(strings.ToLower(string(readme)), strings.ToLower(certs[0].SHA1)) {
			t.Errorf("%s: SHA-1 %s is not in the README", name, certs[0].SHA1)
		}
	}
	if n != 33 {
		t.Errorf("%d certificates, want 33", n)
	}
}

func TestProblemCodes(t *testing.T) {
	leaf := realCert(t, leafZhilkom)
	cases := []struct {
		ints, roots []string
		at          string
		code        string
	}{
		{nil, []string{rootMincifry22}, "2025-12-01", ProblemMissingIssuer},
		{[]string{fk2024, rootMincifry22}, nil, "2025-12-01", ProblemUntrustedRoot},
		{[]string{fk2024}, []string{rootMincifry22}, "2026-10-01", ProblemExpired},
		{[]string{fk2024}, []string{rootMincifry22}, "2025-01-01", ProblemNotYetValid},
		{[]string{fk2024}, []string{rootMincifry22}, "2025-12-01", ""},
	}
	for _, tc := range cases {
		r := Verify(leaf, VerifyOptions{Intermediates: pool(t, tc.ints...), Roots: pool(t, tc.roots...), At: day(tc.at)})
		if r.Problem != tc.code {
			t.Errorf("%v/%v at %s: problem %q, want %q", tc.ints, tc.roots, tc.at, r.Problem, tc.code)
		}
	}
}

func TestMasking(t *testing.T) {
	n := NewName([]Attr{
		{OID: "1.2.643.100.3", Short: "SNILS", Value: "12345678901"},
		{OID: "1.2.643.3.131.1.1", Short: "INN", Value: "771234567890"},
		{OID: "1.2.643.3.131.1.1", Short: "INN", Value: "007710568760"},
		{OID: "1.2.643.100.4", Short: "INNLE", Value: "7710568760"},
		{OID: "1.2.643.100.1", Short: "OGRN", Value: "1047797019830"},
	}...)
	want := "SNILS=********901, INN=*********890, INN=007710568760, INNLE=7710568760, OGRN=1047797019830"
	if got := n.MaskedString(false); got != want {
		t.Errorf("masked %q", got)
	}
	if got := n.MaskedString(true); got != n.String() || strings.Contains(got, "*") {
		t.Errorf("shown %q", got)
	}
	if got := MaskDigits("123-456-789 01", 3); got != "***-***-**9 01" {
		t.Errorf("MaskDigits = %q", got)
	}
}
